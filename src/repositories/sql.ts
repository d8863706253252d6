/**
 * Small helpers shared by the repositories. Column names come from fixed
 * whitelists in the repositories, never from user input; values are always
 * bound as parameters.
 * @module
 */
import type { Database, Queryable, SqlValue } from "../db/database.ts";

/**
 * Runs `UPDATE table SET col = $n, … WHERE id = $k` for the given columns,
 * plus `col = col + 1` for each column of `increment` (a fixed name from the
 * repository, never user input).
 */
export async function updateColumns(
  db: Queryable,
  table: string,
  id: number,
  changes: Readonly<Record<string, SqlValue | undefined>>,
  options: { increment?: readonly string[] } = {},
): Promise<number> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [string, SqlValue][];
  const increments = (options.increment ?? []).map((column) => `${column} = ${column} + 1`);
  if (entries.length === 0 && increments.length === 0) return 0;
  const sets = [...entries.map(([column], i) => `${column} = $${i + 1}`), ...increments].join(", ");
  const result = await db.execute(
    `UPDATE ${table} SET ${sets} WHERE id = $${entries.length + 1}`,
    [...entries.map(([, v]) => v), id],
  );
  return result.changes;
}

/** Appends `LIMIT/OFFSET` with bound parameters to `params`, returning the SQL text. */
export function pageClause(page: { limit?: number; offset?: number }, params: SqlValue[]): string {
  if (page.limit === undefined && !page.offset) return "";
  // An offset needs a limit in SQLite: "no limit" is the largest safe integer.
  params.push(page.limit ?? Number.MAX_SAFE_INTEGER, page.offset ?? 0);
  return ` LIMIT $${params.length - 1} OFFSET $${params.length}`;
}

/**
 * ` FOR UPDATE` on PostgreSQL (an exclusive row lock until the transaction
 * ends); nothing on SQLite, whose write transactions (`BEGIN IMMEDIATE`)
 * already exclude every other writer.
 */
export function forUpdate(db: Queryable): string {
  return db.dialect === "postgres" ? " FOR UPDATE" : "";
}

/**
 * ` FOR SHARE` on PostgreSQL (the row cannot change or disappear until the
 * transaction ends, while others may read and share-lock it); nothing on SQLite.
 */
export function forShare(db: Queryable): string {
  return db.dialect === "postgres" ? " FOR SHARE" : "";
}

/** PostgreSQL SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]); // serialization_failure, deadlock_detected

/** Attempts of {@link transaction} before the error is given up to the caller. */
export const TRANSACTION_ATTEMPTS = 3;

function isRetryable(error: unknown): boolean {
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 3 && current; depth++) {
    if (typeof current.code === "string" && RETRYABLE.has(current.code)) return true;
    current = current.cause as typeof current;
  }
  return false;
}

/**
 * Runs `fn` in a write transaction of `db`, and runs it again (at most
 * {@link TRANSACTION_ATTEMPTS} times in all, after a short random pause) when
 * PostgreSQL aborted it as a deadlock victim or a serialization failure.
 * Locks are taken in one order everywhere (docs/concurrency.md), so this is
 * a safety net, not the mechanism. `fn` must only act through `tx`.
 */
export async function transaction<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (attempt >= TRANSACTION_ATTEMPTS || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
