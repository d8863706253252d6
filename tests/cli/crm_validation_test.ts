/**
 * Validation and write rules of clients, contracts and events: money, dates,
 * emails, lengths, attendees, missing flags, partial and concurrent updates,
 * timestamps, signing, deletion with and without `--cascade`, exit codes.
 * @module
 */
import assert from "node:assert/strict";
import type { Backend } from "../support/backends.ts";
import { backendTest } from "../support/backends.ts";
import { type CliResult, spawnCli } from "../support/cli.ts";
import { ok, type Person, setupCrew } from "../support/fixtures.ts";

interface Row {
  id: number;
}
interface ClientJson extends Row {
  full_name: string;
  email: string;
  phone: string;
  company_name: string;
  sales_contact_id: number;
  created_at: string;
  last_updated: string;
}
interface ContractJson extends Row {
  total_amount: string;
  amount_due: string;
  signed_status: boolean;
}
interface EventJson extends Row {
  name: string;
  start_date: string;
  end_date: string;
  location: string;
  attendees: number;
  notes: string | null;
  client_contact: string;
  support_contact_id: number | null;
}

function errorOf(result: CliResult): { code: string; message: string; field?: string } {
  return JSON.parse(result.stderr.trim()).error;
}

/** Asserts exit `code` with a JSON error naming `field` (when given), and nothing on stdout. */
function refused(result: CliResult, code: number, field?: string, label = ""): void {
  assert.equal(result.code, code, `${label} exit ${result.code}: ${result.stderr}`);
  assert.equal(result.stdout, "", `${label}: nothing on stdout`);
  if (field !== undefined) assert.equal(errorOf(result).field, field, `${label}: ${result.stderr}`);
}

let emails = 0;

function clientArgs(fields: Partial<Record<"full_name" | "email" | "phone" | "company_name", string>> = {}) {
  return [
    "client",
    "create",
    "--full-name",
    fields.full_name ?? "Kate Hastroff",
    "--email",
    fields.email ?? `kate${++emails}@startup.test`,
    "--phone",
    fields.phone ?? "+33 6 12 34 56 78",
    "--company-name",
    fields.company_name ?? "Cool Startup LLC",
    "--json",
  ];
}

async function newClient(sales: Person, fields: Parameters<typeof clientArgs>[0] = {}): Promise<ClientJson> {
  return await ok<ClientJson>(sales.cli(clientArgs(fields)));
}

async function newContract(sales: Person, clientId: number, total = "1000", signed = true): Promise<ContractJson> {
  const contract = await ok<ContractJson>(
    sales.cli(["contract", "create", "--client", String(clientId), "--total", total, "--json"]),
  );
  if (!signed) return contract;
  return await ok<ContractJson>(sales.cli(["contract", "sign", String(contract.id), "--json"]));
}

const EVENT_DEFAULTS = {
  name: "Launch party",
  client_contact: "Kate, +33 6 12 34 56 78",
  start: "2027-06-04T11:00:00Z",
  end: "2027-06-04T20:00:00Z",
  location: "53 rue du Château, Candé-sur-Beuvron",
  attendees: "75",
};

function eventArgs(contractId: number, fields: Partial<typeof EVENT_DEFAULTS> = {}): string[] {
  const f = { ...EVENT_DEFAULTS, ...fields };
  return [
    "event",
    "create",
    "--contract",
    String(contractId),
    "--name",
    f.name,
    "--client-contact",
    f.client_contact,
    "--start-date",
    f.start,
    "--end-date",
    f.end,
    "--location",
    f.location,
    "--attendees",
    f.attendees,
    "--json",
  ];
}

async function count(b: Backend, table: "clients" | "contracts" | "events"): Promise<number> {
  const db = await b.db();
  const row = await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row!.n);
}

// ---------------------------------------------------------------------------
// Money

