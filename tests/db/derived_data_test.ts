/**
 * The derived data of migration 0005 stays true to the rows it derives from,
 * whatever writes them (the program, plain SQL, a restore, the migration
 * itself over older rows): each contract's and event's copy of its client's
 * sales contact, the `id_days` bounds of `--upcoming` and `--since`, and the
 * client search index.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Database } from "../../src/db/database.ts";
import { migrateDown, migrateUp } from "../../src/db/migrator.ts";
import { MIGRATIONS } from "../../migrations/mod.ts";
import { listAuditEntries } from "../../src/repositories/audit.ts";
import { listColumns, listTables } from "../../src/repositories/backup.ts";
import { listClients } from "../../src/repositories/clients.ts";
import { listContracts } from "../../src/repositories/contracts.ts";
import { listEvents } from "../../src/repositories/events.ts";
import { seed } from "../../tools/seed.ts";
import { type Backend, backendTest, createBackend } from "../support/backends.ts";

const PAST = "2020-03-01T10:00:00.000Z";
const START = "2019-01-01T10:00:00.000Z";
const FUTURE = "2099-03-01T10:00:00.000Z";

/** Rows whose copy of the client's sales contact is not the client's. */
async function stale(db: Database): Promise<number> {
  const row = await db.one<{ n: number }>(
    `SELECT (SELECT count(*) FROM contracts k JOIN clients c ON c.id = k.client_id
             WHERE k.client_sales_contact_id IS NULL OR k.client_sales_contact_id <> c.sales_contact_id)
          + (SELECT count(*) FROM events e JOIN clients c ON c.id = e.client_id
             WHERE e.client_sales_contact_id IS NULL OR e.client_sales_contact_id <> c.sales_contact_id) AS n`,
  );
  return Number(row!.n);
}

async function ids<T extends { id: number }>(rows: AsyncIterable<T>): Promise<number[]> {
  return (await Array.fromAsync(rows)).map((r) => r.id);
}

/** An event with the given id on the first signed contract, ending at `end`. */
async function addEvent(db: Database, id: number, end: string, extra: { salesCopy?: number } = {}): Promise<void> {
  const contract = await db.one<{ id: number; client_id: number }>(
    "SELECT id, client_id FROM contracts WHERE signed_status = $1 ORDER BY id",
    [true],
  );
  const columns = ["id", "name", "contract_id", "client_id", "client_contact", "start_date", "end_date", "location"];
  const values: (string | number)[] = [
    id,
    `Event ${id}`,
    contract!.id,
    contract!.client_id,
    "Kate",
    START,
    end,
    "Lyon",
  ];
  if (extra.salesCopy !== undefined) {
    columns.push("client_sales_contact_id");
    values.push(extra.salesCopy);
  }
  await db.insertMany("events", [...columns, "attendees"], [[...values, 10]]);
}

backendTest("contracts and events keep a true copy of their client's sales contact", async (b) => {
  const db = await b.db();
  await seed(db, { clients: 12, events: 80, bcryptRounds: 4 });
  assert.equal(await stale(db), 0, "seeded rows");
  const [first, second] = (await db.query<{ id: number }>("SELECT id FROM users WHERE role = 'SALES' ORDER BY id"))
    .map((u) => u.id);
  // Written without the copy, or with a wrong one: the triggers set it.
  await addEvent(db, 10_001, FUTURE);
  await addEvent(db, 10_002, FUTURE, { salesCopy: 1 });
  await db.execute("UPDATE events SET client_sales_contact_id = 1 WHERE id = 10001");
  assert.equal(await stale(db), 0, "inserted and updated events");
  // A client changes hands: its contracts and events follow.
  const client = (await db.one<{ id: number }>(
    "SELECT c.id FROM clients c WHERE c.sales_contact_id = $1 AND EXISTS (SELECT 1 FROM events e WHERE e.client_id = c.id) ORDER BY c.id",
    [first],
  ))!.id;
  const mineBefore = await ids(listEvents(db, { clientSalesContactId: second }));
  await db.execute("UPDATE clients SET sales_contact_id = $1 WHERE id = $2", [second, client]);
  assert.equal(await stale(db), 0, "after the move");
  const theirs = await db.query<{ id: number }>("SELECT id FROM events WHERE client_id = $1 ORDER BY id", [client]);
  const mineAfter = await ids(listEvents(db, { clientSalesContactId: second }));
  assert.deepEqual(mineAfter, [...mineBefore, ...theirs.map((e) => e.id)].sort((x, y) => x - y));
  assert.ok(
    !(await ids(listEvents(db, { clientSalesContactId: first }))).some((id) => theirs.some((e) => e.id === id)),
  );
  const contracts = await ids(listContracts(db, { clientSalesContactId: second }));
  const moved = await db.query<{ id: number }>("SELECT id FROM contracts WHERE client_id = $1", [client]);
  assert.ok(moved.every((k) => contracts.includes(k.id)));
});

