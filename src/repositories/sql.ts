/**
 * Small helpers shared by the repositories. Column names come from fixed
 * whitelists in the repositories, never from user input; values are always
 * bound as parameters.
 * @module
 */
import type { Database, Queryable, SqlValue, StreamOptions, TableLockMode } from "../db/database.ts";
import { batched, BATCHES, isBatched } from "../domain/batches.ts";

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

/** `$from, $from+1, …`: `count` placeholders for an `IN (…)` list. */
export function placeholders(count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}`).join(", ");
}

/**
 * Appends `LIMIT` (and `OFFSET`, past the first page) with bound parameters
 * to `params`, returning the SQL text. A first page has no `OFFSET`: a
 * PostgreSQL generic plan of an `OFFSET $n` counts on skipping a tenth of the
 * rows, so that it never looks cheaper than a plan made for the first page
 * and the page would be planned at every run (docs/performance.md, sixth pass).
 */
export function pageClause(page: { limit?: number; offset?: number }, params: SqlValue[]): string {
  if (page.limit === undefined && !page.offset) return "";
  // An offset needs a limit in SQLite: "no limit" is the largest safe integer.
  params.push(page.limit ?? Number.MAX_SAFE_INTEGER);
  if (!page.offset) return ` LIMIT $${params.length}`;
  params.push(page.offset);
  return ` LIMIT $${params.length - 1} OFFSET $${params.length}`;
}

/**
 * The clause that locks the selected rows until the transaction ends:
 * `update` before changing or deleting them, `share` so that they cannot
 * change or disappear while others may still read and share-lock them (see
 * {@link SqlFeatures.rowLock}: nothing on SQLite, whose write transactions
 * already exclude every other writer).
 */
export function rowLock(db: Queryable, mode: "update" | "share"): string {
  return db.sql.rowLock(mode);
}

/** `FOR UPDATE` where the dialect needs it (see {@link rowLock}). */
export function forUpdate(db: Queryable): string {
  return db.sql.rowLock("update");
}

/** `FOR SHARE` where the dialect needs it (see {@link rowLock}). */
export function forShare(db: Queryable): string {
  return db.sql.rowLock("share");
}

/**
 * Locks tables until the transaction ends, against every other access
 * (`exclusive`) or against other writers (`writers`); nothing on SQLite,
 * whose write transaction already excludes every other writer.
 */
export async function lockTables(db: Queryable, tables: readonly string[], mode: TableLockMode): Promise<void> {
  const sql = db.sql.lockTables(tables, mode);
  if (sql) await db.execute(sql);
}

/** A list query: its SQL text and the values it binds (exposed so that tests can explain its plan). */
export interface ListQuery {
  sql: string;
  params: SqlValue[];
  /**
   * Planned for its values at every run (`QueryOptions.customPlan`):
   * a list whose conditions bind a value (a searched text, an instant, whose
   * rows, an entity), since which index pays off depends on that value (a
   * text found nowhere, an owner of no rows or of most of them), and every
   * report and calendar. A list whose only values are its page's limit and
   * offset is prepared: its plan reads one index in id order whatever they
   * are (`tests/db/query_plans_test.ts` checks the generic plans).
   */
  customPlan: boolean;
}

/**
 * A list's statement: `select`, its conditions joined by `AND`, `ORDER BY
 * order`, then its page. Planned for its values (`customPlan`) when its
 * conditions bind any (`params` before the page's are added), prepared when
 * they bind none (see {@link ListQuery.customPlan}).
 */
export function listQuery(
  select: string,
  conditions: { where: readonly string[]; params: SqlValue[] },
  order: string,
  page: { limit?: number; offset?: number },
): ListQuery {
  const { where, params } = conditions;
  const customPlan = params.length > 0;
  const sql = `${select}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order}${
    pageClause(page, params)
  }`;
  return { sql, params, customPlan };
}

/** The rows of `query`, streamed as {@link Queryable.stream} does, planned as the query says. */
export function streamList<T>(db: Queryable, query: ListQuery, options: StreamOptions = {}): AsyncIterable<T> {
  return db.stream<T>(query.sql, query.params, { ...options, customPlan: query.customPlan });
}

/** `rows` with `map` applied to each, still streamed (ending early ends `rows`); batch by batch when `rows` can be. */
export function mapRows<T, R>(rows: AsyncIterable<T>, map: (row: T) => R): AsyncIterable<R> {
  if (isBatched(rows)) {
    return batched(async function* () {
      const batches = rows[BATCHES]();
      try {
        for (;;) {
          const next = await batches.next();
          if (next.done) return;
          yield next.value.map(map);
        }
      } finally {
        await batches.return?.();
      }
    });
  }
  return (async function* () {
    for await (const row of rows) yield map(row);
  })();
}

/**
 * The condition "`column` is after `instant`" with a lower bound on `id`
 * from the `id_days` table of migration 0005 (`source` names the column
 * there): the smallest block of 1024 ids holding a row on the UTC day of
 * `instant` or later. Every matching row's id is at least that bound, so an
 * index in id order starts near the first match instead of skipping every
 * earlier row. `strict` means `>`, else `>=`.
 */
export function afterInstant(
  target: { alias: string; column: string; source: string },
  instant: string,
  params: SqlValue[],
  options: { strict: boolean },
): string {
  params.push(instant);
  const condition = `${target.alias}.${target.column} ${options.strict ? ">" : ">="} $${params.length}`;
  const time = new Date(instant);
  if (Number.isNaN(time.getTime())) return condition;
  // The UTC day of the instant (PostgreSQL compares instants), or the first
  // ten characters of its text when smaller (SQLite compares the text).
  const utcDay = time.toISOString().slice(0, 10);
  const textDay = instant.slice(0, 10);
  params.push(target.source, textDay < utcDay ? textDay : utcDay);
  return `${condition} AND ${target.alias}.id >= (SELECT min(block) * 1024 FROM id_days WHERE source = $${
    params.length - 1
  } AND day >= $${params.length})`;
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

/**
 * What the dialect does after loading many rows into `tables` (seed,
 * restore): PostgreSQL merges GIN pending lists and gathers planner
 * statistics; SQLite merges the client search index and checkpoints its log.
 * Every statement is tried; the first failure is thrown at the end.
 */
export async function finishBulkLoad(db: Queryable, tables: readonly string[]): Promise<void> {
  let failure: unknown;
  for (const statement of db.sql.bulkLoad.finish(tables)) {
    try {
      await db.query(statement);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