backendTest("money: 1500, 1500.5, 1500.50 accepted as exact cents; bad amounts refused (exit 2, field)", async (b) => {
  const { sales } = await setupCrew(b);
  const client = await newClient(sales);
  const create = (...flags: string[]) => sales.cli(["contract", "create", "--client", String(client.id), ...flags]);

  const accepted: Array<[string, string, number]> = [
    ["1500", "1500.00", 150000],
    ["1500.5", "1500.50", 150050],
    ["1500.50", "1500.50", 150050],
    ["0", "0.00", 0],
    ["0.05", "0.05", 5],
    [" 42.10 ", "42.10", 4210],
    ["999999999999.99", "999999999999.99", 99999999999999],
  ];
  const db = await b.db();
  for (const [typed, shown, cents] of accepted) {
    const c = await ok<ContractJson>(create("--total", typed, "--json"));
    assert.equal(c.total_amount, shown, typed);
    assert.equal(c.amount_due, shown, `${typed}: amount due defaults to the total`);
    const stored = await db.one<{ t: number; d: number }>(
      "SELECT total_amount_cents AS t, amount_due_cents AS d FROM contracts WHERE id = $1",
      [c.id],
    );
    assert.equal(Number(stored!.t), cents, `${typed} is stored as integer cents`);
    assert.equal(Number(stored!.d), cents);
  }
  const before = await count(b, "contracts");

  const refusedTotals = ["1500.505", "-1", "1e3", "1,500", "1500.", ".5", "abc", "NaN", "Infinity", "1000000000000"];
  for (const typed of refusedTotals) refused(await create("--total", typed, "--json"), 2, "total_amount", typed);
  for (const typed of ["-1", "0.001", "1e2"]) {
    refused(await create("--total", "100", "--due", typed, "--json"), 2, "amount_due", `due ${typed}`);
  }
  refused(await create("--total", "1500", "--due", "1500.01", "--json"), 2, "amount_due", "due above total");
  refused(await create("--total", "1500.50", "--amount-due", "2000", "--json"), 2, "amount_due", "--amount-due alias");
  const message = await create("--total", "1500.505");
  assert.equal(message.code, 2);
  // Issue 9: the message names the flag typed; the JSON error's field stays total_amount.
  assert.match(message.stderr, /^error: --total: must be an amount with at most 2 decimals, e\.g\. 1500\.50\n$/);
  assert.equal(await count(b, "contracts"), before, "nothing written by a refused amount");

  const partial = await ok<ContractJson>(create("--total-amount", "1500.5", "--due", "500", "--json"));
  assert.deepEqual([partial.total_amount, partial.amount_due], ["1500.50", "500.00"]);
  const equal = await ok<ContractJson>(create("--total", "10", "--due", "10.00", "--json"));
  assert.equal(equal.amount_due, "10.00", "due equal to total is fine");

  // Shown as "1500.50" in JSON show and in piped output, "1,500.50" on a terminal.
  const shown = await ok<ContractJson>(sales.cli(["contract", "show", String(partial.id), "--json"]));
  assert.equal(shown.total_amount, "1500.50");
  const piped = await sales.cli(["contract", "show", String(partial.id)]);
  assert.match(piped.stdout, /\t1500\.50\n/);
  const table = await sales.cli(["contract", "show", String(partial.id)], { tty: true });
  assert.match(table.stdout, /1,500\.50/);
});

backendTest(
  "contract update is partial; amount due above the stored total (or total below due) is exit 2",
  async (b) => {
    const { manager, sales } = await setupCrew(b);
    const client = await newClient(sales);
    const contract = await ok<ContractJson>(
      sales.cli(["contract", "create", "--client", String(client.id), "--total", "1500", "--due", "1000", "--json"]),
    );
    const update = (who: Person, ...flags: string[]) =>
      who.cli(["contract", "update", String(contract.id), ...flags, "--json"]);

    let c = await ok<ContractJson>(update(sales, "--due", "250.5"));
    assert.deepEqual([c.total_amount, c.amount_due, c.signed_status], ["1500.00", "250.50", false]);
    c = await ok<ContractJson>(update(manager, "--total", "3000"));
    assert.deepEqual([c.total_amount, c.amount_due], ["3000.00", "250.50"], "the due amount is kept");
    c = await ok<ContractJson>(update(sales, "--signed-status", "true"));
    assert.deepEqual([c.total_amount, c.amount_due, c.signed_status], ["3000.00", "250.50", true]);

    refused(await update(sales, "--due", "3000.01"), 2, "amount_due", "due above the stored total");
    refused(await update(sales, "--total", "250.49"), 2, "total_amount", "total below the stored due");
    refused(await update(sales, "--total", "100", "--due", "200"), 2, "amount_due", "both given");
    refused(await update(sales, "--due", "1.001"), 2, "amount_due");
    refused(await update(sales, "--signed-status", "maybe"), 2, "signed_status");
    refused(await update(sales), 2, undefined, "no field");
    assert.match((await update(sales)).stderr, /nothing to update/);
    const after = await ok<ContractJson>(sales.cli(["contract", "show", String(contract.id), "--json"]));
    assert.deepEqual([after.total_amount, after.amount_due, after.signed_status], ["3000.00", "250.50", true]);
    c = await ok<ContractJson>(update(sales, "--due", "0"));
    assert.equal(c.amount_due, "0.00");
  },
);

