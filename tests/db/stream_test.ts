/**
 * `Queryable.stream`: rows come from a database cursor in id order, the same
 * rows (byte for byte) as a plain query gives, and ending the loop early ends
 * the query at once — the SQLite statement is reset (its read of the file
 * ends), the PostgreSQL cursor is closed and its connection idle again.
 * @module
 */
import assert from "node:assert/strict";
import { connect } from "../../src/db/connect.ts";
import type { Database } from "../../src/db/database.ts";
import { parseDatabaseUrl } from "../../src/config.ts";
import { PermissionDeniedError } from "../../src/domain/errors.ts";
import { eventListQuery, listEvents } from "../../src/repositories/events.ts";
import { listAudit } from "../../src/services/audit.ts";
import { NULL_REPORTER, type ServiceContext } from "../../src/services/context.ts";
import { listEvents as listEventsService } from "../../src/services/events.ts";
import { seed } from "../../tools/seed.ts";
import { type Backend, backendTest, createBackend, postgresTest } from "../support/backends.ts";

/** A second, independent connection to the backend's database. */
async function otherConnection(b: Backend): Promise<Database> {
  return await connect(parseDatabaseUrl(b.url, b.dir, b.dir));
}

/** The statements marked `marker` that are not idle, as `other` sees them. */
async function busyWith(other: Database, marker: string): Promise<{ state: string }[]> {
  return (await other.query<{ state: string }>(
    "SELECT state FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()",
    [`%${marker}%`],
  )).filter((r) => r.state !== "idle");
}

backendTest("a stream gives the rows of the query, in id order, byte-identical", async (b) => {
  const db = await b.db();
  // 2,500 events: more than one PostgreSQL cursor batch (250 rows).
  await seed(db, { clients: 100, events: 2_500, bcryptRounds: 4 });
  const { sql, params } = eventListQuery({});
  const queried = await db.query(sql, params);
  const streamed = await Array.fromAsync(listEvents(db, {}));
  assert.equal(streamed.length, 2_500);
  assert.deepEqual(streamed.map((e) => e.id), queried.map((e) => e.id));
  assert.deepEqual(streamed.map((e) => e.id), [...streamed.map((e) => e.id)].sort((x, y) => x - y));
  assert.equal(JSON.stringify(streamed), JSON.stringify(queried));
  // A page, and an offset.
  const page = await Array.fromAsync(listEvents(db, { limit: 101, offset: 999 }));
  assert.deepEqual(page.map((e) => e.id), queried.slice(999, 1_100).map((e) => e.id));
  // The same inside a transaction.
  const inside = await db.transaction((tx) => Array.fromAsync(tx.stream(sql, params)));
  assert.equal(JSON.stringify(inside), JSON.stringify(queried));
});

