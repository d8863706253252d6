/**
 * Issue 16, point 6: the rules of the login lock, step by step in a chosen
 * interleaving, on both backends (the same attempts raced as real processes
 * are race 6 of tests/races/races_test.ts). Every failure counts; a success
 * forgives only the failures settled before its own attempt began, and lifts
 * only a lock its own attempt set.
 */
import assert from "node:assert/strict";
import { endLoginAttempt, reserveLoginAttempt, settleLoginFailure } from "../../src/repositories/sessions.ts";
import { transaction } from "../../src/repositories/sql.ts";
import type { Database } from "../../src/db/database.ts";
import { migrateUp } from "../../src/db/migrator.ts";
import { MIGRATIONS } from "../../migrations/mod.ts";
import { backendTest } from "../support/backends.ts";

const EMAIL = "lou@epic.test";
const LIMIT = 5;

async function throttle(db: Database) {
  await migrateUp(db, { migrations: MIGRATIONS });
  const now = () => new Date().toISOString();
  const lockUntil = () => new Date(Date.now() + 15 * 60_000).toISOString();
  return {
    reserve: () =>
      transaction(db, (tx) => reserveLoginAttempt(tx, EMAIL, { now: now(), limit: LIMIT, lockUntil: lockUntil() })),
    fail: () => transaction(db, (tx) => settleLoginFailure(tx, EMAIL)),
    succeed: (slot: { attempt: number; settledBefore: number }) =>
      transaction(
        db,
        (tx) => endLoginAttempt(tx, EMAIL, { attempt: slot.attempt, forgive: slot.settledBefore, limit: LIMIT }),
      ),
    async state() {
      const row = await db.one<{ failures: number; locked_until: string | null }>(
        "SELECT failures, locked_until FROM login_attempts WHERE email = $1",
        [EMAIL],
      );
      return { failures: Number(row?.failures ?? 0), locked: row?.locked_until != null };
    },
  };
}

backendTest(
  "a success forgives the failures settled before it began, not those of attempts made meanwhile",
  async (b) => {
    const db = await b.db();
    const t = await throttle(db);

    // Typos, then the right password: the typos are forgiven, the row goes.
    for (let i = 0; i < 4; i++) {
      assert.ok((await t.reserve()).allowed);
      await t.fail();
    }
    const right = await t.reserve();
    assert.equal(right.failures, 5, "the right password's own check is counted while it runs");
    assert.ok((await t.state()).locked, "and it locks the email for the others meanwhile");
    await t.succeed(right);
    assert.deepEqual(await t.state(), { failures: 0, locked: false });

    // The right password's check began first; four wrong ones start meanwhile and lock the email.
    const first = await t.reserve();
    const wrong = [await t.reserve(), await t.reserve(), await t.reserve(), await t.reserve()];
    assert.ok(wrong.every((w) => w.allowed));
    assert.equal((await t.reserve()).allowed, false, "a sixth attempt is refused: locked");
    for (const _ of wrong.slice(0, 2)) await t.fail(); // two have failed by the time it succeeds, two not yet
    await t.succeed(first);
    assert.deepEqual(await t.state(), { failures: 4, locked: true }, "their failures and their lock stay");
    for (const _ of wrong.slice(2)) await t.fail();
    assert.equal((await t.reserve()).allowed, false, "still locked");
  },
);

backendTest(
  "a success whose own attempt set the lock lifts it; an attempt that never checked is given back",
  async (b) => {
    const db = await b.db();
    const t = await throttle(db);
    // Four wrong ones in flight (not yet failed) when the right one starts: its attempt sets the lock.
    const wrong = [await t.reserve(), await t.reserve(), await t.reserve(), await t.reserve()];
    const right = await t.reserve();
    assert.ok(wrong.every((w) => w.allowed) && right.allowed);
    for (const _ of wrong) await t.fail();
    await t.succeed(right);
    // Their failures were not settled when it began: they still count, but the lock was its own.
    assert.deepEqual(await t.state(), { failures: 4, locked: false });
    const fifth = await t.reserve();
    assert.ok(fifth.allowed);
    assert.ok((await t.state()).locked, "the fifth failure locks");

    // An attempt that ends without a check (the database failed) is given back, and forgives nothing.
    await db.execute("DELETE FROM login_attempts");
    const failed = [await t.reserve(), await t.reserve()];
    for (const _ of failed) await t.fail();
    const broken = await t.reserve();
    await transaction(db, (tx) => endLoginAttempt(tx, EMAIL, { attempt: broken.attempt, forgive: 0, limit: LIMIT }));
    assert.deepEqual(await t.state(), { failures: 2, locked: false });
  },
  { remote: false },
);

backendTest(
  "parallel attempts never find their row gone: a success that deletes it races the next reservation",
  async (b) => {
    const db = await b.db();
    const t = await throttle(db);
    // Each attempt reserves, then succeeds (which deletes the row once nothing is counted), all at once: a
    // reservation that inserted-or-found the row must still hold it when it reads and locks it.
    for (let round = 0; round < 30; round++) {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, async () => await t.succeed(await t.reserve())),
      );
      const failures = outcomes.filter((o) => o.status === "rejected").map((o) => String(o.reason));
      assert.deepEqual(failures, [], `round ${round}`);
    }
    assert.deepEqual(await t.state(), { failures: 0, locked: false });
  },
);