// ---------------------------------------------------------------------------
// Dates

backendTest(
  "dates: ISO Z, offsets and local 'YYYY-MM-DD HH:MM' in TZ are stored as UTC; end after start",
  async (b) => {
    const { manager, sales, support } = await setupCrew(b);
    const client = await newClient(sales);
    const contract = await newContract(sales, client.id);
    const db = await b.db();
    const stored = async (id: number) =>
      await db.one<{ start_date: string; end_date: string }>("SELECT start_date, end_date FROM events WHERE id = $1", [
        id,
      ]);
    const cases: Array<{ start: string; end: string; tz?: string; utc: [string, string] }> = [
      {
        start: "2027-06-04T11:00:00Z",
        end: "2027-06-04T20:00:00Z",
        utc: ["2027-06-04T11:00:00.000Z", "2027-06-04T20:00:00.000Z"],
      },
      {
        start: "2027-06-04T13:00:00+02:00",
        end: "2027-06-04T15:30-04:00",
        utc: ["2027-06-04T11:00:00.000Z", "2027-06-04T19:30:00.000Z"],
      },
      {
        start: "2027-06-04 13:00",
        end: "2027-06-05 02:00",
        tz: "Europe/Paris",
        utc: ["2027-06-04T11:00:00.000Z", "2027-06-05T00:00:00.000Z"],
      },
      {
        start: "2027-01-15 13:00",
        end: "2027-01-15 18:00",
        tz: "Europe/Paris",
        utc: ["2027-01-15T12:00:00.000Z", "2027-01-15T17:00:00.000Z"],
      },
      {
        start: "2027-06-04 13:00",
        end: "2027-06-04 14:00",
        tz: "America/New_York",
        utc: ["2027-06-04T17:00:00.000Z", "2027-06-04T18:00:00.000Z"],
      },
    ];
    for (const c of cases) {
      const env = c.tz ? { TZ: c.tz } : {};
      const event = await ok<EventJson>(sales.cli(eventArgs(contract.id, { start: c.start, end: c.end }), { env }));
      assert.deepEqual([event.start_date, event.end_date], c.utc, `${c.start} (${c.tz ?? "no TZ"})`);
      const row = await stored(event.id);
      assert.deepEqual(
        [new Date(row!.start_date).toISOString(), new Date(row!.end_date).toISOString()],
        c.utc,
        "stored as the same UTC instant",
      );
      if (b.name === "sqlite") assert.deepEqual([row!.start_date, row!.end_date], c.utc, "UTC text with Z");
    }
    const events = await count(b, "events");

    const paris = { env: { TZ: "Europe/Paris" } };
    const bad: Array<[Partial<typeof EVENT_DEFAULTS>, string, string]> = [
      [{ start: "2027-06-04T20:00:00Z", end: "2027-06-04T20:00:00Z" }, "end_date", "end equal to start"],
      [{ start: "2027-06-04T20:00:00Z", end: "2027-06-04T11:00:00Z" }, "end_date", "end before start"],
      [{ start: "2027-06-04 23:30", end: "2027-06-04T21:00:00Z" }, "end_date", "23:30 Paris is 21:30Z, after the end"],
      [{ start: "2027-02-30 10:00" }, "start_date", "no such day"],
      [{ start: "2027-06-04 25:00" }, "start_date", "no such hour"],
      [{ start: "tomorrow" }, "start_date", "not a date"],
      [{ end: "04/06/2027" }, "end_date", "not ISO"],
      [{ start: "2027-03-28 02:30", end: "2027-03-28 05:00" }, "start_date", "skipped by the DST change"],
    ];
    for (const [fields, field, label] of bad) {
      refused(await sales.cli(eventArgs(contract.id, fields), paris), 2, field, label);
    }
    refused(await sales.cli(eventArgs(contract.id, { start: "2027-06-04 10:00" }), { env: { TZ: "Mars/Olympus" } }), 2);
    assert.equal(await count(b, "events"), events, "nothing written");

    // Updates are checked against the stored dates.
    const event = await ok<EventJson>(
      manager.cli([...eventArgs(contract.id), "--support-contact-id", String(support.id)]),
    );
    const update = (...flags: string[]) => support.cli(["event", "update", String(event.id), ...flags, "--json"]);
    refused(await update("--end-date", "2027-06-04T11:00:00Z"), 2, "end_date", "end equal to the stored start");
    refused(await update("--end-date", "2027-06-03T11:00:00Z"), 2, "end_date", "end before the stored start");
    refused(await update("--start-date", "2027-06-04T20:00:00Z"), 2, "start_date", "start at the stored end");
    refused(await update("--start-date", "2027-06-05T09:00:00Z"), 2, "start_date", "start after the stored end");
    refused(await update("--start-date", "2027-06-05T09:00:00Z", "--end-date", "2027-06-05T08:00:00Z"), 2, "end_date");
    const unchanged = await ok<EventJson>(support.cli(["event", "show", String(event.id), "--json"]));
    assert.deepEqual([unchanged.start_date, unchanged.end_date], [
      "2027-06-04T11:00:00.000Z",
      "2027-06-04T20:00:00.000Z",
    ]);
    const moved = await ok<EventJson>(
      support.cli(["event", "update", String(event.id), "--end-date", "2027-06-05 01:30", "--json"], paris),
    );
    assert.deepEqual([moved.start_date, moved.end_date], ["2027-06-04T11:00:00.000Z", "2027-06-04T23:30:00.000Z"]);
    const both = await ok<EventJson>(
      update("--start-date", "2027-07-01T10:00:00+02:00", "--end-date", "2027-07-01T12:00:00+02:00"),
    );
    assert.deepEqual([both.start_date, both.end_date], ["2027-07-01T08:00:00.000Z", "2027-07-01T10:00:00.000Z"]);
  },
);

