/**
 * The PostgreSQL pool lets in more statements than it has connections: when
 * every connection is busy, postgres.js sends the next statement on one of
 * them (pipelining). What each caller gets must not change: its own rows,
 * its own error, a stream's rows in order, and the pool's figures count
 * connections.
 * @module
 */
import assert from "node:assert/strict";
import { postgresTest } from "../support/backends.ts";

/** Statement `i` failed when `i % 7 === 3` (a division by zero), else got its own row: `n = i`, `s` of `i` characters. */
function assertOwnResults(results: PromiseSettledResult<{ n: number; s?: string } | undefined>[]): void {
  results.forEach((result, i) => {
    if (i % 7 === 3) {
      assert.equal(result.status, "rejected", `statement ${i} fails`);
      return;
    }
    assert.equal(result.status, "fulfilled", `statement ${i} succeeds`);
    const row = (result as PromiseFulfilledResult<{ n: number; s?: string } | undefined>).value;
    assert.equal(row?.n, i, `statement ${i} gets its own row`);
    assert.equal(row?.s?.length, i);
  });
}

postgresTest("statements beyond the pool's connections each get their own rows or their own error", async (db) => {
  const peaks = { inUse: 0, waiting: 0 };
  const watch = setInterval(() => {
    const stats = db.poolStats!();
    assert.ok(stats.inUse <= stats.size, "in use counts connections");
    assert.equal(stats.idle, stats.size - stats.inUse);
    peaks.inUse = Math.max(peaks.inUse, stats.inUse);
    peaks.waiting = Math.max(peaks.waiting, stats.waiting);
  }, 1);
  try {
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) =>
        i % 7 === 3
          // A failing statement among the others on its connection.
          ? db.one<{ n: number }>("SELECT $1::int / 0 AS n", [i])
          : db.one<{ n: number; s: string }>("SELECT $1::int AS n, repeat('x', $1::int) AS s, pg_sleep(0.002)", [i])),
    );
    assertOwnResults(results);
  } finally {
    clearInterval(watch);
  }
  const after = db.poolStats!();
  assert.equal(after.inUse, 0);
  assert.equal(after.waiting, 0);
  assert.ok(peaks.inUse > 0);
});

postgresTest("a stream read beside many statements gets all its rows in order", async (db) => {
  const stream = (async () => {
    const seen: number[] = [];
    for await (const row of db.stream<{ n: number }>("SELECT n FROM generate_series(1, $1::int) AS n", [2000])) {
      seen.push(Number(row.n));
    }
    return seen;
  })();
  const others = Promise.all(
    Array.from({ length: 80 }, (_, i) => db.one<{ n: number }>("SELECT $1::int AS n", [i])),
  );
  const [seen, rows] = await Promise.all([stream, others]);
  assert.deepEqual(seen, Array.from({ length: 2000 }, (_, i) => i + 1));
  assert.deepEqual(rows.map((row) => row?.n), Array.from({ length: 80 }, (_, i) => i));
});

postgresTest(
  "unnamed statements (customPlan) among prepared ones on busy connections each get their own rows or error",
  async (db) => {
    // An unnamed statement is parsed and described first at every run: nothing is pipelined behind it meanwhile.
    const stream = (async () => {
      const seen: number[] = [];
      const rows = db.stream<{ n: number }>("SELECT n FROM generate_series(1, $1::int) AS n", [2000], {
        customPlan: true,
      });
      for await (const row of rows) seen.push(Number(row.n));
      return seen;
    })();
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) => {
        const options = { customPlan: i % 3 !== 0 };
        return i % 7 === 3
          ? db.one<{ n: number }>("SELECT $1::int / 0 AS n", [i], options)
          : db.one<{ n: number; s: string }>(
            "SELECT $1::int AS n, repeat('y', $1::int) AS s, pg_sleep(0.002)",
            [i],
            options,
          );
      }),
    );
    assertOwnResults(results);
    assert.deepEqual(await stream, Array.from({ length: 2000 }, (_, i) => i + 1));
    // Only the prepared ones are kept on their connections.
    await db.transaction(async (tx) => {
      await tx.query("SELECT $1::int AS n, 'unnamed' AS s", [1], { customPlan: true });
      await tx.query("SELECT $1::int AS n, 'prepared' AS s", [1]);
      const kept = await tx.query<{ statement: string }>(
        "SELECT statement FROM pg_prepared_statements WHERE statement IN ($1, $2)",
        ["SELECT $1::int AS n, 'unnamed' AS s", "SELECT $1::int AS n, 'prepared' AS s"],
      );
      assert.deepEqual(kept.map((k) => k.statement), ["SELECT $1::int AS n, 'prepared' AS s"]);
    });
    const after = db.poolStats!();
    assert.equal(after.inUse, 0);
    assert.equal(after.waiting, 0);
  },
);
