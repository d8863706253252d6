/**
 * The session check's state (`sessionState`): on PostgreSQL it calls the
 * function of migration 0008, which must answer as the query does (SQLite's
 * path) in every case: the user as stored (every column of `USER_COLUMNS`),
 * a revoked token, a moved epoch, a deleted user, a renewed or missing
 * database id; `migrate down` drops the function and `up` brings it back.
 * @module
 */
import assert from "node:assert/strict";
import { MIGRATIONS } from "../../migrations/mod.ts";
import type { Queryable } from "../../src/db/database.ts";
import { migrateDown, migrateUp } from "../../src/db/migrator.ts";
import {
  databaseId,
  endUserSessions,
  renewDatabaseId,
  revokeToken,
  type SessionState,
  sessionState,
} from "../../src/repositories/sessions.ts";
import { deleteUser, findUserById } from "../../src/repositories/users.ts";
import { backendTest } from "../support/backends.ts";
import { builders, firstManager } from "../support/fixtures.ts";

/** The same database, asked through the query instead of the function. */
function withoutFunction(db: Queryable): Queryable {
  const sql = { ...db.sql, sessionStateFunction: false };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "sql") return sql;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** What each path answers for the token; both must agree. */
async function bothPaths(db: Queryable, token: { userId: number; jti: string }): Promise<SessionState> {
  const state = await sessionState(db, token);
  assert.deepEqual(await sessionState(withoutFunction(db), token), state);
  return state;
}

backendTest("the session state: the user as stored, revocation, epoch, deletion, database id", async (b, t) => {
  const db = await b.db();
  const manager = await firstManager(b);
  const sales = await (await builders(b, manager)).user("SALES");
  const id = await databaseId(db);
  assert.ok(id);

  await t.step("a valid token: the user as read by id, every column", async () => {
    const state = await bothPaths(db, { userId: sales.id, jti: "jti-1" });
    const { user, ...rest } = state;
    assert.deepEqual(rest, { database_id: id, revoked: false, session_epoch: 0 });
    assert.deepEqual({ ...user }, { ...await findUserById(db, sales.id) });
  });
  await t.step("a revoked token", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    await revokeToken(db, { jti: "jti-1", userId: sales.id, expiresAt }, new Date().toISOString());
    assert.equal((await bothPaths(db, { userId: sales.id, jti: "jti-1" })).revoked, true);
    assert.equal((await bothPaths(db, { userId: sales.id, jti: "jti-2" })).revoked, false);
  });
  await t.step("a moved epoch", async () => {
    assert.equal(await endUserSessions(db, sales.id), true);
    assert.equal((await bothPaths(db, { userId: sales.id, jti: "jti-2" })).session_epoch, 1);
  });
  await t.step("a deleted user, an unknown id", async () => {
    assert.equal(await deleteUser(db, sales.id), true);
    const gone = { database_id: id, revoked: false, session_epoch: null, user: null };
    assert.deepEqual(await bothPaths(db, { userId: sales.id, jti: "jti-2" }), gone);
    assert.deepEqual(await bothPaths(db, { userId: 2_000_000_000, jti: "jti-2" }), gone);
  });
  await t.step("a renewed database id, then none", async () => {
    await renewDatabaseId(db, new Date().toISOString());
    const renewed = await databaseId(db);
    assert.notEqual(renewed, id);
    assert.equal((await bothPaths(db, { userId: manager.id, jti: "jti-3" })).database_id, renewed);
    await db.execute("DELETE FROM database_identity");
    const state = await bothPaths(db, { userId: manager.id, jti: "jti-3" });
    assert.equal(state.database_id, null);
    assert.equal(state.user?.id, manager.id);
  });
}, { remote: false });

backendTest("migration 0008: down drops session_state (PostgreSQL), up brings it back", async (b) => {
  const db = await b.db();
  const manager = await firstManager(b);
  const functions = async () =>
    db.dialect === "postgres"
      ? (await db.query<{ n: number }>(
        "SELECT count(*) AS n FROM pg_proc WHERE proname = 'session_state' AND pronamespace = current_schema()::regnamespace",
      ))[0].n
      : 0;
  assert.equal(await functions(), db.dialect === "postgres" ? 1 : 0);
  assert.equal((await sessionState(db, { userId: manager.id, jti: "jti" })).user?.email, manager.email);
  await migrateDown(db, { to: "0007", migrations: MIGRATIONS });
  assert.equal(await functions(), 0);
  if (db.dialect === "postgres") {
    // The check calls the function: without it, it fails (the program refuses a database behind anyway).
    await assert.rejects(() => sessionState(db, { userId: manager.id, jti: "jti" }), /session_state/);
  }
  await migrateUp(db, { migrations: MIGRATIONS });
  assert.equal(await functions(), db.dialect === "postgres" ? 1 : 0);
  // The statement prepared before is planned again on the new function.
  assert.equal((await sessionState(db, { userId: manager.id, jti: "jti" })).user?.email, manager.email);
}, { remote: false });
