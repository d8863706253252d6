/**
 * SQL for the login throttle of client addresses (`epic-events serve`). The
 * counts live in `login_attempts`, keyed `address:<ip>`, which no email can
 * be (an email has an `@`), so that every server process on the database
 * shares them. Each statement is one atomic `UPDATE`, so parallel attempts
 * are counted one at a time on both backends.
 * @module
 */
import type { Queryable } from "../db/database.ts";

/** Outcome of reserving an attempt for an address. */
export interface AddressSlot {
  /** Whether the password may be checked (false: the address is locked). */
  allowed: boolean;
  /** Attempts counted in the current window, this one included when allowed. */
  failures: number;
}

/**
 * Counts one attempt of `key` before its password is checked (it stays
 * counted as a failure unless {@link refundAddressAttempt} gives it back).
 * Attempts older than `windowStart` are forgotten; the attempt that reaches
 * `limit` locks the address until `lockUntil`; while locked nothing is
 * counted or allowed. Run it in a transaction.
 */
export async function reserveAddressAttempt(
  db: Queryable,
  key: string,
  options: { now: string; windowStart: string; limit: number; lockUntil: string },
): Promise<AddressSlot> {
  await db.execute(
    `INSERT INTO login_attempts (email, failures, last_failure_at, locked_until) VALUES ($1, 0, $2, NULL)
     ON CONFLICT (email) DO NOTHING`,
    [key, options.now],
  );
  // One statement: the row is locked while it is counted (PostgreSQL
  // re-reads the row after waiting on a concurrent update; SQLite's writers
  // are serialised), and a locked row is not counted.
  const counted = await db.one<{ failures: number }>(
    `UPDATE login_attempts
        SET failures = CASE WHEN last_failure_at < $3 OR locked_until IS NOT NULL THEN 1 ELSE failures + 1 END,
            last_failure_at = $2,
            locked_until = NULL
      WHERE email = $1 AND (locked_until IS NULL OR locked_until <= $2)
      RETURNING failures`,
    [key, options.now, options.windowStart],
  );
  if (counted === undefined) return { allowed: false, failures: options.limit };
  const failures = Number(counted.failures);
  if (failures >= options.limit) {
    await db.execute("UPDATE login_attempts SET locked_until = $2 WHERE email = $1", [key, options.lockUntil]);
  }
  return { allowed: true, failures };
}

/** Gives back the attempt counted for `key` (the login succeeded, or never checked a password). */
export async function refundAddressAttempt(db: Queryable, key: string): Promise<void> {
  await db.execute(
    "UPDATE login_attempts SET failures = failures - 1 WHERE email = $1 AND failures > 0 AND locked_until IS NULL",
    [key],
  );
}