// ---------------------------------------------------------------------------
// Text fields

backendTest("emails, lengths (100 ok / 101 refused), phones, trimming and attendees", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  const clients = await count(b, "clients");
  for (const email of ["not-an-email", "kate@", "@startup.test", "kate@@startup.test", "kate smith@startup.test"]) {
    refused(await sales.cli(clientArgs({ email })), 2, "email", email);
  }
  const local = "k".repeat(64);
  const email100 = `${local}@${"d".repeat(30)}.test`;
  assert.equal(email100.length, 100);
  refused(await sales.cli(clientArgs({ email: `${local}@${"d".repeat(31)}.test` })), 2, "email", "101 characters");
  refused(await sales.cli(clientArgs({ full_name: "x".repeat(101) })), 2, "full_name", "101 characters");
  refused(await sales.cli(clientArgs({ full_name: "   " })), 2, "full_name", "blank");
  refused(await sales.cli(clientArgs({ full_name: "Tab\there" })), 2, "full_name", "tab");
  refused(await sales.cli(clientArgs({ company_name: "c".repeat(101) })), 2, "company_name", "101 characters");
  refused(await sales.cli(clientArgs({ phone: "1234" })), 2, "phone", "4 characters");
  refused(await sales.cli(clientArgs({ phone: "1".repeat(21) })), 2, "phone", "21 characters");
  refused(await sales.cli(clientArgs({ phone: "call me" })), 2, "phone", "letters");
  assert.equal(await count(b, "clients"), clients, "nothing written");

  const long = await newClient(sales, {
    full_name: "x".repeat(100),
    email: email100.toUpperCase(),
    phone: "12345",
    company_name: "c".repeat(100),
  });
  assert.equal(long.full_name.length, 100);
  assert.equal(long.email, email100, "emails are stored lower-cased");
  const accents = await newClient(sales, { full_name: "é".repeat(100), phone: "1".repeat(20) });
  assert.equal(accents.full_name, "é".repeat(100), "100 characters, not bytes, on both backends");
  const trimmed = await newClient(sales, { full_name: "  Kate Hastroff  ", company_name: " Cool Startup " });
  assert.deepEqual([trimmed.full_name, trimmed.company_name], ["Kate Hastroff", "Cool Startup"]);
  const stored = await (await b.db()).one<{ full_name: string }>("SELECT full_name FROM clients WHERE id = $1", [
    trimmed.id,
  ]);
  assert.equal(stored!.full_name, "Kate Hastroff");
  refused(
    await sales.cli(["client", "update", String(trimmed.id), "--full-name", "y".repeat(101), "--json"]),
    2,
    "full_name",
  );
  refused(await sales.cli(["client", "update", String(trimmed.id), "--email", "nope", "--json"]), 2, "email");

  // Events: attendees, name, location, client contact.
  const contract = await newContract(sales, trimmed.id);
  const events = await count(b, "events");
  for (const attendees of ["-1", "1.5", "abc", "2147483648", ""]) {
    refused(await sales.cli(eventArgs(contract.id, { attendees })), 2, "attendees", `attendees ${attendees}`);
  }
  refused(await sales.cli(eventArgs(contract.id, { name: "n".repeat(101) })), 2, "name");
  refused(await sales.cli(eventArgs(contract.id, { location: "l".repeat(201) })), 2, "location");
  refused(await sales.cli(eventArgs(contract.id, { client_contact: "c".repeat(101) })), 2, "client_contact");
  assert.equal(await count(b, "events"), events, "nothing written");
  const event = await ok<EventJson>(
    sales.cli(eventArgs(contract.id, { attendees: "0", location: "l".repeat(200), name: "n".repeat(100) })),
  );
  assert.equal(event.attendees, 0);
  assert.equal(event.location.length, 200);
  await ok(manager.cli(["event", "assign", String(event.id), "--support", String(support.id)]));
  refused(await support.cli(["event", "update", String(event.id), "--attendees", "-5", "--json"]), 2, "attendees");
  const updated = await ok<EventJson>(
    support.cli(["event", "update", String(event.id), "--attendees", "120", "--notes", "Bring a DJ", "--json"]),
  );
  assert.deepEqual([updated.attendees, updated.notes, updated.location], [120, "Bring a DJ", "l".repeat(200)]);
});