backendTest("--upcoming and --since find every match whatever its id (id_days bounds)", async (b) => {
  const db = await b.db();
  await seed(db, { clients: 5, events: 0, bcryptRounds: 4 });
  const now = new Date().toISOString();
  // Ids in different blocks of 1024, in no order of their dates.
  await addEvent(db, 1, PAST);
  await addEvent(db, 2_000, FUTURE);
  await addEvent(db, 5_000, PAST);
  await addEvent(db, 9_000, FUTURE);
  const upcoming = () => ids(listEvents(db, { endsAfter: now }));
  assert.deepEqual(await upcoming(), [2_000, 9_000]);
  await db.execute("UPDATE events SET end_date = $1 WHERE id = $2", [FUTURE, 1]);
  assert.deepEqual(await upcoming(), [1, 2_000, 9_000], "an old event moved to the future");
  await db.execute("UPDATE events SET end_date = $1 WHERE id = $2", [PAST, 2_000]);
  await db.execute("UPDATE events SET end_date = $1 WHERE id = $2", [FUTURE, 5_000]);
  assert.deepEqual(await upcoming(), [1, 5_000, 9_000]);
  assert.deepEqual(await ids(listEvents(db, { endsAfter: now, limit: 1, offset: 1 })), [5_000]);
  // The bound is a day: an event ending later today is still found, one that ended is not.
  const soon = new Date(Date.now() + 60_000).toISOString();
  const gone = new Date(Date.now() - 60_000).toISOString();
  await addEvent(db, 3_000, soon);
  await addEvent(db, 3_001, gone);
  assert.deepEqual(await upcoming(), [1, 3_000, 5_000, 9_000]);

  // The audit trail: entries written in any order of their times.
  const entries: [number, string][] = [[1, PAST], [1_500, FUTURE], [4_000, PAST], [7_000, now]];
  await db.insertMany(
    "audit_log",
    ["id", "occurred_at", "actor_id", "action", "entity", "entity_id"],
    entries.map(([id, at]) => [id, at, null, "update", "client", 1]),
  );
  assert.deepEqual(await ids(listAuditEntries(db, { since: now })), [1_500, 7_000]);
  assert.deepEqual(await ids(listAuditEntries(db, { since: PAST })), [1, 1_500, 4_000, 7_000]);
  assert.deepEqual(await ids(listAuditEntries(db, { since: FUTURE, entity: "client" })), [1_500]);
});

backendTest("migration 0005 derives its data from older rows, and goes down and up again", async (b) => {
  const db = await b.db();
  await migrateUp(db, { to: "0004", migrations: MIGRATIONS });
  const sales = await db.one<{ id: number }>(
    `INSERT INTO users (first_name, last_name, email, password_hash, role, created_at, updated_at)
     VALUES ('Sam', 'Seller', 'sam@x.test', 'x', 'SALES', $1, $1) RETURNING id`,
    [PAST],
  );
  await db.execute(
    `INSERT INTO clients (id, full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
     VALUES (1, 'Élodie Lefèvre', 'elodie@x.test', '0102030405', 'Société Œuvre', $1, $2, $2)`,
    [sales!.id, PAST],
  );
  await db.execute(
    `INSERT INTO contracts (id, client_id, sales_contact_id, total_amount_cents, amount_due_cents, created_at,
       signed_status) VALUES (1, 1, $1, 100, 0, $2, $3)`,
    [sales!.id, PAST, true],
  );
  for (const [id, end] of [[1, PAST], [3_000, FUTURE]] as const) {
    await db.execute(
      `INSERT INTO events (id, name, contract_id, client_id, client_contact, start_date, end_date, location, attendees)
       VALUES ($1, 'Gala', 1, 1, 'Kate', $2, $3, 'Lyon', 5)`,
      [id, START, end],
    );
  }
  await migrateUp(db, { migrations: MIGRATIONS });
  assert.equal(await stale(db), 0);
  assert.deepEqual(await ids(listEvents(db, { endsAfter: new Date().toISOString() })), [3_000]);
  assert.deepEqual(await ids(listClients(db, { search: "SOCIÉTÉ" })), [1]);
  assert.deepEqual(await ids(listEvents(db, { clientSalesContactId: sales!.id })), [1, 3_000]);

  await migrateDown(db, { to: "0004", migrations: MIGRATIONS });
  const tables = await listTables(db);
  assert.ok(!tables.includes("id_days") && !tables.includes("clients_search"), tables.join(", "));
  assert.ok(!(await listColumns(db, "events")).includes("client_sales_contact_id"));
  await migrateUp(db, { migrations: MIGRATIONS });
  assert.equal(await stale(db), 0);
  assert.deepEqual(await ids(listClients(db, { search: "lefèvre" })), [1]);
});

backendTest("a restore rebuilds the derived data (it is not in the backup)", async (b: Backend) => {
  const db = await b.db();
  await seed(db, { clients: 30, events: 200, bcryptRounds: 4 });
  await addEvent(db, 5_000, FUTURE);
  const backup = await b.cli(["backup", "create", "--dir", join(b.dir, "backups"), "--json"]);
  assert.equal(backup.code, 0, backup.stderr);
  const file = backup.json<{ file: string }>().file;
  const header = JSON.parse(
    (await new Response((await Deno.open(file)).readable.pipeThrough(new DecompressionStream("gzip"))).text())
      .split("\n")[0],
  ) as { tables: { name: string; columns: string[] }[] };
  assert.ok(header.tables.every((t) => !t.columns.includes("client_sales_contact_id")), "not in the backup");
  assert.ok(!header.tables.some((t) => ["id_days", "clients_search"].includes(t.name)), "not in the backup");
  const target = await createBackend(b.name);
  try {
    const restored = await target.cli(["backup", "restore", file, "--json"]);
    assert.equal(restored.code, 0, restored.stderr);
    const copy = await target.db();
    assert.equal(await stale(copy), 0);
    const now = new Date().toISOString();
    assert.deepEqual(await ids(listEvents(copy, { endsAfter: now })), await ids(listEvents(db, { endsAfter: now })));
    for (const text of ["müller", "son", ".example"]) {
      assert.deepEqual(await ids(listClients(copy, { search: text })), await ids(listClients(db, { search: text })));
    }
    const sales = (await copy.one<{ id: number }>("SELECT id FROM users WHERE role = 'SALES' ORDER BY id"))!.id;
    assert.deepEqual(
      await ids(listEvents(copy, { clientSalesContactId: sales })),
      await ids(listEvents(db, { clientSalesContactId: sales })),
    );
  } finally {
    await target.dispose();
  }
});
