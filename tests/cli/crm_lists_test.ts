/**
 * `client list`, `contract list`, `event list`: every filter alone and
 * combined, paging and order, the three output modes (JSON, piped, terminal
 * table) and the number of queries a list runs.
 * @module
 */
import assert from "node:assert/strict";
import type { Database } from "../../src/db/database.ts";
import { NULL_REPORTER, type ServiceContext } from "../../src/services/context.ts";
import { listEvents } from "../../src/services/events.ts";
import { listClients } from "../../src/services/clients.ts";
import { listContracts } from "../../src/services/contracts.ts";
import { type Backend, backendTest } from "../support/backends.ts";
import { type Crew, ok, type Person, setupCrew } from "../support/fixtures.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[/;
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

interface Row {
  id: number;
}

let emails = 0;

/** Creates a client as `by` (SALES: theirs; MANAGEMENT: for `sales`). */
async function newClient(
  by: Person,
  fields: { full_name: string; company_name?: string; email?: string },
  sales?: Person,
): Promise<number> {
  const args = [
    "client",
    "create",
    "--full-name",
    fields.full_name,
    "--email",
    fields.email ?? `client${++emails}@example.test`,
    "--phone",
    "+33 1 02 03 04 05",
    "--company-name",
    fields.company_name ?? "Acme",
    "--json",
  ];
  if (sales) args.push("--sales-contact-id", String(sales.id));
  return (await ok<Row>(by.cli(args))).id;
}

async function newContract(by: Person, clientId: number, total: string, due?: string): Promise<number> {
  const args = ["contract", "create", "--client", String(clientId), "--total", total, "--json"];
  if (due !== undefined) args.push("--due", due);
  return (await ok<Row>(by.cli(args))).id;
}

async function sign(by: Person, contractId: number): Promise<void> {
  await ok(by.cli(["contract", "sign", String(contractId), "--json"]));
}

async function newEvent(
  by: Person,
  contractId: number,
  fields: { name: string; start: string; end: string; support?: Person },
): Promise<number> {
  const args = [
    "event",
    "create",
    "--contract",
    String(contractId),
    "--name",
    fields.name,
    "--client-contact",
    "Kate, +33 6 00 00 00 00",
    "--start-date",
    fields.start,
    "--end-date",
    fields.end,
    "--location",
    "Paris",
    "--attendees",
    "75",
    "--json",
  ];
  if (fields.support) args.push("--support-contact-id", String(fields.support.id));
  return (await ok<Row>(by.cli(args))).id;
}

/** Ids of a JSON list run as `who`. */
async function ids(who: Person, args: string[]): Promise<number[]> {
  const rows = await ok<Row[]>(who.cli([...args, "--json"]));
  assert.ok(Array.isArray(rows), `${args.join(" ")}: a JSON array`);
  return rows.map((r) => r.id);
}

