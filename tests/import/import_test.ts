/**
 * Imports at the service level, on both backends: round trips of what the
 * CLI exports today, every kind of bad line (each reported with its line and
 * field, all of them, nothing written), permission refusals, dry runs,
 * `skip`/`update` idempotence, a failure in the middle of a long file, and
 * the audit trail.
 * @module
 */
import assert from "node:assert/strict";
import type { Database } from "../../src/db/database.ts";
import { PermissionDeniedError } from "../../src/domain/errors.ts";
import { type ImportEntity, type ImportFormat, type ParsedRow, readImport } from "../../src/import/mod.ts";
import {
  type ImportOptions,
  importRecords,
  type ImportResult,
  MAX_REPORTED_ERRORS,
} from "../../src/services/import.ts";
import { createClient } from "../../src/services/clients.ts";
import { type Backend, backendTest, createBackend } from "../support/backends.ts";
import { type ActorLike, builders, firstManager, serviceContext, setupCrew } from "../support/fixtures.ts";

const encoder = new TextEncoder();

async function* bytesOf(input: string | Uint8Array): AsyncGenerator<Uint8Array> {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
}

/** Imports `input` as `actor`. */
function importText(
  db: Database,
  actor: ActorLike,
  what: { entity: ImportEntity; format: ImportFormat },
  input: string | Uint8Array,
  options: ImportOptions = {},
): Promise<ImportResult> {
  return importRecords(serviceContext(db, actor), what.entity, readImport(bytesOf(input), what), options);
}

const CLIENTS_CSV = { entity: "client", format: "csv" } as const;

/** Rows of each table, and audit entries: what "nothing written" is checked against. */
async function counts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ["clients", "contracts", "events", "audit_log"]) {
    out[table] = Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);
  }
  return out;
}

/** A clients CSV (titles as `client list --format csv` prints them, plus SALES CONTACT EMAIL). */
function clientsCsv(rows: readonly string[][]): string {
  return ["NAME,COMPANY,EMAIL,PHONE,SALES CONTACT EMAIL", ...rows.map((r) => r.join(","))].join("\r\n") + "\r\n";
}

function client(n: number, sales = "sam@epic.test"): string[] {
  return [`Client ${n}`, `Corp ${n}`, `client${n}@example.com`, "+33 6 12 34 56 78", sales];
}

/** A manager, two SALES and a SUPPORT collaborator made through the services (no logins). */
async function team(b: Backend) {
  const manager = await firstManager(b);
  const build = await builders(b, manager);
  const sales = await build.user("SALES", { first_name: "Sam", last_name: "Seller", email: "sam@epic.test" });
  const sales2 = await build.user("SALES", { first_name: "Sue", last_name: "Vendor", email: "sue@epic.test" });
  const support = await build.user("SUPPORT", { first_name: "Tom", last_name: "Helper", email: "tom@epic.test" });
  return { manager, sales, sales2, support, build, db: build.db };
}

const WITHOUT_TIMES = (rows: Record<string, unknown>[]) =>
  rows.map(({ created_at: _c, last_updated: _l, ...rest }) => rest);

