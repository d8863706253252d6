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
  /** This attempt's number on the email (0 when not allowed). */
  attempt: number;
  /** Failures of the email settled before this attempt began (what its success may forgive). */
  settledBefore: number;
}

/** The random id this database got when migration 0004 was applied. */
export async function databaseId(db: Queryable): Promise<string | null> {
  const row = await db.one<{ database_id: string }>(
    "SELECT database_id FROM database_identity WHERE singleton = 1",
  );
  return row?.database_id ?? null;
}

/**
 * Gives the database a new random id (after a restore): every token issued
 * before carries the old one and is refused from now on. Does nothing before
 * migration 0004 (which gives the database its first id).
 */
export async function renewDatabaseId(db: Queryable, now: string): Promise<void> {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  await db.execute("UPDATE database_identity SET database_id = $1, created_at = $2 WHERE singleton = 1", [id, now]);
}

type StateRow =
  & { database_id: string | null; revoked: number; session_epoch: number | null }
  & {
    [K in keyof User]: User[K] | null;
  };

/**
 * The query of {@link sessionState}: one text, built once (every request of
 * `serve` runs it). Migration 0008 stores the same statement on PostgreSQL as
 * the function `session_state`, with the columns of `USER_COLUMNS`.
 */
const SESSION_STATE_SQL = `SELECT (SELECT database_id FROM database_identity WHERE singleton = 1) AS database_id,
       (SELECT count(*) FROM revoked_tokens WHERE jti = $2) AS revoked,
       u.session_epoch, ${USER_COLUMNS.map((c) => `u.${c}`).join(", ")}
  FROM (SELECT 1 AS one) AS token LEFT JOIN users u ON u.id = $1`;

/**
 * {@link SESSION_STATE_SQL} as a call of the stored function (PostgreSQL): this
 * statement took longer to plan than to run, and the function plans it once per
 * connection (`force_generic_plan`) instead of after five runs under the
 * connection's `plan_cache_mode = auto`.
 */
const SESSION_STATE_CALL = "SELECT * FROM session_state($1, $2)";

/**
 * The database id, whether `jti` is revoked, and the user `userId` with its
 * session epoch, in one query (one snapshot: a user deleted meanwhile is
 * gone from both).
 */
