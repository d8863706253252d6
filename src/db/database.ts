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

/** How {@link SqlFeatures.lockTables} locks: against every other access, or against other writers. */
export type TableLockMode = "exclusive" | "writers";

/**
 * Where {@link SqlFeatures.containsText} looks: `columns` of the row named
 * `alias` in the query, whose key column is `key`. `index` names a trigram
 * index over exactly these columns that an adapter may use to find candidate
 * rows (SQLite: the FTS5 trigram table of that name, its rowid being `key`);
 * PostgreSQL's planner finds its own trigram indexes and ignores it.
 */
export interface TextSearch {
  /** The alias of the searched table in the query, e.g. `c`. */
  alias: string;
  /** Its key column, e.g. `id`. */
  key: string;
  /** The text columns searched, e.g. `full_name`, `email`, `company_name`. */
  columns: readonly string[];
  /** A trigram index over exactly these columns (SQLite: the FTS5 table's name). */
  index?: string;
}

/**
 * How a column holds the value a record prints, for {@link SqlFeatures.jsonValue}:
 * a number, text, an instant (printed as ISO 8601 with `Z`), a boolean, or an
 * amount in cents (printed as the string `"1500.00"`).
 */
export type JsonKind = "integer" | "text" | "timestamp" | "boolean" | "cents";

/** The JSON text of a column in SQL (see {@link SqlFeatures.jsonValue}). */
export interface JsonValueSql {
  /** The value's JSON text, for a value that meets {@link JsonValueSql.exact}. */
  text: string;
  /** A condition true when the value's text is exact; absent: always. */
  exact?: string;
}

/**
 * What differs between the dialects, as named capabilities: repositories,
 * services and tools ask for one of these and never look at
 * {@link Queryable.dialect} (issue 9 §5). Every function only builds SQL
 * text or reads a value; none runs a statement.
 */
export interface SqlFeatures {
  /**
   * The suffix of a `SELECT` that locks its rows until the transaction ends:
   * `update` (exclusive) or `share` (the rows cannot change or disappear,
   * others may read and share-lock them). PostgreSQL: ` FOR UPDATE` /
   * ` FOR SHARE`; SQLite: nothing, its write transactions (`BEGIN IMMEDIATE`)
   * already exclude every other writer.
   */
  rowLock(mode: "update" | "share"): string;
  /**
   * The statement that locks `tables` until the transaction ends, against
   * every other reader and writer (`exclusive`) or against other writers
   * (`writers`), or undefined when the dialect's write transaction already
   * does (SQLite).
   */
  lockTables(tables: readonly string[], mode: TableLockMode): string | undefined;
  /**
   * A condition true when any column of `target` contains `text` as a
   * substring, case-insensitively for every cased letter (not only ASCII:
   * `é` matches `É`) and with every other character literal (`%`, `_`, `*`,
   * `\`, regular-expression syntax…). Binds its values by pushing them on
   * `params`. Both dialects give the same rows; with `target.index` an
   * adapter uses a trigram index for texts of 3 characters or more.
   */
  containsText(target: TextSearch, text: string, params: SqlValue[]): string;
  /**
   * SQL giving the JSON text of column `expression` exactly as the program
   * prints the value it reads from it (`JSON.stringify` of the number, the
   * string, the boolean or null; an instant's ISO 8601 text with `Z`; an
   * amount's `"1500.00"`), for a value that meets `exact` (absent: every
   * value); a row with a value that does not is printed from its values, as
   * without it. `nullable`: the column may hold NULL (printed `null`).
   * `integer` is for 32-bit columns. Undefined: the dialect builds no JSON
   * text, lists are printed from their rows (SQLite).
   */
  jsonValue?(expression: string, kind: JsonKind, nullable: boolean): JsonValueSql;
  /**
   * Whether the schema has the stored function `session_state(user_id, jti)`
   * (migration 0008; PostgreSQL only), which the session check calls instead
   * of its query: the function keeps its statement's plan from its first
   * run (`force_generic_plan`), where a prepared statement of the connection
   * is planned for its values at its first five runs at least.
   */
  readonly sessionStateFunction: boolean;
  /** A boolean column's value as read (SQLite: 0/1; PostgreSQL: a boolean). */
  decodeBoolean(value: unknown): boolean;
  /** Whether a driver error says that a table does not exist. */
  isMissingTable(error: unknown): boolean;
  /** A query of the names (`name`) of every table of the schema, by name. */
  readonly listTablesSql: string;
  /** A query of the column names (`name`) of table `$1`, in their order. */
  readonly listColumnsSql: string;
  /** `expression` compared byte by byte (the same order on both backends). */
  byteOrder(expression: string): string;
  /**
   * The statement that moves the id sequence of `table` past its highest
   * `key` after rows were inserted with their ids, or undefined when the
   * dialect does it by itself (SQLite's AUTOINCREMENT).
   */
  resetIdentity(table: string, key: string): string | undefined;
  /**
   * Statements for loading many rows: `connection` once on the connection
   * (SQLite: a larger page cache), `transaction` at the start of each write
   * transaction (PostgreSQL: no wait for the commit to reach the disk), and
   * `finish(tables)` after the load (PostgreSQL: GIN pending lists merged and
   * planner statistics; SQLite: the client search index merged, a WAL
   * checkpoint).
   */
  readonly bulkLoad: {
    connection: readonly string[];
    transaction: readonly string[];
    finish(tables: readonly string[]): string[];
  };
}