backendTest("export with today's CLI, import into an empty database: the same rows", async (a) => {
  const crew = await setupCrew(a);
  const { build, manager } = crew;
  const c1 = await build.client(crew.sales, { full_name: "Kevin Casey", company_name: "Cool, Startup" });
  const c2 = await build.client(crew.sales2, { full_name: 'Ann "Q" Lee', email: "ann@example.com" });
  const k1 = await build.contract(c1, { total_amount: "1500.50", amount_due: "200.00", signed: true });
  await build.contract(c1, { total_amount: "10.00" });
  const k3 = await build.contract(c2, { total_amount: "99.99", signed: true });
  await build.event(k1, { name: "Launch", notes: 'Line one, with a comma\nand "quotes"', support: crew.support });
  await build.event(k1, { name: "Gala", start_date: "2027-07-01T18:00:00Z", end_date: "2027-07-02T01:00:00Z" });
  await build.event(k3, { name: "Brunch" });

  const exported = await manager.cli(["client", "list", "--format", "csv"]);
  assert.equal(exported.code, 0, exported.stderr);
  const clientsCsvExport = exported.stdout;
  const listJson = async (noun: string) =>
    (await manager.cli([noun, "list", "--json"])).json<Record<string, unknown>[]>();
  const clients = await listJson("client");
  const contracts = await listJson("contract");
  const events = await listJson("event");
  // What a contract or event names its client or contract by, where ids mean nothing: the natural keys.
  const emailOf = new Map(clients.map((c) => [c.id, c.email]));
  const numberOf = new Map<unknown, number>();
  for (const c of contracts) {
    numberOf.set(
      c.id,
      contracts.filter((o) => o.client_id === c.client_id && (o.id as number) <= (c.id as number)).length,
    );
  }
  const contractLines = contracts.map((c) => JSON.stringify({ ...c, client_email: emailOf.get(c.client_id) }) + "\n");
  const eventLines = events.map(({ contract_id, ...e }) => {
    const contract = contracts.find((c) => c.id === contract_id)!;
    return JSON.stringify({
      ...e,
      client_email: emailOf.get(contract.client_id),
      contract_number: numberOf.get(contract_id),
    }) +
      "\n";
  });

  const b = await createBackend(a.name);
  try {
    const target = await setupCrew(b);
    const db = target.build.db;
    const as = target.manager;
    const imported = [
      await importText(db, as, CLIENTS_CSV, clientsCsvExport),
      await importText(db, as, { entity: "contract", format: "jsonl" }, contractLines.join("")),
      await importText(db, as, { entity: "event", format: "jsonl" }, eventLines.join("")),
    ];
    assert.deepEqual(imported.map((r) => [r.created, r.errors]), [[2, []], [3, []], [3, []]]);
    const again = async (noun: string) =>
      (await target.manager.cli([noun, "list", "--json"])).json<Record<string, unknown>[]>();
    assert.deepEqual(WITHOUT_TIMES(await again("client")), WITHOUT_TIMES(clients));
    assert.deepEqual(WITHOUT_TIMES(await again("contract")), WITHOUT_TIMES(contracts));
    assert.deepEqual(await again("event"), events);
    // What the reports and calendars read: a contract imported signed has its signing instant, every event its
    // last change (the same columns a single create writes).
    const unstamped = await db.one<{ contracts: number; events: number }>(
      `SELECT (SELECT count(*) FROM contracts WHERE signed_status AND signed_at IS NULL) AS contracts,
              (SELECT count(*) FROM events WHERE updated_at IS NULL) AS events`,
    );
    assert.deepEqual([Number(unstamped!.contracts), Number(unstamped!.events)], [0, 0]);
    // And the CSV of the list reads the same.
    assert.equal((await target.manager.cli(["client", "list", "--format", "csv"])).stdout, clientsCsvExport);
  } finally {
    await b.dispose();
  }
}, { remote: false });

backendTest(
  "every kind of bad line is reported with its line and field, all of them, and nothing is written",
  async (b) => {
    const { manager, sales, support, db } = await team(b);
    await importText(db, manager, CLIENTS_CSV, clientsCsv([client(1)]));
    const before = await counts(db);
    const result = await importText(
      db,
      manager,
      CLIENTS_CSV,
      clientsCsv([
        client(2),
        ["Bad Email", "Corp", "not-an-email", "+33 6 12 34 56 78", "sam@epic.test"],
        ["Short", "Corp", "short@example.com", "12", "sam@epic.test"],
        ["Too", "few", "fields"],
        client(1), // exists
        ["", "", "blank@example.com", "+33 6 12 34 56 78", "nobody@epic.test"],
        client(2), // twice in the file
        ["Wrong Role", "Corp", "role@example.com", "+33 6 12 34 56 78", "tom@epic.test"],
      ]),
    );
    assert.equal(result.committed, false);
    assert.deepEqual(result.errors.map((e) => [e.line, e.field, e.code, e.message]), [
      [3, "email", "invalid_input", "email: must be a valid email address"],
      [4, "phone", "invalid_input", "phone: must be 5 to 20 characters"],
      [5, undefined, "invalid_input", "has 3 fields, the header 5"],
      [6, "email", "conflict", "email: a client with this email already exists (client 1)"],
      [
        7,
        "sales_contact_email",
        "invalid_input",
        "sales_contact_email: no collaborator has the email nobody@epic.test",
      ],
      [7, "full_name", "invalid_input", "full_name: is required"],
      [7, "company_name", "invalid_input", "company_name: is required"],
      [8, "email", "invalid_input", "email: the same as line 2"],
      [9, "sales_contact_id", "invalid_input", `sales_contact_id: user ${support.id} is SUPPORT, not SALES`],
    ]);
    assert.equal(result.errorCount, 9);
    assert.deepEqual(await counts(db), before);

    // A SALES collaborator imports clients that become theirs; naming another is refused as by hand.
    const own = await importText(
      db,
      sales,
      CLIENTS_CSV,
      "NAME,COMPANY,EMAIL,PHONE\nMine,Corp,mine@example.com,01234567\n",
    );
    assert.equal(own.created, 1);
    assert.equal(
      (await db.one<{ s: number }>("SELECT sales_contact_id AS s FROM clients WHERE email = 'mine@example.com'"))!.s,
      sales.id,
    );
    const other = await importText(db, sales, CLIENTS_CSV, clientsCsv([client(3, "sue@epic.test")]));
    assert.deepEqual(other.errors.map((e) => [e.line, e.code]), [[2, "permission_denied"]]);
    assert.match(other.errors[0].message, /their own/);
  },
  { remote: false },
);

