/**
 * The one database interface that repositories and services see. Statements
 * are written once with `$1, $2 …` placeholders; each adapter translates them
 * for its dialect. No value is ever spliced into SQL text.
 * @module
 */

/** The SQL dialect behind a {@link Database}. */
export type Dialect = "sqlite" | "postgres";

/** A value bound to a placeholder. */
export type SqlValue = string | number | bigint | boolean | null;

/** A row as returned by the driver, timestamps already as ISO 8601 strings. */
export type Row = Record<string, unknown>;

/** What a statement changed. */
export interface ExecResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/** Something statements can run on: the database or an open transaction. */
export interface Queryable {
  /** The dialect, for the rare statement that must differ (DDL). */
  readonly dialect: Dialect;
  /** All rows of a query. */
  query<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row of a query, or undefined. */
  one<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement that returns no rows. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<ExecResult>;
}

/** A connection (or pool) to one database. */
export interface Database extends Queryable {
  /**
   * Runs `fn` in a write transaction (SQLite: `BEGIN IMMEDIATE`): committed
   * when it resolves, rolled back when it throws.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a read-only snapshot: every query of `fn` sees the database
   * as of one instant, whatever other connections commit meanwhile
   * (PostgreSQL: `REPEATABLE READ READ ONLY`; SQLite: a deferred read
   * transaction, whose snapshot starts at its first read). For backups.
   */
  snapshot<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the database-wide migration lock (PostgreSQL:
   * advisory lock on one reserved connection; SQLite: the callback runs each
   * migration in its own `BEGIN EXCLUSIVE` transaction via `tx`).
   */
  withMigrationLock<T>(fn: (conn: MigrationConnection) => Promise<T>): Promise<T>;
  /** Closes the connection so that the process can exit. */
  close(): Promise<void>;
  /**
   * Ends what is running now (on SIGINT or SIGTERM): statements in flight are
   * cancelled, an open transaction is rolled back, and the connection closed.
   */
  abort(): Promise<void>;
  /** Statements run so far (for tests and benchmarks of query counts). */
  readonly statementCount: number;
}

/** A connection that holds the migration lock. */
export interface MigrationConnection extends Queryable {
  /** Runs `fn` in one exclusive transaction on the locked connection. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** Converts a driver value for output: dates become ISO 8601 strings with `Z`. */
export function normalizeRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const key in row) {
    const value = row[key];
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}
