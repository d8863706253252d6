/**
 * SQL for sessions: the database's own id, revoked tokens, per-user session
 * epochs and login throttling.
 * @module
 */
import type { Queryable } from "../db/database.ts";
import { forUpdate } from "./sql.ts";
import { type User, USER_COLUMNS } from "./users.ts";

/** What a token is checked against, read in one query. */
export interface SessionState {
  /** Id of this database (null when the table is empty: never valid). */
  database_id: string | null;
  /** Whether the token's `jti` was revoked by `logout`. */
  revoked: boolean;
  /** The user's session epoch, or null when the user no longer exists. */
  session_epoch: number | null;
  /** The token's user as stored now, or null when it no longer exists. */
  user: User | null;
}

/** Outcome of reserving a login attempt. */
export interface LoginSlot {
  /** Whether the password may be checked (false: the email is locked). */
  allowed: boolean;
  /** Failures counted so far, this attempt included when allowed. */
  failures: number;
}

/** The random id this database got when migration 0004 was applied. */
export async function databaseId(db: Queryable): Promise<string | null> {
  const row = await db.one<{ database_id: string }>(
    "SELECT database_id FROM database_identity WHERE singleton = 1",
  );
  return row?.database_id ?? null;
}

type StateRow =
  & { database_id: string | null; revoked: number; session_epoch: number | null }
  & {
    [K in keyof User]: User[K] | null;
  };

/**
 * The database id, whether `jti` is revoked, and the user `userId` with its
 * session epoch, in one query (one snapshot: a user deleted meanwhile is
 * gone from both).
 */
export async function sessionState(db: Queryable, token: { userId: number; jti: string }): Promise<SessionState> {
  const row = await db.one<StateRow>(
    `SELECT (SELECT database_id FROM database_identity WHERE singleton = 1) AS database_id,
            (SELECT count(*) FROM revoked_tokens WHERE jti = $2) AS revoked,
            u.session_epoch, ${USER_COLUMNS.map((c) => `u.${c}`).join(", ")}
     FROM (SELECT 1 AS one) AS token LEFT JOIN users u ON u.id = $1`,
    [token.userId, token.jti],
  );
  let user: User | null = null;
  if (row?.id != null) {
    const fields: Record<string, unknown> = {};
    for (const column of USER_COLUMNS) fields[column] = row[column];
    user = fields as unknown as User;
  }
  return {
    database_id: row?.database_id ?? null,
    revoked: Number(row?.revoked ?? 0) > 0,
    session_epoch: row?.session_epoch == null ? null : Number(row.session_epoch),
    user,
  };
}

/** Revokes a token (idempotent) and forgets revocations that expired anyway. */
export async function revokeToken(
  db: Queryable,
  token: { jti: string; userId: number; expiresAt: string },
  now: string,
): Promise<void> {
  await db.execute("DELETE FROM revoked_tokens WHERE expires_at < $1", [now]);
  await db.execute(
    `INSERT INTO revoked_tokens (jti, user_id, revoked_at, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (jti) DO NOTHING`,
    [token.jti, token.userId, now, token.expiresAt],
  );
}

/**
 * Ends every session of a user issued so far: moves the session epoch that
 * tokens carry. Returns whether the user exists.
 */
export async function endUserSessions(db: Queryable, userId: number): Promise<boolean> {
  return (await db.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1", [userId]))
    .changes > 0;
}

/**
 * Reserves one password check for `email` (lower-cased by the caller), before
 * the password is checked, and counts it as a failure until a success clears
 * it. Must run in a transaction: the row is created if missing, then locked
 * (PostgreSQL `FOR UPDATE`; SQLite's `BEGIN IMMEDIATE` already serialises
 * writers), so parallel attempts are counted one at a time and at most `limit`
 * of them are ever allowed before the lock. The attempt that reaches `limit`
 * locks the email until `lockUntil`; while locked nothing is allowed or
 * counted. An expired lock starts a new count.
 */
export async function reserveLoginAttempt(
  db: Queryable,
  email: string,
  options: { now: string; limit: number; lockUntil: string },
): Promise<LoginSlot> {
  await db.execute(
    `INSERT INTO login_attempts (email, failures, last_failure_at, locked_until) VALUES ($1, 0, $2, NULL)
     ON CONFLICT (email) DO NOTHING`,
    [email, options.now],
  );
  const row = await db.one<{ failures: number; locked_until: string | null }>(
    `SELECT failures, locked_until FROM login_attempts WHERE email = $1${forUpdate(db)}`,
    [email],
  );
  const lockedUntil = row?.locked_until ?? null;
  if (lockedUntil !== null && new Date(lockedUntil).getTime() > new Date(options.now).getTime()) {
    return { allowed: false, failures: Number(row?.failures ?? 0) };
  }
  const failures = (lockedUntil !== null ? 0 : Number(row?.failures ?? 0)) + 1;
  await db.execute(
    "UPDATE login_attempts SET failures = $2, last_failure_at = $3, locked_until = $4 WHERE email = $1",
    [email, failures, options.now, failures >= options.limit ? options.lockUntil : null],
  );
  return { allowed: true, failures };
}

/** Forgets the failures of an email (after a success). */
export async function clearLoginFailures(db: Queryable, email: string): Promise<void> {
  await db.execute("DELETE FROM login_attempts WHERE email = $1", [email]);
}