backendTest(
  "what ends the reading (not UTF-8, a bad header, an open quote, a huge line) is a line error, nothing written",
  async (b, t) => {
    const { manager, db } = await team(b);
    const before = await counts(db);
    const cases: [string, string | Uint8Array, number, RegExp][] = [
      [
        "not UTF-8",
        new Uint8Array([...encoder.encode(clientsCsv([client(1)])), ...encoder.encode("Ren"), 0xe9, 0x0a]),
        3,
        /not UTF-8/,
      ],
      ["bad header", "NAME,COMPANY,EMAIL,PHONE,SALES\n", 1, /unknown column "SALES"/],
      [
        "open quote",
        clientsCsv([client(1), client(2)]) + '"Open,Corp,o@example.com,01234567,sam@epic.test\r\n',
        4,
        /never closes/,
      ],
      ["huge line", clientsCsv([client(1)]) + "x".repeat(3 * 1024 * 1024), 3, /longer than 1048576 bytes/],
    ];
    for (const [name, input, line, message] of cases) {
      await t.step(name, async () => {
        const result = await importText(db, manager, CLIENTS_CSV, input);
        assert.equal(result.committed, false);
        assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
        assert.equal(result.errors[0].line, line);
        assert.match(result.errors[0].message, message);
        assert.deepEqual(await counts(db), before);
      });
    }
  },
  { remote: false },
);

backendTest("a collaborator who may not create the entity is refused before any line is read", async (b) => {
  const { support, db } = await team(b);
  let pulled = false;
  async function* rows(): AsyncGenerator<ParsedRow> {
    pulled = true;
    yield { line: 2, record: {} };
  }
  await assert.rejects(
    () => importRecords(serviceContext(db, support), "client", rows()),
    (error) => error instanceof PermissionDeniedError && error.exitCode === 4,
  );
  assert.equal(pulled, false);
}, { remote: false });

