/**
 * A NUL in a text value, which PostgreSQL cannot store ("invalid byte
 * sequence"), is bad input (exit 2, 400), not an unexpected failure: the
 * server refuses it first, naming the field (tests/server/client_mistakes_test.ts);
 * this is the net under every other path.
 */
import assert from "node:assert/strict";
import { PostgresDatabase } from "../../src/db/postgres.ts";
import { InvalidInputError } from "../../src/domain/errors.ts";

const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");

Deno.test({
  name: "PostgreSQL: a NUL in a text parameter is invalid input, in and out of a transaction [postgres]",
  ignore: !PG_URL,
  async fn() {
    const db = new PostgresDatabase(PG_URL!);
    try {
      for (
        const run of [
          () => db.query("SELECT $1::text AS t", ["a\0b"]),
          () => db.transaction((tx) => tx.query("SELECT $1::text AS t", ["a\0b"])),
        ]
      ) {
        await assert.rejects(run, (error) => {
          assert.ok(error instanceof InvalidInputError, String(error));
          assert.match(error.message, /NUL character/);
          return true;
        });
      }
      assert.deepEqual(await db.query("SELECT $1::text AS t", ["still works"]), [{ t: "still works" }]);
    } finally {
      await db.close();
    }
  },
});