export async function sessionState(db: Queryable, token: { userId: number; jti: string }): Promise<SessionState> {
  const sql = db.sql.sessionStateFunction ? SESSION_STATE_CALL : SESSION_STATE_SQL;
  const row = await db.one<StateRow>(sql, [token.userId, token.jti]);
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

/** The throttle's row of an email, locked for the rest of the transaction. */
interface AttemptRow {
  failures: number;
  locked_until: string | null;
  attempts: number;
  settled: number;
  forgiven: number;
  locked_by: number | null;
}

const ATTEMPT_COLUMNS = "failures, locked_until, attempts, settled, forgiven, locked_by";

async function lockAttempts(db: Queryable, email: string): Promise<AttemptRow | undefined> {
  const row = await db.one<AttemptRow>(
    `SELECT ${ATTEMPT_COLUMNS} FROM login_attempts WHERE email = $1${forUpdate(db)}`,
    [email],
  );
  return row && attemptRow(row);
}

/** The row of an email, created when missing, locked for the rest of the transaction (one statement). */
async function lockOrCreateAttempts(db: Queryable, email: string, now: string): Promise<AttemptRow> {
  // An upsert, not an insert that does nothing then a SELECT … FOR UPDATE: between those two
  // statements a success may delete the row (PostgreSQL, READ COMMITTED), and the SELECT finds nothing.
  const row = await db.one<AttemptRow>(
    `INSERT INTO login_attempts (email, failures, last_failure_at, locked_until) VALUES ($1, 0, $2, NULL)
     ON CONFLICT (email) DO UPDATE SET email = excluded.email
     RETURNING ${ATTEMPT_COLUMNS}`,
    [email, now],
  );
  return attemptRow(row!);
}

function attemptRow(row: AttemptRow): AttemptRow {
  return {
    failures: Number(row.failures),
    locked_until: row.locked_until,
    attempts: Number(row.attempts),
    settled: Number(row.settled),
    forgiven: Number(row.forgiven),
    locked_by: row.locked_by === null ? null : Number(row.locked_by),
  };
}

/**
 * Reserves one password check for `email` (lower-cased by the caller), before
 * the password is checked, and counts it as a failure until it ends (see
 * {@link settleLoginFailure} and {@link endLoginAttempt}). Must run in a
 * transaction: the row is created if missing, then locked (PostgreSQL `FOR
 * UPDATE`; SQLite's `BEGIN IMMEDIATE` already serialises writers), so
 * parallel attempts are counted one at a time and at most `limit` of them are
 * ever allowed before the lock. The attempt that reaches `limit` locks the
 * email until `lockUntil` (and is kept as the one that did); while locked
 * nothing is allowed or counted. An expired lock starts a new count.
 */
export async function reserveLoginAttempt(
  db: Queryable,
  email: string,
  options: { now: string; limit: number; lockUntil: string },
): Promise<LoginSlot> {
  const row = await lockOrCreateAttempts(db, email, options.now);
  if (row.locked_until !== null && new Date(row.locked_until).getTime() > new Date(options.now).getTime()) {
    return { allowed: false, failures: row.failures, attempt: 0, settledBefore: row.settled };
  }
  // An expired lock: every failure so far is forgiven.
  const fresh = row.locked_until !== null;
  const forgiven = fresh ? row.settled : row.forgiven;
  const failures = (fresh ? 0 : row.failures) + 1;
  const attempt = row.attempts + 1;
  const locks = failures >= options.limit;
  await db.execute(
    `UPDATE login_attempts SET failures = $2, last_failure_at = $3, locked_until = $4, attempts = $5, forgiven = $6,
            locked_by = $7
      WHERE email = $1`,
    [email, failures, options.now, locks ? options.lockUntil : null, attempt, forgiven, locks ? attempt : null],
  );
  return { allowed: true, failures, attempt, settledBefore: row.settled };
}

/** Records that an attempt's password check failed: it stays counted, and is now a settled failure. */
export async function settleLoginFailure(db: Queryable, email: string): Promise<void> {
  await db.execute("UPDATE login_attempts SET settled = settled + 1 WHERE email = $1", [email]);
}

/**
 * Ends an attempt that is no failure: a success, or a check that never ran
 * (the database failed). Its own count is given back, a success forgives the
 * failures settled before it began (`forgive`: its {@link LoginSlot.settledBefore};
 * 0 forgives nothing), and the lock is lifted only if this very attempt set
 * it and what is still counted is under `limit`: failures of attempts made
 * after it began keep counting, and keep the lock they set. A row left with
 * nothing counted is deleted.
 */
export async function endLoginAttempt(
  db: Queryable,
  email: string,
  slot: { attempt: number; forgive: number; limit: number },
): Promise<void> {
  const row = await lockAttempts(db, email);
  if (!row) return;
  const forgiven = Math.max(row.forgiven, Math.min(slot.forgive, row.settled));
  const failures = Math.max(0, row.failures - 1 - (forgiven - row.forgiven));
  const unlock = row.locked_by === slot.attempt && failures < slot.limit;
  if (failures === 0 && (unlock || row.locked_until === null)) {
    // Nothing counts any more (no attempt in progress either): the row goes, as it did before 0006.
    await db.execute("DELETE FROM login_attempts WHERE email = $1", [email]);
    return;
  }
  await db.execute(
    `UPDATE login_attempts SET failures = $2, forgiven = $3,
            locked_until = CASE WHEN $4 THEN NULL ELSE locked_until END,
            locked_by = CASE WHEN $4 THEN NULL ELSE locked_by END
      WHERE email = $1`,
    [email, failures, forgiven, unlock],
  );
}