/** Inserts `count` clients directly (fast fixtures), returning nothing. */
async function insertClients(db: Database, salesId: number, count: number, prefix = "Bulk"): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      await tx.execute(
        `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
         VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [`${prefix} Client ${i}`, `${prefix.toLowerCase()}${i}@bulk.test`, "0102030405", "Bulk Co", salesId, now],
      );
    }
  });
}

backendTest("client list: --mine, --search (names, emails, company; % _ \\ literal) alone and combined", async (b) => {
  const { manager, sales, sales2, support } = await setupCrew(b);
  const percent = await newClient(sales, {
    full_name: "Alice Martin",
    company_name: "100% Events",
    email: "alice@martin.test",
  });
  const thousand = await newClient(sales, { full_name: "Bob Durand", company_name: "1000 Events" });
  const underscore = await newClient(sales2, { full_name: "a_b Consulting", company_name: "Foo" });
  const axb = await newClient(sales2, { full_name: "axb Consulting", company_name: "Bar" });
  const backslash = await newClient(manager, { full_name: "Back\\slash Ltd", company_name: "Baz" }, sales);
  const bigcorp = await newClient(sales2, {
    full_name: "Carla Rossi",
    company_name: "Rossi SpA",
    email: "Carla@BigCorp.test",
  });

  const accented = await newClient(sales2, {
    full_name: "Élodie Lefèvre",
    company_name: "Société Œuvre",
    email: "elodie@societe.test",
  });
  const symbols = await newClient(manager, { full_name: "Star*Co [Beta]? (v2.0)+ ^$|{1}", company_name: "Sym" }, sales);

  const all = [percent, thousand, underscore, axb, backslash, bigcorp, accented, symbols];
  assert.deepEqual(await ids(support, ["client", "list"]), all, "everyone reads every client, by id");

  // --mine alone
  assert.deepEqual(await ids(sales, ["client", "list", "--mine"]), [percent, thousand, backslash, symbols]);
  assert.deepEqual(await ids(sales2, ["client", "list", "--mine"]), [underscore, axb, bigcorp, accented]);
  assert.deepEqual(await ids(support, ["client", "list", "--mine"]), [], "SUPPORT is nobody's sales contact");

  // --search: full name, email, company, case-insensitively
  assert.deepEqual(await ids(support, ["client", "list", "--search", "ALICE"]), [percent], "full name");
  assert.deepEqual(await ids(support, ["client", "list", "--search", "martin.TEST"]), [percent], "email");
  assert.deepEqual(await ids(support, ["client", "list", "--search", "bigcorp"]), [bigcorp], "email, stored case");
  assert.deepEqual(await ids(support, ["client", "list", "--search", "rossi spa"]), [bigcorp], "company");
  assert.deepEqual(await ids(support, ["client", "list", "--search", "events"]), [percent, thousand]);
  assert.deepEqual(await ids(support, ["client", "list", "--search", "no such thing"]), []);
  // Case-insensitive beyond ASCII (French names), the same on both backends.
  for (const text of ["Élodie", "élodie", "ÉLODIE", "lefÈvre", "SOCIÉTÉ", "œuvre", "ŒUVRE"]) {
    assert.deepEqual(await ids(support, ["client", "list", "--search", text]), [accented], text);
  }

  // % and _ and \ are matched literally
  assert.deepEqual(await ids(support, ["client", "list", "--search", "100%"]), [percent], "% is not a wildcard");
  assert.deepEqual(await ids(support, ["client", "list", "--search", "0% e"]), [percent]);
  assert.deepEqual(await ids(support, ["client", "list", "--search", "%"]), [percent]);
  assert.deepEqual(await ids(support, ["client", "list", "--search", "a_b"]), [underscore], "_ is not a wildcard");
  assert.deepEqual(await ids(support, ["client", "list", "--search", "_"]), [underscore]);
  assert.deepEqual(await ids(support, ["client", "list", "--search", "k\\s"]), [backslash], "\\ is literal");
  // Neither GLOB nor regular-expression syntax is special either.
  for (const text of ["*", "?", "[beta]", "r*c", "(V2.0)+", "v2.0", "^$|{1}", "$", "|", "{1}"]) {
    assert.deepEqual(await ids(support, ["client", "list", "--search", text]), [symbols], text);
  }
  for (const text of ["star.co", "v2x0", "[ab]", "s*r", "^star"]) {
    assert.deepEqual(await ids(support, ["client", "list", "--search", text]), [], text);
  }

  // combined
  assert.deepEqual(await ids(sales, ["client", "list", "--mine", "--search", "events"]), [percent, thousand]);
  assert.deepEqual(await ids(sales2, ["client", "list", "--mine", "--search", "events"]), []);
  assert.deepEqual(await ids(sales2, ["client", "list", "--mine", "--search", "CONSULTING"]), [underscore, axb]);
  assert.deepEqual(await ids(sales2, ["client", "list", "--search", "consulting", "--mine", "--limit", "1"]), [
    underscore,
  ]);
  assert.deepEqual(
    await ids(sales2, ["client", "list", "--search", "consulting", "--mine", "--limit", "1", "--offset", "1"]),
    [axb],
  );
});

/** Two SALES with clients and five contracts of every kind. */
async function contractFixture(crew: Crew) {
  const { sales, sales2 } = crew;
  const c1 = await newClient(sales, { full_name: "Client One" });
  const c2 = await newClient(sales, { full_name: "Client Two" });
  const c3 = await newClient(sales2, { full_name: "Client Three" });
  const k1 = await newContract(sales, c1, "1000"); // unsigned, unpaid
  const k2 = await newContract(sales, c1, "1000", "0"); // signed, paid
  await sign(sales, k2);
  const k3 = await newContract(sales, c2, "500", "200"); // signed, unpaid
  await sign(sales, k3);
  const k4 = await newContract(sales2, c3, "300"); // unsigned, unpaid
  const k5 = await newContract(sales2, c3, "0"); // unsigned, paid (nothing due)
  return { c1, c2, c3, k1, k2, k3, k4, k5 };
}

backendTest("contract list: --mine, --unsigned, --unpaid, --client alone and combined", async (b) => {
  const crew = await setupCrew(b);
  const { manager, sales, sales2, support } = crew;
  const { c1, c2, c3, k1, k2, k3, k4, k5 } = await contractFixture(crew);
  const list = (who: Person, ...flags: string[]) => ids(who, ["contract", "list", ...flags]);

  assert.deepEqual(await list(support), [k1, k2, k3, k4, k5]);
  // alone
  assert.deepEqual(await list(sales, "--mine"), [k1, k2, k3]);
  assert.deepEqual(await list(sales2, "--mine"), [k4, k5]);
  assert.deepEqual(await list(manager, "--mine"), []);
  assert.deepEqual(await list(support, "--unsigned"), [k1, k4, k5]);
  assert.deepEqual(await list(support, "--unpaid"), [k1, k3, k4]);
  assert.deepEqual(await list(support, "--client", String(c1)), [k1, k2]);
  assert.deepEqual(await list(support, "--client", String(c3)), [k4, k5]);
  assert.deepEqual(await list(support, "--client", "9999"), [], "an unknown client just has no contracts");
  // combined
  assert.deepEqual(await list(sales, "--mine", "--unsigned"), [k1]);
  assert.deepEqual(await list(sales, "--mine", "--unpaid"), [k1, k3]);
  assert.deepEqual(await list(sales, "--mine", "--unpaid", "--client", String(c2)), [k3]);
  assert.deepEqual(await list(sales, "--mine", "--client", String(c3)), []);
  assert.deepEqual(await list(support, "--unsigned", "--unpaid"), [k1, k4]);
  assert.deepEqual(await list(support, "--unsigned", "--unpaid", "--client", String(c3)), [k4]);
  assert.deepEqual(await list(sales2, "--mine", "--unsigned", "--unpaid"), [k4]);
  assert.deepEqual(await list(sales, "--mine", "--unsigned", "--unpaid", "--client", String(c1)), [k1]);
  assert.deepEqual(await list(support, "--unpaid", "--limit", "2", "--offset", "1"), [k3, k4]);
  // a bad filter value is exit 2
  assert.equal((await support.cli(["contract", "list", "--client", "abc"])).code, 2);
});

backendTest(
  "event list: --mine (SUPPORT / SALES), --unassigned, --upcoming, --contract alone and combined",
  async (b) => {
    const crew = await setupCrew(b);
    const { manager, sales, sales2, support, support2 } = crew;
    const c1 = await newClient(sales, { full_name: "Client One" });
    const c3 = await newClient(sales2, { full_name: "Client Three" });
    const k1 = await newContract(sales, c1, "1000");
    await sign(sales, k1);
    const k2 = await newContract(sales, c1, "2000");
    await sign(sales, k2);
    const k3 = await newContract(sales2, c3, "3000");
    await sign(sales2, k3);

    const past = { start: "2020-01-10T09:00:00Z", end: "2020-01-10T18:00:00Z" };
    const future = { start: "2099-06-01T09:00:00Z", end: "2099-06-01T18:00:00Z" };
    // Started an hour ago, ends in an hour: not ended yet, so upcoming.
    const running = {
      start: new Date(Date.now() - 3_600_000).toISOString(),
      end: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const e1 = await newEvent(manager, k1, { name: "Past gala", ...past, support });
    const e2 = await newEvent(sales, k1, { name: "Future unassigned", ...future });
    const e3 = await newEvent(manager, k2, { name: "Future support2", ...future, support: support2 });
    const e4 = await newEvent(manager, k3, { name: "Sales2 future", ...future, support });
    const e5 = await newEvent(manager, k3, { name: "Running now", ...running, support: support2 });
    const e6 = await newEvent(sales2, k3, { name: "Sales2 past unassigned", ...past });
    const list = (who: Person, ...flags: string[]) => ids(who, ["event", "list", ...flags]);

    assert.deepEqual(await list(sales), [e1, e2, e3, e4, e5, e6]);
    // --mine: SUPPORT → assigned to me
    assert.deepEqual(await list(support, "--mine"), [e1, e4]);
    assert.deepEqual(await list(support2, "--mine"), [e3, e5]);
    // --mine: SALES → events of my clients
    assert.deepEqual(await list(sales, "--mine"), [e1, e2, e3]);
    assert.deepEqual(await list(sales2, "--mine"), [e4, e5, e6]);
    assert.deepEqual(await list(manager, "--mine"), [], "the manager supports no event");
    // alone
    assert.deepEqual(await list(support, "--unassigned"), [e2, e6]);
    assert.deepEqual(await list(support, "--upcoming"), [e2, e3, e4, e5], "not ended yet, including a running one");
    assert.deepEqual(await list(support, "--contract", String(k1)), [e1, e2]);
    assert.deepEqual(await list(support, "--contract", String(k3)), [e4, e5, e6]);
    // combined
    assert.deepEqual(await list(support, "--mine", "--upcoming"), [e4]);
    assert.deepEqual(await list(support2, "--mine", "--upcoming", "--contract", String(k3)), [e5]);
    assert.deepEqual(await list(sales, "--mine", "--unassigned"), [e2]);
    assert.deepEqual(await list(sales, "--mine", "--upcoming"), [e2, e3]);
    assert.deepEqual(await list(sales, "--mine", "--upcoming", "--unassigned"), [e2]);
    assert.deepEqual(await list(sales2, "--mine", "--unassigned"), [e6]);
    assert.deepEqual(await list(sales2, "--mine", "--unassigned", "--upcoming"), []);
    assert.deepEqual(await list(support, "--unassigned", "--upcoming"), [e2]);
    assert.deepEqual(await list(support, "--contract", String(k1), "--upcoming"), [e2]);
    assert.deepEqual(await list(support, "--contract", String(k1), "--mine"), [e1]);
    assert.deepEqual(await list(support, "--contract", String(k2), "--unassigned"), []);
    assert.deepEqual(await list(sales, "--mine", "--contract", String(k3)), []);
    assert.deepEqual(await list(support, "--upcoming", "--limit", "2", "--offset", "1"), [e3, e4]);
  },
);

backendTest("--limit and --offset page a stable order by id (updates do not reorder)", async (b) => {
  const { sales, sales2, support } = await setupCrew(b);
  const clients: number[] = [];
  for (let i = 0; i < 5; i++) clients.push(await newClient(i % 2 ? sales2 : sales, { full_name: `Page ${i}` }));
  // Touch the first client: order stays by id, not by last update.
  await ok(sales.cli(["client", "update", String(clients[0]), "--company-name", "Zeta"]));
  const list = (...flags: string[]) => ids(support, ["client", "list", ...flags]);
  assert.deepEqual(await list(), clients);
  assert.deepEqual(await list("--limit", "2"), clients.slice(0, 2));
  assert.deepEqual(await list("--limit", "2", "--offset", "2"), clients.slice(2, 4));
  assert.deepEqual(await list("--limit", "2", "--offset", "4"), clients.slice(4));
  assert.deepEqual(await list("--offset", "3"), clients.slice(3), "--offset alone: everything after");
  assert.deepEqual(await list("--offset", "10"), []);
  assert.deepEqual(await list("--limit", "100"), clients);
  assert.deepEqual(await ids(sales, ["client", "list", "--mine", "--limit", "2", "--offset", "1"]), [
    clients[2],
    clients[4],
  ]);
  // Paging again gives the very same rows.
  assert.deepEqual(await list("--limit", "2", "--offset", "2"), clients.slice(2, 4));
  for (const bad of [["--limit", "0"], ["--limit", "-1"], ["--limit", "abc"], ["--offset", "-2"], ["--offset", "x"]]) {
    const result = await support.cli(["client", "list", ...bad, "--json"]);
    assert.equal(result.code, 2, `${bad.join(" ")}: ${result.stderr}`);
    assert.equal(result.stdout, "");
  }
});

backendTest("--json lists are arrays of the exact §1 shapes (money strings, booleans, ISO Z)", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  const clientId = await newClient(sales, { full_name: "Kate Hastroff", company_name: "Cool Startup LLC" });
  const k = await newContract(sales, clientId, "1500"); // amount due defaults to the total
  const k2 = await newContract(sales, clientId, "1500.5", "0.05");
  await sign(sales, k2);
  await newEvent(manager, k2, {
    name: "Launch",
    start: "2027-06-04T13:00:00+02:00",
    end: "2027-06-05T02:00:00+02:00",
    support,
  });
  await newEvent(sales, k2, { name: "Unassigned", start: "2027-07-01T10:00:00Z", end: "2027-07-01T12:00:00Z" });

  const clients = await ok<Record<string, unknown>[]>(support.cli(["client", "list", "--json"]));
  assert.equal(clients.length, 1);
  assert.deepEqual(Object.keys(clients[0]).sort(), [
    "company_name",
    "created_at",
    "email",
    "full_name",
    "id",
    "last_updated",
    "phone",
    "sales_contact_id",
  ]);
  assert.equal(clients[0].id, clientId);
  assert.equal(clients[0].full_name, "Kate Hastroff");
  assert.equal(clients[0].sales_contact_id, sales.id);
  assert.equal(typeof clients[0].phone, "string");
  assert.match(String(clients[0].created_at), ISO_Z);
  assert.match(String(clients[0].last_updated), ISO_Z);

  const contracts = await ok<Record<string, unknown>[]>(support.cli(["contract", "list", "--json"]));
  assert.equal(contracts.length, 2);
  for (const c of contracts) {
    assert.deepEqual(Object.keys(c).sort(), [
      "amount_due",
      "client_id",
      "created_at",
      "id",
      "sales_contact_id",
      "signed_status",
      "total_amount",
    ]);
    assert.equal(typeof c.signed_status, "boolean");
    assert.equal(c.client_id, clientId);
    assert.equal(c.sales_contact_id, sales.id);
    assert.match(String(c.created_at), ISO_Z);
  }
  assert.deepEqual(
    contracts.map((c) => [c.id, c.total_amount, c.amount_due, c.signed_status]),
    [[k, "1500.00", "1500.00", false], [k2, "1500.50", "0.05", true]],
  );

  const events = await ok<Record<string, unknown>[]>(support.cli(["event", "list", "--json"]));
  assert.equal(events.length, 2);
  for (const e of events) {
    assert.deepEqual(Object.keys(e).sort(), [
      "attendees",
      "client_contact",
      "client_id",
      "contract_id",
      "end_date",
      "id",
      "location",
      "name",
      "notes",
      "start_date",
      "support_contact_id",
    ]);
    assert.equal(e.client_id, clientId);
    assert.equal(e.contract_id, k2);
    assert.equal(e.attendees, 75);
    assert.equal(e.notes, null);
    assert.match(String(e.start_date), ISO_Z);
    assert.match(String(e.end_date), ISO_Z);
  }
  assert.equal(events[0].start_date, "2027-06-04T11:00:00.000Z");
  assert.equal(events[0].end_date, "2027-06-05T00:00:00.000Z");
  assert.equal(events[0].support_contact_id, support.id);
  assert.equal(events[1].support_contact_id, null);

  // An empty list is an empty array; nothing but JSON on stdout.
  const none = await support.cli(["event", "list", "--mine", "--unassigned", "--json"]);
  assert.equal(none.code, 0);
  assert.deepEqual(none.json(), []);
});

backendTest("piped output: tab-separated lines, no header, exact values and human names", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  const clientId = await newClient(sales, { full_name: "Kate Hastroff", company_name: "Cool Startup LLC" });
  await newClient(manager, { full_name: "John Ouick", company_name: "Other" }, sales);
  const k = await newContract(sales, clientId, "1500.5");
  await sign(sales, k);
  const e1 = await newEvent(manager, k, {
    name: "Launch",
    start: "2027-06-04T11:00:00Z",
    end: "2027-06-04T20:00:00Z",
    support,
  });
  const e2 = await newEvent(sales, k, { name: "Later", start: "2027-07-01T10:00:00Z", end: "2027-07-01T12:00:00Z" });

  const lines = (stdout: string) => stdout.replace(/\n$/, "").split("\n").map((l) => l.split("\t"));

  const clients = await support.cli(["client", "list"]);
  assert.equal(clients.code, 0, clients.stderr);
  assert.ok(!ANSI.test(clients.stdout));
  const clientRows = lines(clients.stdout);
  assert.equal(clientRows.length, 2, "one line per client, no header");
  assert.equal(clientRows[0][0], String(clientId));
  assert.ok(clientRows.every((r) => r.length === clientRows[0].length && r.length > 2));
  assert.ok(clientRows[0].includes("Kate Hastroff"));
  assert.ok(clientRows[0].includes("Cool Startup LLC"));
  assert.ok(clientRows[0].includes("Sam Seller"), "the sales contact's name");
  assert.ok(!clients.stdout.includes("NAME"), "no header");

  const contracts = await support.cli(["contract", "list"]);
  assert.equal(contracts.code, 0, contracts.stderr);
  const contractRows = lines(contracts.stdout);
  assert.equal(contractRows.length, 1);
  assert.equal(contractRows[0][0], String(k));
  assert.ok(contractRows[0].includes("Kate Hastroff"));
  assert.ok(contractRows[0].includes("Sam Seller"));
  assert.ok(contractRows[0].includes("1500.50"), "exact amount, no thousands separator when piped");
  assert.ok(!contracts.stdout.includes("TOTAL"));

  const events = await support.cli(["event", "list"]);
  assert.equal(events.code, 0, events.stderr);
  const eventRows = lines(events.stdout);
  assert.deepEqual(eventRows.map((r) => r[0]), [String(e1), String(e2)]);
  assert.ok(eventRows[0].every((_, i) => eventRows[1].length > i), "same columns on every line");
  assert.ok(eventRows[0].includes("Launch"));
  assert.ok(eventRows[0].includes("Kate Hastroff"), "the client's name");
  assert.ok(eventRows[0].includes("Tom Helper"), "the support contact's name");
  assert.ok(eventRows[0].includes("2027-06-04T11:00:00.000Z"), "exact ISO dates when piped");
  assert.ok(!eventRows[1].includes("Tom Helper"));

  const empty = await support.cli(["event", "list", "--mine", "--unassigned"]);
  assert.equal(empty.code, 0);
  assert.equal(empty.stdout, "", "an empty piped list prints nothing");
});

backendTest("terminal output: a table with headers and human columns, no ANSI under NO_COLOR", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  const clientId = await newClient(sales, { full_name: "Kate Hastroff", company_name: "Cool Startup LLC" });
  const k = await newContract(sales, clientId, "12500.5", "1500");
  await sign(sales, k);
  await newEvent(manager, k, { name: "Launch", start: "2027-06-04T11:00:00Z", end: "2027-06-04T20:00:00Z", support });
  await newEvent(sales, k, { name: "Later", start: "2027-07-01T10:00:00Z", end: "2027-07-01T12:00:00Z" });
  const tty = { tty: true, env: { NO_COLOR: "1", TZ: "UTC" } };

  const clients = await support.cli(["client", "list"], tty);
  assert.equal(clients.code, 0, clients.stderr);
  assert.ok(!ANSI.test(clients.stdout), "no escape codes with NO_COLOR");
  for (const header of ["ID", "NAME", "COMPANY", "EMAIL", "SALES CONTACT"]) assert.ok(clients.stdout.includes(header));
  assert.match(clients.stdout, /Kate Hastroff/);
  assert.match(clients.stdout, /Sam Seller/);
  assert.ok(!clients.stdout.includes("\t"), "a table, not tab-separated lines");
  assert.ok(!/more \(use --offset/.test(clients.stdout), "no footer when everything is shown");

  const contracts = await support.cli(["contract", "list"], tty);
  assert.equal(contracts.code, 0, contracts.stderr);
  assert.ok(!ANSI.test(contracts.stdout));
  for (const header of ["CLIENT", "SALES CONTACT", "TOTAL", "DUE", "SIGNED"]) {
    assert.ok(contracts.stdout.includes(header), header);
  }
  assert.match(contracts.stdout, /Kate Hastroff/);
  assert.match(contracts.stdout, /Sam Seller/);
  assert.match(contracts.stdout, /12,500\.50/, "amounts readable");
  assert.match(contracts.stdout, /1,500\.00/);

  const events = await support.cli(["event", "list"], tty);
  assert.equal(events.code, 0, events.stderr);
  assert.ok(!ANSI.test(events.stdout));
  for (const header of ["NAME", "CLIENT", "START", "END", "SUPPORT"]) assert.ok(events.stdout.includes(header));
  assert.match(events.stdout, /Kate Hastroff/);
  assert.match(events.stdout, /Tom Helper/);
  assert.match(events.stdout, /\(unassigned\)/);
  assert.match(events.stdout, /2027-06-04 11:00/, "dates readable in the TZ zone");
  const paris = await support.cli(["event", "list"], { tty: true, env: { NO_COLOR: "1", TZ: "Europe/Paris" } });
  assert.match(paris.stdout, /2027-06-04 13:00/, "the same instant in Europe/Paris");

  const empty = await support.cli(["event", "list", "--mine", "--unassigned"], tty);
  assert.equal(empty.code, 0);
  assert.match(empty.stdout, /No results/);

  // NO_COLOR is what turns colours off: without it the headers are coloured.
  const coloured = await support.cli(["client", "list"], { tty: true, env: { NO_COLOR: undefined } });
  assert.equal(coloured.code, 0, coloured.stderr);
  // The colour library itself turns colours off under CI=true, FORCE_COLOR or
  // TERM=dumb, so this control only means something where none is set.
  const envDisablesColours = Deno.env.get("CI") !== undefined || Deno.env.get("FORCE_COLOR") !== undefined ||
    Deno.env.get("TERM") === "dumb";
  if (!envDisablesColours) assert.ok(ANSI.test(coloured.stdout), "colours on a terminal without NO_COLOR");
});

backendTest("a terminal shows 100 rows and says how many more; JSON and piped return everything", async (b) => {
  const { sales, support } = await setupCrew(b);
  const db = await b.db();
  await insertClients(db, sales.id, 105);
  const tty = { tty: true, env: { NO_COLOR: "1" } };
  const tableIds = (stdout: string) => [...stdout.matchAll(/^│\s*(\d+)\s*│/gm)].map((m) => Number(m[1]));
  const allIds = (await db.query<{ id: number }>("SELECT id FROM clients ORDER BY id")).map((r) => Number(r.id));
  assert.equal(allIds.length, 105);

  const first = await support.cli(["client", "list"], tty);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(!ANSI.test(first.stdout));
  assert.deepEqual(tableIds(first.stdout), allIds.slice(0, 100), "100 rows by default, in id order");
  // The footer no longer counts every row (issue 9: a probe row says more exist).
  assert.match(first.stdout, /Showing rows 1 to 100; more rows exist: use --offset 100 /);
  assert.match(first.stdout, /or --limit N/, "the default page size can be changed");

  const rest = await support.cli(["client", "list", "--offset", "100"], tty);
  assert.deepEqual(tableIds(rest.stdout), allIds.slice(100));
  assert.ok(!/more/.test(rest.stdout), "the last page has no footer");

  const ten = await support.cli(["client", "list", "--limit", "10", "--offset", "20"], tty);
  assert.deepEqual(tableIds(ten.stdout), allIds.slice(20, 30));
  assert.match(ten.stdout, /Showing rows 21 to 30; more rows exist: use --offset 30 /);

  const big = await support.cli(["client", "list", "--limit", "200"], tty);
  assert.deepEqual(tableIds(big.stdout), allIds);
  assert.ok(!/more/.test(big.stdout));

  const json = await ok<Row[]>(support.cli(["client", "list", "--json"], tty));
  assert.equal(json.length, 105, "JSON returns everything unless --limit, even on a terminal");
  const piped = await support.cli(["client", "list"]);
  assert.equal(piped.stdout.trim().split("\n").length, 105, "piped output returns everything");
  assert.ok(!/more/.test(piped.stdout));
  const limited = await ok<Row[]>(support.cli(["client", "list", "--json", "--limit", "3"]));
  assert.deepEqual(limited.map((r) => r.id), allIds.slice(0, 3));
});

/** A service context on its own connection, to count its statements. */
function contextOn(db: Database, actor: Person): ServiceContext {
  return {
    db,
    actor: { id: actor.id, email: actor.email, role: actor.role },
    now: () => new Date(),
    reporter: NULL_REPORTER,
    bcryptRounds: 4,
  };
}

async function insertEvents(
  b: Backend,
  from: number,
  to: number,
  refs: { contract: number; client: number; support: number },
) {
  const db = await b.db();
  await db.transaction(async (tx) => {
    for (let i = from; i < to; i++) {
      await tx.execute(
        `INSERT INTO events (name, contract_id, client_id, client_contact, start_date, end_date, support_contact_id,
           location, attendees, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          `Event ${i}`,
          refs.contract,
          refs.client,
          "Kate",
          "2030-01-01T10:00:00.000Z",
          "2030-01-01T12:00:00.000Z",
          i % 2 ? refs.support : null,
          "Lyon",
          i,
          null,
        ],
      );
    }
  });
}