// ---------------------------------------------------------------------------
// Missing flags, empty updates, unknown ids, duplicates

backendTest("off a terminal, missing flags are exit 2 listing every one of them, and nothing is written", async (b) => {
  const { manager, sales } = await setupCrew(b);
  const client = await newClient(sales);
  const contract = await newContract(sales, client.id);
  const before = await Promise.all([count(b, "clients"), count(b, "contracts"), count(b, "events")]);
  const cases: Array<[Person, string[], string[]]> = [
    [sales, ["client", "create"], ["--full-name", "--email", "--phone", "--company-name"]],
    [sales, ["client", "create", "--full-name", "Kate"], ["--email", "--phone", "--company-name"]],
    [sales, ["client", "create", "--email", "k@x.test", "--phone", "0102030405"], ["--full-name", "--company-name"]],
    [manager, ["client", "create"], ["--full-name", "--email", "--phone", "--company-name", "--sales-contact-id"]],
    [sales, ["contract", "create"], ["--client", "--total"]],
    [sales, ["contract", "create", "--due", "10"], ["--client", "--total"]],
    [sales, ["contract", "create", "--client", String(client.id)], ["--total"]],
    [sales, ["event", "create"], [
      "--contract",
      "--name",
      "--client-contact",
      "--start-date",
      "--end-date",
      "--location",
      "--attendees",
    ]],
    [sales, ["event", "create", "--contract", String(contract.id), "--name", "Gala", "--notes", "x"], [
      "--client-contact",
      "--start-date",
      "--end-date",
      "--location",
      "--attendees",
    ]],
    [manager, ["event", "assign", "1"], ["--support"]],
  ];
  for (const [who, args, flags] of cases) {
    for (const json of [false, true]) {
      const result = await who.cli(json ? [...args, "--json"] : args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stdout, "");
      const message = json ? errorOf(result).message : result.stderr;
      assert.equal(result.stderr.trim().split("\n").length, 1, "one line");
      for (const flag of flags) {
        assert.ok(new RegExp(`${flag}\\b(?!-)`).test(message), `${args.join(" ")}: ${flag} listed in "${message}"`);
      }
      const given = args.filter((a) => a.startsWith("--"));
      for (const flag of given) assert.ok(!message.includes(`${flag},`), `${flag} was given`);
      if (json) assert.equal(errorOf(result).code, "invalid_input");
    }
  }
  assert.deepEqual(
    await Promise.all([count(b, "clients"), count(b, "contracts"), count(b, "events")]),
    before,
    "nothing written",
  );
});