backendTest(
  "a failure in the middle of a long file leaves nothing; errors are capped; a dry run writes nothing",
  async (b) => {
    const { manager, db } = await team(b);
    const before = await counts(db);
    const rows = Array.from({ length: 1300 }, (_, i) => client(i + 1));
    rows[1100] = ["Bad", "Corp", "bad", "+33 6 12 34 56 78", "sam@epic.test"];
    const failed = await importText(db, manager, CLIENTS_CSV, clientsCsv(rows));
    assert.deepEqual(failed.errors.map((e) => e.line), [1102]);
    assert.equal(failed.created, 1299); // what would have been created: it was rolled back
    assert.deepEqual(await counts(db), before);

    const many = await importText(
      db,
      manager,
      CLIENTS_CSV,
      clientsCsv(rows.map((r) => [r[0], r[1], "bad", r[3], r[4]])),
    );
    assert.equal(many.errors.length, MAX_REPORTED_ERRORS);
    assert.equal(many.errorCount, 1300);
    assert.deepEqual(many.errors.slice(0, 2).map((e) => e.line), [2, 3]);

    rows[1100] = client(1101);
    const dry = await importText(db, manager, CLIENTS_CSV, clientsCsv(rows), { dryRun: true });
    assert.deepEqual([dry.created, dry.errorCount, dry.dryRun, dry.committed], [1300, 0, true, false]);
    assert.deepEqual(await counts(db), before);

    const done = await importText(db, manager, CLIENTS_CSV, clientsCsv(rows));
    assert.deepEqual([done.created, done.committed], [1300, true]);
    assert.deepEqual(await counts(db), { ...before, clients: 1300, audit_log: before.audit_log + 1300 });
    // A duplicate two batches apart is found too.
    const twice = await importText(
      db,
      manager,
      CLIENTS_CSV,
      clientsCsv([...Array.from({ length: 1200 }, (_, i) => client(5000 + i)), client(5000)]),
    );
    assert.deepEqual(twice.errors.map((e) => [e.line, e.message]), [[
      1202,
      "email: the same as an earlier line of this file",
    ]]);
  },
  { remote: false },
);

backendTest(
  "skip and update: a second run of the same file changes nothing; update changes what differs",
  async (b) => {
    const { manager, sales, sales2, db } = await team(b);
    const file = clientsCsv([client(1), client(2), client(3)]);
    assert.equal((await importText(db, manager, CLIENTS_CSV, file)).created, 3);
    const snapshot = async () => ({
      counts: await counts(db),
      rows: await db.query("SELECT * FROM clients ORDER BY id"),
    });
    const first = await snapshot();
    const skipped = await importText(db, manager, CLIENTS_CSV, file, { onConflict: "skip" });
    assert.deepEqual([skipped.created, skipped.updated, skipped.skipped, skipped.committed], [0, 0, 3, true]);
    assert.deepEqual(await snapshot(), first);
    const same = await importText(db, manager, CLIENTS_CSV, file, { onConflict: "update" });
    assert.deepEqual([same.created, same.updated, same.skipped], [0, 0, 3]);
    assert.deepEqual(await snapshot(), first);

    const changed = clientsCsv([
      client(1),
      [...client(2).slice(0, 3), "+33 1 00 00 00 00", "sue@epic.test"],
      client(4),
    ]);
    const updated = await importText(db, manager, CLIENTS_CSV, changed, { onConflict: "update" });
    assert.deepEqual([updated.created, updated.updated, updated.skipped], [1, 1, 1]);
    const row = await db.one<{ phone: string; sales_contact_id: number }>(
      "SELECT phone, sales_contact_id FROM clients WHERE email = 'client2@example.com'",
    );
    assert.deepEqual({ ...row }, { phone: "+33 1 00 00 00 00", sales_contact_id: sales2.id });
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity = 'client' ORDER BY id DESC LIMIT 2",
    );
    assert.deepEqual(audit.map((a) => a.action).sort(), ["client.created", "client.updated"]);
    // A SALES collaborator's update of a client that is not theirs is refused as `client update` refuses it.
    const refused = await importText(
      db,
      sales,
      CLIENTS_CSV,
      "NAME,COMPANY,EMAIL,PHONE\nX,Y,client2@example.com,01234567\n",
      {
        onConflict: "update",
      },
    );
    assert.deepEqual(refused.errors.map((e) => [e.line, e.code]), [[2, "permission_denied"]]);
  },
  { remote: false },
);

backendTest("an imported client's audit entry is the one `client create` writes", async (b) => {
  const { manager, sales, db } = await team(b);
  await createClient(serviceContext(db, manager), {
    full_name: "By Hand",
    email: "hand@example.com",
    phone: "+33 6 12 34 56 78",
    company_name: "Corp",
    sales_contact_id: sales.id,
  });
  await importText(
    db,
    manager,
    CLIENTS_CSV,
    "NAME,COMPANY,EMAIL,PHONE,SALES CONTACT\nBy Import,Corp,import@example.com,+33 6 12 34 56 78,Sam Seller\n",
  );
  const entries = await db.query<{ actor_id: number; action: string; entity_id: number; changes: string }>(
    "SELECT actor_id, action, entity_id, changes FROM audit_log WHERE entity = 'client' ORDER BY id",
  );
  const shape = (e: (typeof entries)[number]) => ({
    actor_id: e.actor_id,
    action: e.action,
    keys: Object.keys(JSON.parse(e.changes)),
    sales: JSON.parse(e.changes).sales_contact_id,
  });
  assert.equal(entries.length, 2);
  assert.deepEqual(shape(entries[1]), shape(entries[0]));
  assert.deepEqual(entries.map((e) => e.entity_id), [1, 2]);
}, { remote: false });

