/**
 * SQL for revoked tokens and login throttling.
 * @module
 */
import type { Queryable } from "../db/database.ts";

/** Throttling state of one email. */
export interface LoginAttempts {
  failures: number;
  locked_until: string | null;
}

/** Whether the token with this id was revoked. */
export async function isRevoked(db: Queryable, jti: string): Promise<boolean> {
  return (await db.one("SELECT 1 AS revoked FROM revoked_tokens WHERE jti = $1", [jti])) !== undefined;
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

/** Throttling state of an email (lower-cased by the caller). */
export function loginAttempts(db: Queryable, email: string): Promise<LoginAttempts | undefined> {
  return db.one<LoginAttempts>("SELECT failures, locked_until FROM login_attempts WHERE email = $1", [email]);
}

/** Counts one more failure; locks the email until `lockUntil` when it reaches `limit`. */
export async function recordLoginFailure(
  db: Queryable,
  email: string,
  options: { now: string; limit: number; lockUntil: string },
): Promise<number> {
  const row = await db.one<{ failures: number }>(
    `INSERT INTO login_attempts (email, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, NULL)
     ON CONFLICT (email) DO UPDATE SET failures = login_attempts.failures + 1, last_failure_at = $2
     RETURNING failures`,
    [email, options.now],
  );
  const failures = Number(row!.failures);
  if (failures >= options.limit) {
    await db.execute("UPDATE login_attempts SET locked_until = $2, failures = 0 WHERE email = $1", [
      email,
      options.lockUntil,
    ]);
  }
  return failures;
}

/** Forgets the failures of an email (after a success). */
export async function clearLoginFailures(db: Queryable, email: string): Promise<void> {
  await db.execute("DELETE FROM login_attempts WHERE email = $1", [email]);
}