/** How a statement is run. */
export interface QueryOptions {
  /**
   * Plan the statement for its values at every run. For a statement whose
   * best plan depends on the values it binds (a searched text, an instant,
   * an id whose rows may be many or none): PostgreSQL runs it as an unnamed
   * statement, which is always given a plan made for its values (a custom
   * plan). Otherwise it is prepared once per connection, and PostgreSQL may
   * reuse one plan for every value after five runs (a generic plan, when its
   * estimate is no worse: `plan_cache_mode = auto`). SQLite ignores it.
   */
  customPlan?: boolean;
}

/** What a {@link Queryable.stream} may know of its rows. */
export interface StreamOptions extends QueryOptions {
  /**
   * At most this many rows come (the query's `LIMIT`), when known: a
   * PostgreSQL stream of no more than one cursor batch is read with one
   * plain query, in one round trip instead of a cursor's two (a page of a
   * list in `serve`).
   */
  rows?: number;
  /**
   * Each row as the array of its columns in select order, each the UTF-8
   * bytes of its text (`Uint8Array`, a number as its digits) or null.
   * PostgreSQL hands over the bytes the server sent without decoding them
   * into strings: for text that is written out as it is (the JSON export).
   */
  raw?: boolean;
  /**
   * With `raw`: the query selects one `text` column (the JSON lists). On
   * PostgreSQL, more rows than a cursor batch are then read through `COPY …
   * TO STDOUT (FORMAT binary)` (whose bytes are a column's text for text
   * only): the server sends them without waiting to be asked for each batch.
   */
  oneText?: boolean;
}

/** Something statements can run on: the database or an open transaction. */
export interface Queryable {
  /** The dialect, for DDL (migrations) and messages: everything else asks {@link Queryable.sql}. */
  readonly dialect: Dialect;
  /** The dialect's capabilities: row and table locks, text search, boolean decoding… */
  readonly sql: SqlFeatures;
  /** All rows of a query. */
  query<T = Row>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]>;
  /** The first row of a query, or undefined. */
  one<T = Row>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T | undefined>;
  /** Runs a statement that returns no rows. */
  execute(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<ExecResult>;
  /**
   * The rows of a query as they come from a database cursor (SQLite: the
   * statement is stepped row by row; PostgreSQL: a cursor fetching a batch at
   * a time), never the whole result at once: memory stays flat whatever the
   * number of rows. The query starts at the first `next()`. Ending the loop
   * early (`break`, a throw, `return()` on the iterator — e.g. when stdout's
   * pipe closed) ends the query at once: the statement is reset (SQLite) or
   * the cursor closed and its connection given back (PostgreSQL) before
   * `return()` resolves. Rows are those {@link Queryable.query} would give,
   * in the same order. On a {@link Database} (not a transaction), SQLite
   * reads no row while a transaction of the same connection is open: the
   * stream waits for it to end.
   */
  stream<T = Row>(sql: string, params?: readonly SqlValue[], options?: StreamOptions): AsyncIterable<T>;
  /**
   * Inserts `rows` (values in the order of `columns`) into `table` in as few
   * statements as the dialect does best (SQLite: multi-row `VALUES` of at
   * most a few hundred rows; PostgreSQL: one statement of thousands of rows
   * read from one JSON parameter). Returns the number of rows inserted.
   */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number>;
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
  /** How busy the connections are now (`serve --metrics-listen`); absent when the adapter cannot tell. */
  poolStats?(): PoolStats;
}

/**
 * A pool's state at one instant. PostgreSQL: the places of the pool's gate
 * (in use, free, operations waiting for one); SQLite: its one connection,
 * in use while a transaction holds it, with the transactions queued behind.
 */
export interface PoolStats {
  /** Connections the pool may hold. */
  size: number;
  /** Places taken by an operation now. */
  inUse: number;
  /** Places free now (`size - inUse`). */
  idle: number;
  /** Operations waiting for a place (PostgreSQL: or queued behind another statement on a busy connection). */
  waiting: number;
}

/** A connection that holds the migration lock. */
export interface MigrationConnection extends Queryable {
  /** Runs `fn` in one exclusive transaction on the locked connection. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}