backendTest("contracts by client and creation order; events by contract, name and start; their refusals", async (b) => {
  const { manager, sales, sales2, support, build, db } = await team(b);
  const mine = await build.client(sales, { email: "mine@example.com" });
  await build.client(sales2, { email: "theirs@example.com" });
  await build.contract(mine, { total_amount: "5.00" }); // contract 1 of mine, made by hand
  const contracts = { entity: "contract", format: "csv" } as const;
  const header = "CLIENT EMAIL,CONTRACT NUMBER,TOTAL,DUE,SIGNED\n";
  const added = await importText(
    db,
    sales,
    contracts,
    header + "mine@example.com,2,100.00,,true\nmine@example.com,3,50.00,10.00,false\n",
  );
  assert.deepEqual([added.created, added.errors], [2, []]);
  const refused = await importText(
    db,
    sales,
    contracts,
    header +
      "mine@example.com,1,5.00,,\n" + // exists: fail
      "mine@example.com,9,1.00,,\n" + // a gap
      "theirs@example.com,1,1.00,,\n" + // not their client
      "nobody@example.com,1,1.00,,\n" + // no such client
      "mine@example.com,4,1.00,2.00,\n", // due above total
  );
  assert.deepEqual(refused.errors.map((e) => [e.line, e.field, e.code]), [
    [2, "contract_number", "conflict"],
    [3, "contract_number", "invalid_input"],
    [4, undefined, "permission_denied"],
    [5, "client_email", "invalid_input"],
    [6, "amount_due", "invalid_input"],
  ]);
  const skipped = await importText(db, sales, contracts, header + "mine@example.com,2,100.00,,true\n", {
    onConflict: "skip",
  });
  assert.deepEqual([skipped.skipped, skipped.created], [1, 0]);

  const events = { entity: "event", format: "jsonl" } as const;
  const event = (over: Record<string, unknown>) =>
    JSON.stringify({
      client_email: "mine@example.com",
      contract_number: 2,
      name: "Launch",
      client_contact: "Kate",
      start_date: "2027-06-04T18:00:00Z",
      end_date: "2027-06-05T02:00:00Z",
      location: "Paris",
      attendees: 75,
      ...over,
    }) + "\n";
  const made = await importText(
    db,
    manager,
    events,
    event({}) + event({ name: "Gala", support_contact_email: "tom@epic.test" }),
  );
  assert.deepEqual([made.created, made.errors], [2, []]);
  const assigned = await db.one<{ s: number }>("SELECT support_contact_id AS s FROM events WHERE name = 'Gala'");
  assert.equal(assigned!.s, support.id);
  const bad = await importText(
    db,
    sales,
    events,
    event({}) + // exists
      event({ contract_number: 3, name: "Unsigned" }) + // contract 3 is not signed
      event({ name: "Assigned", support_contact_email: "tom@epic.test" }) + // SALES may not assign
      event({ name: "Ends first", end_date: "2027-06-01T00:00:00Z" }),
  );
  assert.deepEqual(bad.errors.map((e) => [e.line, e.field, e.code]), [
    [1, "name", "conflict"],
    [2, "contract_id", "conflict"],
    [3, undefined, "permission_denied"],
    [4, "end_date", "invalid_input"],
  ]);
  const moved = await importText(db, manager, events, event({ location: "Lyon" }), { onConflict: "update" });
  assert.deepEqual([moved.updated, moved.created], [1, 0]);
  assert.equal((await db.one<{ l: string }>("SELECT location AS l FROM events WHERE name = 'Launch'"))!.l, "Lyon");
}, { remote: false });