backendTest("update with no field is exit 2; unknown ids are exit 5; duplicate client email is exit 6", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  const client = await newClient(sales, { email: "kate@startup.test" });
  const other = await newClient(sales, { email: "john@other.test" });
  const contract = await newContract(sales, client.id);
  const event = await ok<EventJson>(
    manager.cli([...eventArgs(contract.id), "--support-contact-id", String(support.id)]),
  );

  for (
    const [who, args] of [
      [sales, ["client", "update", String(client.id)]],
      [sales, ["contract", "update", String(contract.id)]],
      [support, ["event", "update", String(event.id)]],
      [manager, ["event", "update", String(event.id)]],
    ] as const
  ) {
    const result = await who.cli([...args, "--json"]);
    refused(result, 2, undefined, args.join(" "));
    assert.match(errorOf(result).message, /nothing to update/);
  }

  const unknown: Array<[Person, string[]]> = [
    [support, ["client", "show", "9999"]],
    [manager, ["client", "update", "9999", "--phone", "0102030405"]],
    [manager, ["client", "delete", "9999", "--yes"]],
    [support, ["contract", "show", "9999"]],
    [manager, ["contract", "update", "9999", "--due", "1"]],
    [manager, ["contract", "sign", "9999"]],
    [manager, ["contract", "delete", "9999", "--yes"]],
    [manager, ["contract", "create", "--client", "9999", "--total", "10"]],
    [support, ["event", "show", "9999"]],
    [manager, ["event", "update", "9999", "--location", "Lyon"]],
    [manager, ["event", "assign", "9999", "--support", String(support.id)]],
    [manager, ["event", "delete", "9999", "--yes"]],
    [manager, ["event", "create", ...eventArgs(9999).slice(2)]],
    [manager, ["event", "assign", String(event.id), "--support", "9999"]],
    [manager, ["client", "update", String(client.id), "--sales-contact-id", "9999"]],
  ];
  for (const [who, args] of unknown) {
    const result = await who.cli([...args.filter((a) => a !== "--json"), "--json"]);
    refused(result, 5, undefined, args.join(" "));
    assert.equal(errorOf(result).code, "not_found");
  }
  for (const bad of ["abc", "0", "-3", "1.5"]) {
    refused(await support.cli(["client", "show", bad, "--json"]), 2, undefined, `id ${bad}`);
  }

  const clients = await count(b, "clients");
  for (const email of ["kate@startup.test", "KATE@Startup.TEST", "  kate@startup.test "]) {
    const dup = await sales.cli(clientArgs({ email }));
    refused(dup, 6, "email", email);
    assert.equal(errorOf(dup).code, "conflict");
  }
  assert.equal(await count(b, "clients"), clients);
  refused(
    await sales.cli(["client", "update", String(other.id), "--email", "Kate@startup.test", "--json"]),
    6,
    "email",
    "update to another client's email",
  );
  const same = await ok<ClientJson>(
    sales.cli(["client", "update", String(client.id), "--email", "KATE@startup.test", "--json"]),
  );
  assert.equal(same.email, "kate@startup.test", "a client may keep its own email");
});

// ---------------------------------------------------------------------------
// Timestamps and concurrent partial updates

backendTest("client last_updated moves on every update; created_at never changes", async (b) => {
  const { manager, sales, sales2 } = await setupCrew(b);
  const created = await newClient(sales);
  assert.equal(created.created_at, created.last_updated, "equal at creation");
  const pause = () => new Promise((r) => setTimeout(r, 15));
  let previous = created;
  const updates: Array<[Person, string[]]> = [
    [sales, ["--phone", "+33 1 11 11 11 11"]],
    [manager, ["--company-name", "Renamed"]],
    [manager, ["--sales-contact-id", String(sales2.id)]],
    [sales2, ["--full-name", "Kate H."]],
  ];
  for (const [who, flags] of updates) {
    await pause();
    const updated = await ok<ClientJson>(who.cli(["client", "update", String(created.id), ...flags, "--json"]));
    assert.equal(updated.created_at, created.created_at, `${flags[0]}: created_at unchanged`);
    assert.ok(
      new Date(updated.last_updated).getTime() > new Date(previous.last_updated).getTime(),
      `${flags[0]}: last_updated moved (${previous.last_updated} → ${updated.last_updated})`,
    );
    previous = updated;
  }
  // A refused update touches nothing.
  await pause();
  refused(await sales2.cli(["client", "update", String(created.id), "--email", "bad", "--json"]), 2, "email");
  const shown = await ok<ClientJson>(sales2.cli(["client", "show", String(created.id), "--json"]));
  assert.deepEqual(shown, previous);
  assert.deepEqual(
    [shown.full_name, shown.phone, shown.company_name, shown.sales_contact_id],
    ["Kate H.", "+33 1 11 11 11 11", "Renamed", sales2.id],
    "every partial update kept the others' fields",
  );
});

