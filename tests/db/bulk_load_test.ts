/**
 * After a bulk load (`deno task seed`, `backup restore`) the database is left
 * ready for fast reads: PostgreSQL has planner statistics of the loaded
 * tables; SQLite's client search index is one merged segment (each write
 * transaction of clients adds a segment that every search would read).
 * @module
 */
import assert from "node:assert/strict";
import type { Database } from "../../src/db/database.ts";
import { seed } from "../../tools/seed.ts";
import { join } from "node:path";
import { backendTest, createBackend } from "../support/backends.ts";
import { createBackupFile } from "../backup/helpers.ts";

/** How many segments the FTS5 search index has (SQLite). */
async function segments(db: Database): Promise<number> {
  return Number((await db.one<{ n: number }>("SELECT count(DISTINCT segid) AS n FROM clients_search_idx"))!.n);
}

backendTest("a bulk load ends with the search index merged (SQLite) or the tables analyzed (PostgreSQL)", async (b) => {
  const db = await b.db();
  await seed(db, { clients: 30, events: 60, bcryptRounds: 4 });
  if (b.name === "sqlite") {
    // Clients written in separate transactions, as day-to-day use does: one segment each.
    for (let i = 0; i < 5; i++) {
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
           VALUES ($1, $2, '+33 1 00 00 00 00', 'Acme', 4, '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')`,
          [`Client ${i}`, `client${i}@example.com`],
        );
      });
    }
    assert.ok(await segments(db) > 1, "several segments before the finish");
    for (const statement of db.sql.bulkLoad.finish(["clients"])) await db.query(statement);
    assert.equal(await segments(db), 1);
    // The merged index still finds what it found.
    const found = await db.query("SELECT rowid FROM clients_search WHERE clients_search MATCH '\"client3\"'");
    assert.equal(found.length, 1);
  } else {
    const analyzed = await db.query<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables
       WHERE schemaname = current_schema() AND last_analyze IS NOT NULL ORDER BY relname`,
    );
    for (const table of ["clients", "contracts", "events", "users"]) {
      assert.ok(analyzed.some((r) => r.relname === table), `${table} analyzed by the seed`);
    }
  }
}, { remote: false });

backendTest(
  "a restore ends like a seed: the tables it loaded are analyzed (PostgreSQL), the search index one segment (SQLite)",
  async (b) => {
    const source = await b.db();
    await seed(source, { clients: 30, events: 60, bcryptRounds: 4 });
    const file = await createBackupFile(b, join(b.dir, "backups"));
    const target = await createBackend(b.name);
    try {
      const restored = await target.cli(["backup", "restore", file, "--json"]);
      assert.equal(restored.code, 0, restored.stderr);
      const db = await target.db();
      if (b.name === "sqlite") {
        assert.equal(await segments(db), 1);
      } else {
        // The planner's row estimates are those of the loaded rows (the restore's migrations
        // analyzed the tables too, but empty): the restore analyzed them after loading.
        for (const table of ["clients", "contracts", "events", "users"]) {
          const row = await db.one<{ estimated: number; actual: number }>(
            `SELECT (SELECT reltuples FROM pg_class WHERE oid = to_regclass($1))::int AS estimated,
                    (SELECT count(*) FROM ${table})::int AS actual`,
            [table],
          );
          assert.equal(row!.estimated, row!.actual, `${table}: planner statistics of the restored rows`);
        }
      }
    } finally {
      await target.dispose();
    }
  },
  { remote: false },
);