backendTest("listing 10 or 1,000 events (clients, contracts) runs the same small number of queries", async (b) => {
  const { sales, support } = await setupCrew(b);
  const clientId = await newClient(sales, { full_name: "Many Events Inc" });
  const contractId = await newContract(sales, clientId, "100");
  await sign(sales, contractId);
  const fixture = { contract: contractId, client: clientId, support: support.id };

  const countStatements = async <T>(fn: (ctx: ServiceContext) => AsyncIterable<T>, rows: number) => {
    const db = await b.db();
    const ctx = contextOn(db, sales);
    const before = db.statementCount;
    const page = { rows: await Array.fromAsync(fn(ctx)) };
    const used = db.statementCount - before;
    assert.equal(page.rows.length, rows);
    return { used, page };
  };
  const events = (ctx: ServiceContext) => listEvents(ctx, {});

  await insertEvents(b, 0, 10, fixture);
  const ten = await countStatements(events, 10);
  await insertEvents(b, 10, 1000, fixture);
  const thousand = await countStatements(events, 1000);
  assert.equal(thousand.used, ten.used, "the same number of queries for 10 and 1,000 events");
  assert.equal(thousand.used, 1, "one query: rows and names (joins) together");
  const rows = thousand.page.rows;
  assert.equal(rows[1].display?.support_contact_name, "Tom Helper", "names come from the same query");
  assert.equal(rows[0].display?.support_contact_name, null);
  assert.equal(rows[999].display?.client_name, "Many Events Inc");
  assert.deepEqual(rows.map((r) => r.id), [...rows.map((r) => r.id)].sort((x, y) => x - y));

  // With filters and paging: still the same count.
  const filtered = await countStatements(
    (ctx) => listEvents(ctx, { mine: true, unassigned: true, contract: contractId, limit: 100, offset: 5 }),
    100,
  );
  assert.equal(filtered.used, ten.used);

  // Clients and contracts lists join their names the same way.
  const db = await b.db();
  await insertClients(db, sales.id, 300);
  const clients = await countStatements((ctx) => listClients(ctx, {}), 301);
  assert.equal(clients.used, ten.used);
  assert.equal(
    clients.page.rows[300].display?.sales_contact_name,
    "Sam Seller",
  );
  const contracts = await countStatements((ctx) => listContracts(ctx, {}), 1);
  assert.equal(contracts.used, ten.used);
});

backendTest(
  "event list --mine: a SALES collaborator's are their clients' events; anyone else's, those they support",
  async (b) => {
    const crew = await setupCrew(b);
    const { build } = crew;
    const ofSales = await build.contract(await build.client(crew.sales), { signed: true });
    const ofSales2 = await build.contract(await build.client(crew.sales2), { signed: true });
    const supported = await build.event(ofSales, { name: "Supported", support: crew.support });
    const other = await build.event(ofSales2, { name: "Other", support: crew.support2 });
    const unassigned = await build.event(ofSales2, { name: "Unassigned" });
    const mine = async (person: Person) => {
      const result = await person.cli(["event", "list", "--mine", "--json"]);
      assert.equal(result.code, 0, result.stderr);
      return result.json<{ id: number }[]>().map((e) => e.id).sort((x, y) => x - y);
    };
    assert.deepEqual(await mine(crew.sales), [supported.id]);
    assert.deepEqual(await mine(crew.sales2), [other.id, unassigned.id].sort((x, y) => x - y));
    assert.deepEqual(await mine(crew.support), [supported.id]);
    assert.deepEqual(await mine(crew.support2), [other.id]);
    assert.deepEqual(await mine(crew.manager), [], "a manager supports none of them");
  },
);