/**
 * Runs the real program as `who` in a child process: concurrent commands run
 * as separate processes, the way two people at two terminals run them. (Two
 * in-process runs on one SQLite file would block each other: node:sqlite waits
 * for a lock synchronously, on the one JavaScript thread.)
 */
function spawnAs(b: Backend, who: Person, args: string[]): Promise<CliResult> {
  return spawnCli(args, { env: who.env, cwd: b.dir });
}

backendTest("concurrent updates of different fields of one record all keep their change", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  // A few rounds, so that the processes' transactions really overlap at least once.
  for (let round = 0; round < 3; round++) {
    const client = await newClient(sales);
    const contract = await ok<ContractJson>(
      sales.cli(["contract", "create", "--client", String(client.id), "--total", "1000", "--json"]),
    );
    const signed = await newContract(sales, client.id, "500");
    const event = await ok<EventJson>(
      manager.cli([...eventArgs(signed.id), "--support-contact-id", String(support.id)]),
    );

    const results = await Promise.all([
      // One client, four fields: three processes of the same manager and one of its SALES owner.
      spawnAs(b, sales, ["client", "update", String(client.id), "--phone", `+33 1 00 00 00 0${round}`]),
      spawnAs(b, manager, ["client", "update", String(client.id), "--company-name", `Company ${round}`]),
      spawnAs(b, manager, ["client", "update", String(client.id), "--full-name", `Name ${round}`]),
      spawnAs(b, manager, ["client", "update", String(client.id), "--email", `moved${round}@x.test`]),
      // One contract: a manager changes the total while its SALES owner signs it.
      spawnAs(b, manager, ["contract", "update", String(contract.id), "--total", "2000"]),
      spawnAs(b, sales, ["contract", "sign", String(contract.id)]),
      // One event: its SUPPORT contact moves it while a manager writes notes.
      spawnAs(b, support, ["event", "update", String(event.id), "--location", "Lyon"]),
      spawnAs(b, manager, ["event", "update", String(event.id), "--notes", "Vegan menu"]),
    ]);
    for (const result of results) assert.equal(result.code, 0, `round ${round}: ${result.stdout}\n${result.stderr}`);

    const shown = await ok<ClientJson>(support.cli(["client", "show", String(client.id), "--json"]));
    assert.deepEqual(
      [shown.phone, shown.company_name, shown.full_name, shown.email],
      [`+33 1 00 00 00 0${round}`, `Company ${round}`, `Name ${round}`, `moved${round}@x.test`],
      `round ${round}`,
    );
    const k = await ok<ContractJson>(support.cli(["contract", "show", String(contract.id), "--json"]));
    assert.deepEqual([k.total_amount, k.amount_due, k.signed_status], ["2000.00", "1000.00", true]);
    const ev = await ok<EventJson>(support.cli(["event", "show", String(event.id), "--json"]));
    assert.deepEqual([ev.location, ev.notes, ev.attendees], ["Lyon", "Vegan menu", 75]);
  }
});

// ---------------------------------------------------------------------------
// Signing and deleting

backendTest("contract sign by its SALES owner; signing a signed contract is exit 0 and changes nothing", async (b) => {
  const { sales } = await setupCrew(b);
  const client = await newClient(sales);
  const contract = await newContract(sales, client.id, "1500", false);
  assert.equal(contract.signed_status, false);
  const first = await ok<ContractJson>(sales.cli(["contract", "sign", String(contract.id), "--json"]));
  assert.equal(first.signed_status, true);
  assert.deepEqual([first.total_amount, first.amount_due], ["1500.00", "1500.00"]);
  // Documented behaviour: signing again succeeds, the contract stays signed,
  // nothing else changes and no second signature is recorded.
  const again = await ok<ContractJson>(sales.cli(["contract", "sign", String(contract.id), "--json"]));
  assert.deepEqual(again, first);
  const text = await sales.cli(["contract", "sign", String(contract.id)]);
  assert.equal(text.code, 0);
  // Issue 9: the human line is on stderr; stdout is the record, its first field first.
  assert.match(text.stderr, /already signed/);
  assert.equal(text.stdout.split("\n")[0], `ID\t${contract.id}`);
  const db = await b.db();
  const signatures = await db.query(
    "SELECT id FROM audit_log WHERE action = 'contract.signed' AND entity = 'contract' AND entity_id = $1",
    [contract.id],
  );
  assert.equal(signatures.length, 1, "one signature recorded");
});