backendTest("breaking out of a stream ends its query at once", async (b) => {
  const db = await b.db();
  await seed(db, { clients: 100, events: 3_000, bcryptRounds: 4 });
  const marker = `stream_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const sql = `SELECT /* ${marker} */ id, name FROM events ORDER BY id`;
  const other = await otherConnection(b);
  try {
    if (b.name === "postgres") {
      // Not idle while the cursor is open, idle once the loop is left.
      const busy = () => busyWith(other, marker);
      let seen = 0;
      for await (const _ of db.stream(sql)) {
        if (++seen === 1) assert.equal((await busy()).length, 1, "the cursor is open on the server");
        if (seen === 5) break;
      }
      assert.deepEqual(await busy(), [], "no query is left running or holding a transaction");
      // The connection went back to the pool: more streams than the pool has connections all run.
      for (let i = 0; i < 6; i++) {
        for await (const _ of db.stream(sql)) break;
      }
      assert.deepEqual(await busy(), []);
    } else {
      // While a statement is being stepped it holds a read snapshot, so a
      // checkpoint from another connection cannot finish; once reset it can.
      await other.query("PRAGMA busy_timeout = 0"); // answer at once instead of waiting for the reader
      const checkpoint = async () => (await other.one<{ busy: number }>("PRAGMA wal_checkpoint(TRUNCATE)"))!.busy;
      await db.execute("UPDATE events SET notes = 'x' WHERE id = 1"); // something in the WAL
      let seen = 0;
      for await (const _ of db.stream(sql)) {
        if (++seen === 1) assert.equal(await checkpoint(), 1, "the statement reads a snapshot");
        if (seen === 5) break;
      }
      assert.equal(await checkpoint(), 0, "the statement was reset: nothing reads any more");
    }
    // Another write and a full read still work on the same connection.
    await db.transaction((tx) => tx.execute("UPDATE events SET notes = 'y' WHERE id = 2"));
    assert.equal((await Array.fromAsync(db.stream(sql))).length, 3_000);
  } finally {
    await other.close();
  }
});

backendTest("a stream does not read a transaction's uncommitted rows on the same connection", async (b) => {
  const db = await b.db();
  await seed(db, { clients: 10, events: 50, bcryptRounds: 4 });
  const { sql, params } = eventListQuery({});
  const rows = db.stream<{ id: number; name: string }>(sql, params)[Symbol.asyncIterator]();
  const first = await rows.next();
  assert.equal(first.done, false);
  let drained: Promise<{ id: number; name: string }[]> | undefined;
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.execute("UPDATE events SET name = 'rolled back' WHERE id = (SELECT max(id) FROM events)");
      // The rest of the stream is read while the transaction is open, then it rolls back.
      drained = Array.fromAsync({ [Symbol.asyncIterator]: () => rows });
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error("roll back");
    }),
    /roll back/,
  );
  const rest = await drained!;
  assert.equal(rest.length, 49);
  assert.ok(rest.every((e) => e.name !== "rolled back"), "no row of the rolled-back transaction");
});

function contextOf(db: Database, actor: { id: number; email: string; role: "MANAGEMENT" | "SALES" }): ServiceContext {
  return { db, actor, now: () => new Date(), reporter: NULL_REPORTER, bcryptRounds: 4 };
}

backendTest("a list service checks the caller and the filters when called, before any row is read", async (b) => {
  const db = await b.db();
  await seed(db, { clients: 10, events: 50, bcryptRounds: 4 });
  const sales = contextOf(db, { id: 4, email: "sales1@epic-events.example", role: "SALES" });
  const before = db.statementCount;
  assert.throws(() => listAudit(sales, {}), PermissionDeniedError);
  assert.throws(() => listEventsService(sales, { limit: 0 }), /limit/);
  assert.equal(db.statementCount, before, "no statement ran");
  const rows = listEventsService(sales, { limit: 3 });
  assert.equal(db.statementCount, before, "the query runs when the rows are read");
  assert.equal((await Array.fromAsync(rows)).length, 3);
});

Deno.test("SQLite: a stream whose database is closed under it fails instead of ending as if complete", async () => {
  const b = await createBackend("sqlite");
  try {
    const db = await b.db();
    await seed(db, { clients: 5, events: 20, bcryptRounds: 4 });
    const rows = db.stream("SELECT id FROM events ORDER BY id")[Symbol.asyncIterator]();
    assert.equal((await rows.next()).done, false);
    await db.close();
    await assert.rejects(rows.next(), /database was closed/);
  } finally {
    await b.dispose();
  }
});

backendTest("a raw stream gives each row's text as its bytes, with the parameters the query gives", async (b) => {
  const db = await b.db();
  // 2,500 events: many chunks of a PostgreSQL COPY, many cursor batches.
  await seed(db, { clients: 100, events: 2_500, bcryptRounds: 4 });
  const tricky = `it's a \\ backslash, "quotes", $1 and ''`;
  const sql = `SELECT e.name || $1 || e.id FROM events e WHERE e.id > $2 AND $3 = $3 ORDER BY e.id`;
  const params = [tricky, 10, "'--$2'"];
  const expected = (await db.query<Record<string, string>>(sql, params)).map((row) => Object.values(row)[0]);
  assert.equal(expected.length, 2_490);
  assert.ok(expected.every((text) => text.includes(tricky)));
  const decoder = new TextDecoder();
  const streamed = await Array.fromAsync(db.stream<[Uint8Array]>(sql, params, { raw: true, oneText: true }));
  assert.deepEqual(streamed.map(([text]) => decoder.decode(text)), expected);
  const page = await Array.fromAsync(
    db.stream<[Uint8Array]>(`${sql} LIMIT 5`, params, { raw: true, oneText: true, rows: 5 }),
  );
  assert.deepEqual(page.map(([text]) => decoder.decode(text)), expected.slice(0, 5));
});

postgresTest("PostgreSQL: breaking out of a raw stream ends its statement, and its connection is free", async (db) => {
  const other = await connect(parseDatabaseUrl(Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL")!, ".", "."));
  try {
    const marker = `raw_stream_${crypto.randomUUID().replaceAll("-", "")}`;
    const sql = `SELECT /* ${marker} */ repeat('x', 200) || n FROM generate_series(1, 2000000) AS n`;
    const busy = () => busyWith(other, marker);
    let seen = 0;
    for await (const _ of db.stream(sql, [], { raw: true, oneText: true })) {
      if (++seen === 1) assert.equal((await busy()).length, 1, "the statement runs on the server");
      if (seen === 5) break;
    }
    assert.deepEqual(await busy(), [], "no statement is left running");
    // More broken-off streams than the pool has connections, then whole ones.
    for (let i = 0; i < 12; i++) {
      for await (const _ of db.stream(sql, [], { raw: true, oneText: true })) break;
    }
    const series = "SELECT n::text FROM generate_series(1, 600) AS n";
    const expected = Array.from({ length: 600 }, (_, i) => String(i + 1));
    const decoder = new TextDecoder();
    for (let i = 0; i < 3; i++) {
      const rows = await Array.fromAsync(db.stream<[Uint8Array]>(series, [], { raw: true, oneText: true }));
      assert.deepEqual(rows.map(([text]) => decoder.decode(text)), expected);
    }
    assert.deepEqual(await busy(), []);
    assert.deepEqual(await db.one("SELECT 7 AS n"), { n: 7 });
  } finally {
    await other.close();
  }
});

postgresTest(
  "PostgreSQL: a raw stream that fails after some rows ends with the error, not as if complete",
  async (db) => {
    const sql = "SELECT repeat('x', 100) || n || ':' || 1 / (n - 150000) FROM generate_series(1, 300000) AS n";
    let seen = 0;
    await assert.rejects(
      async () => {
        for await (const _ of db.stream(sql, [], { raw: true, oneText: true })) seen++;
      },
      /division by zero/,
    );
    assert.ok(seen < 150_000, `${seen} rows before the error`);
    assert.deepEqual(await db.one("SELECT 7 AS n"), { n: 7 });
    const rows = await Array.fromAsync(
      db.stream("SELECT n::text FROM generate_series(1, 300) AS n", [], { raw: true, oneText: true }),
    );
    assert.equal(rows.length, 300);
  },
);