backendTest("deletes need --yes off a terminal; dependents are exit 6 with counts unless --cascade", async (b) => {
  const { manager, sales } = await setupCrew(b);
  const client = await newClient(sales);
  const k1 = await newContract(sales, client.id);
  const k2 = await newContract(sales, client.id, "500", false);
  const e1 = await ok<EventJson>(sales.cli(eventArgs(k1.id)));
  const e2 = await ok<EventJson>(sales.cli(eventArgs(k1.id, { name: "Second" })));
  const lone = await newClient(sales);
  const loneContract = await newContract(sales, lone.id);
  const loneEvent = await ok<EventJson>(sales.cli(eventArgs(loneContract.id)));
  const totals = () => Promise.all([count(b, "clients"), count(b, "contracts"), count(b, "events")]);
  const start = await totals();

  // Without --yes off a terminal: exit 2, nothing deleted (also with --cascade).
  for (
    const args of [
      ["client", "delete", String(client.id)],
      ["client", "delete", String(client.id), "--cascade"],
      ["contract", "delete", String(k2.id)],
      ["contract", "delete", String(k1.id), "--cascade"],
      ["event", "delete", String(e1.id)],
    ]
  ) {
    const result = await manager.cli([...args, "--json"]);
    refused(result, 2, undefined, args.join(" "));
    assert.match(errorOf(result).message, /--yes/);
  }
  assert.deepEqual(await totals(), start);

  // A client with contracts (and events), a contract with events: exit 6 with the counts.
  const clientConflict = await manager.cli(["client", "delete", String(client.id), "--yes", "--json"]);
  refused(clientConflict, 6, undefined, "client with contracts");
  assert.equal(errorOf(clientConflict).code, "conflict");
  assert.match(errorOf(clientConflict).message, /2 contract\(s\) and 2 event\(s\)/);
  assert.match(errorOf(clientConflict).message, /--cascade/);
  const contractConflict = await manager.cli(["contract", "delete", String(k1.id), "--yes", "--json"]);
  refused(contractConflict, 6, undefined, "contract with events");
  assert.match(errorOf(contractConflict).message, /2 event\(s\)/);
  assert.deepEqual(await totals(), start, "nothing deleted");

  // A contract without events goes; an event goes.
  await ok(manager.cli(["contract", "delete", String(k2.id), "--yes"]));
  await ok(manager.cli(["event", "delete", String(e2.id), "--yes"]));
  assert.deepEqual(await totals(), [start[0], start[1] - 1, start[2] - 1]);
  // --cascade on a contract deletes its events.
  const contractCascade = await ok<Record<string, unknown>>(
    manager.cli(["contract", "delete", String(loneContract.id), "--yes", "--cascade", "--json"]),
  );
  assert.equal(contractCascade.deleted_events, 1);
  const db = await b.db();
  assert.equal((await db.query("SELECT id FROM events WHERE id = $1", [loneEvent.id])).length, 0);
  // --cascade on a client deletes its contracts and their events.
  const cascaded = await ok<Record<string, unknown>>(
    manager.cli(["client", "delete", String(client.id), "--yes", "--cascade", "--json"]),
  );
  assert.deepEqual([cascaded.deleted_contracts, cascaded.deleted_events], [1, 1]);
  assert.equal((await db.query("SELECT id FROM clients WHERE id = $1", [client.id])).length, 0);
  assert.equal((await db.query("SELECT id FROM contracts WHERE client_id = $1", [client.id])).length, 0);
  assert.equal((await db.query("SELECT id FROM events WHERE client_id = $1", [client.id])).length, 0);
  // The other client is untouched; a client without contracts needs no --cascade.
  assert.equal((await db.query("SELECT id FROM clients WHERE id = $1", [lone.id])).length, 1);
  await ok(manager.cli(["client", "delete", String(lone.id), "--yes"]));
  assert.deepEqual(await totals(), [start[0] - 2, 0, 0]);
});
