/**
 * SQLite adapter on Deno's built-in `node:sqlite`: foreign keys on, WAL,
 * busy timeout, `BEGIN IMMEDIATE` for every write transaction.
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { dirname } from "node:path";
import type {
  Database,
  ExecResult,
  MigrationConnection,
  PoolStats,
  Queryable,
  Row,
  SqlFeatures,
  SqlValue,
  StreamOptions,
  TextSearch,
} from "./database.ts";
import { ConstraintViolation } from "./constraint_error.ts";
import { UnavailableError } from "../domain/errors.ts";
import { type DatabaseLabel, diagnoseSqlite, labelOf, sqliteCode, unavailable } from "./unavailable.ts";
import { type ErrorKey, msg } from "../domain/messages.ts";

type Bindable = string | number | bigint | null;

/** How long a write waits for another process's write lock before exit 7. */
const BUSY_TIMEOUT_MS = 30_000;
/** Pause between two attempts to take the write lock (the event loop runs meanwhile, so Ctrl-C works). */
const BUSY_RETRY_MS = 25;
const SQLITE_BUSY = 5;
const isWindows = Deno.build.os === "windows";

/** Options of a {@link SqliteDatabase}. */
export interface SqliteOptions {
  /** How the database is named in messages; default: from the path. */
  label?: DatabaseLabel;
  /**
   * The file is the program's own (the default database): an existing file
   * readable by others is narrowed to 0600, like a new one.
   */
  ownFile?: boolean;
}

function translate(sql: string): string {
  // `$1` → `?1`: SQLite binds ?NNN to the NNN-th positional value.
  return sql.replace(/\$(\d+)/g, "?$1").replace(/\s+FOR UPDATE\s*$/i, "");
}

function bind(params: readonly SqlValue[]): Bindable[] {
  return params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p));
}

/** The single-code-point case variants of a character (`é` → `é`, `É`). */
export function caseVariants(ch: string): string[] {
  return [...new Set([ch, ch.toLowerCase(), ch.toUpperCase()])].filter((v) => [...v].length === 1);
}

/**
 * A GLOB pattern matching `text` anywhere: each cased letter becomes the
 * class of its variants (`[eE]`, `[éÉ]`), so case folds the same way for
 * every alphabet, and GLOB's own `*`, `?` and `[` are matched literally.
 */
export function globPattern(text: string): string {
  let pattern = "";
  for (const ch of text) {
    const variants = caseVariants(ch);
    if (variants.length > 1) pattern += `[${variants.join("")}]`;
    else pattern += "*?[".includes(ch) ? `[${ch}]` : ch;
  }
  return `*${pattern}*`;
}

/**
 * Cased letters whose case variants SQLite's FTS5 folds alike (checked over
 * every code point by tests/db/text_search_test.ts): Latin up to Latin
 * Extended-B, Greek and Coptic, Cyrillic and its supplement, Latin Extended
 * Additional and Greek Extended — except ı (U+0131), ƛ (U+019B), Ϳ (U+037F),
 * ϳ (U+03F3) and Ԩ–ԯ (U+0528–U+052F), whose variants FTS5 does not fold
 * alike (its case tables are older than JavaScript's).
 */
const FOLDED_BY_FTS =
  /^[\u0020-\u0130\u0132-\u019a\u019c-\u024f\u0370-\u037e\u0380-\u03f2\u03f4-\u0527\u1e00-\u1fff]$/u;

/**
 * Whether the FTS5 trigram index finds every row that {@link globPattern}
 * matches for `text`: 3 characters or more (a trigram), and no cased letter
 * that FTS5 folds differently from JavaScript's case mapping. Otherwise the
 * search reads every row (still exact).
 */
export function trigramSearchable(text: string): boolean {
  const chars = [...text];
  return chars.length >= 3 && chars.every((ch) => FOLDED_BY_FTS.test(ch) || caseVariants(ch).length === 1);
}

/**
 * The condition of {@link SqlFeatures.containsText}: GLOB with case classes
 * on every column, behind a lookup of candidate rows in the FTS5 trigram
 * table when the text allows it (the GLOB still decides).
 */
function containsText(target: TextSearch, text: string, params: SqlValue[]): string {
  params.push(globPattern(text));
  const glob = `$${params.length}`;
  const exact = `(${target.columns.map((c) => `${target.alias}.${c} GLOB ${glob}`).join(" OR ")})`;
  if (!target.index || !trigramSearchable(text)) return exact;
  params.push(`"${text.replaceAll('"', '""')}"`);
  return `${target.alias}.${target.key} IN (SELECT rowid FROM ${target.index} WHERE ${target.index} MATCH $${params.length})` +
    ` AND ${exact}`;
}

/** SQLite's answers to {@link SqlFeatures}. */
export const SQLITE_FEATURES: SqlFeatures = {
  rowLock: () => "",
  lockTables: () => undefined,
  containsText,
  sessionStateFunction: false,
  decodeBoolean: (value) => value === 1 || value === 1n || value === true,
  isMissingTable: (error) => /no such table/i.test((error as { message?: string })?.message ?? ""),
  listTablesSql:
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
  listColumnsSql: "SELECT name FROM pragma_table_info($1) ORDER BY cid",
  byteOrder: (expression) => `${expression} COLLATE BINARY`,
  resetIdentity: () => undefined,
  bulkLoad: {
    // A larger page cache for this connection: the index B-trees of a million rows.
    connection: ["PRAGMA cache_size = -262144"],
    transaction: [],
    // After many clients, the search index is merged into one segment (a
    // search then reads one b-tree, not one per batch), then the log checkpointed.
    finish: (tables) => [
      ...(tables.includes("clients") ? ["INSERT INTO clients_search (clients_search) VALUES ('optimize')"] : []),
      "PRAGMA wal_checkpoint(TRUNCATE)",
    ],
  },
};

const rowMakers = new Map<string, (values: readonly unknown[]) => Row>();

/**
 * A function making a row object of an array of `names`' values: one object
 * literal (one hidden class) per column list, cached (column lists are the
 * program's own queries). A repeated name keeps its last value, as
 * node:sqlite's own rows do.
 */
function rowMaker(names: readonly string[]): (values: readonly unknown[]) => Row {
  const key = JSON.stringify(names);
  let make = rowMakers.get(key);
  if (!make) {
    const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(", ");
    make = new Function("v", `return { ${fields} };`) as (values: readonly unknown[]) => Row;
    if (rowMakers.size < 256) rowMakers.set(key, make);
  }
  return make;
}

const utf8 = new TextEncoder();

/** A row of a `raw` stream (see {@link StreamOptions.raw}): each value as the UTF-8 bytes of its text, or null. */
function rawRow(values: readonly unknown[]): (Uint8Array | null)[] {
  return values.map((v) => v === null ? null : v instanceof Uint8Array ? v : utf8.encode(String(v)));
}

/** Most values one statement binds (SQLite's SQLITE_MAX_VARIABLE_NUMBER). */
const MAX_PARAMS = 32_766;
/** Most rows of one multi-row insert. */
const MAX_INSERT_ROWS = 500;

function mapConstraint(error: unknown): unknown {
  const e = error as { errcode?: number; message?: string };
  const message = e?.message ?? "";
  if (typeof e?.errcode !== "number" || !message.includes("constraint failed")) return error;
  const detail = message.replace(/^.*constraint failed:\s*/, "");
  switch (e.errcode) {
    case 2067: // SQLITE_CONSTRAINT_UNIQUE
    case 1555: // SQLITE_CONSTRAINT_PRIMARYKEY
      return new ConstraintViolation("unique", detail, error);
    case 275: // SQLITE_CONSTRAINT_CHECK
      return new ConstraintViolation("check", detail, error);
    case 787: // SQLITE_CONSTRAINT_FOREIGNKEY
      return new ConstraintViolation("foreign_key", detail, error);
    case 1299: // SQLITE_CONSTRAINT_NOTNULL
      return new ConstraintViolation("not_null", detail, error);
    default:
      return error;
  }
}

/**
 * Creates the file with mode 0600 when it does not exist (SQLite then gives
 * its `-wal` and `-shm` files the same mode), and the missing folders of its
 * path with mode 0700. An existing folder is never changed.
 */
function createPrivateFile(path: string, ownFile: boolean): void {
  Deno.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    Deno.openSync(path, { createNew: true, write: true, mode: 0o600 }).close();
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  if (Deno.statSync(path).isDirectory) throw new Deno.errors.IsADirectory(path);
  if (!ownFile || isWindows) return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      const { mode, uid } = Deno.statSync(file);
      if (mode !== null && (mode & 0o077) !== 0 && uid === Deno.uid()) Deno.chmodSync(file, 0o600);
    } catch {
      // Absent, or not ours to change.
    }
  }
}

/** A Database on one SQLite file (or `:memory:`). */
export class SqliteDatabase implements Database {
  readonly dialect = "sqlite" as const;
  readonly sql: SqlFeatures = SQLITE_FEATURES;
  #db: DatabaseSync;
  #label: DatabaseLabel;
  #statements = new Map<string, StatementSync>();
  #lock: Promise<void> = Promise.resolve();
  #inTransaction = false;
  /** Transactions waiting for the one before them (for {@link poolStats}). */
  #queued = 0;
  #count = 0;

  /**
   * Opens (or creates) the file at `path`.
   * @throws {UnavailableError} when it cannot be created or opened (exit 7).
   */
  constructor(path: string, options: SqliteOptions = {}) {
    this.#label = options.label ?? labelOf({ kind: "sqlite", path, isDefault: false });
    try {
      if (path !== ":memory:") createPrivateFile(path, options.ownFile ?? false);
      this.#db = new DatabaseSync(path);
    } catch (error) {
      throw this.#unavailable(error, "errors.db.cannot_open_file") ?? error;
    }
    try {
      this.#db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.#db.exec("PRAGMA foreign_keys = ON");
      if (path !== ":memory:") this.#db.exec("PRAGMA journal_mode = WAL");
      this.#db.exec("PRAGMA synchronous = NORMAL");
    } catch (error) {
      this.#db.close();
      throw this.#unavailable(error, "errors.db.cannot_open_file") ?? error;
    }
  }

  #unavailable(error: unknown, problem?: ErrorKey): UnavailableError | undefined {
    const diagnosis = diagnoseSqlite(error);
    if (!diagnosis) return undefined;
    return unavailable(this.#label, problem ? { ...diagnosis, problem } : diagnosis, error);
  }

  #mapError(error: unknown): unknown {
    const mapped = mapConstraint(error);
    if (mapped !== error) return mapped;
    return this.#unavailable(error) ?? error;
  }

  get statementCount(): number {
    return this.#count;
  }

  poolStats(): PoolStats {
    const inUse = this.#inTransaction ? 1 : 0;
    return { size: 1, inUse, idle: 1 - inUse, waiting: this.#queued };
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(translate(sql));
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #all<T>(sql: string, params: readonly SqlValue[]): T[] {
    this.#count++;
    try {
      return this.#prepare(sql).all(...bind(params)) as T[];
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  #run(sql: string, params: readonly SqlValue[]): ExecResult {
    this.#count++;
    try {
      const result = this.#prepare(sql).run(...bind(params));
      return { changes: Number(result.changes) };
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  #exec(sql: string): void {
    this.#count++;
    try {
      this.#db.exec(sql);
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  /**
   * `BEGIN IMMEDIATE|EXCLUSIVE`, waiting for another process's write lock
   * without blocking the event loop (so that a signal is handled meanwhile),
   * up to {@link BUSY_TIMEOUT_MS}.
   */
  async #begin(begin: string): Promise<void> {
    const until = Date.now() + BUSY_TIMEOUT_MS;
    this.#count++;
    this.#db.exec("PRAGMA busy_timeout = 0");
    try {
      for (;;) {
        try {
          this.#db.exec(begin);
          return;
        } catch (error) {
          if (sqliteCode(error) !== SQLITE_BUSY || Date.now() >= until) {
            throw this.#mapError(error);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
        if (!this.#db.isOpen) throw new UnavailableError(msg("errors.db.closed"));
      }
    } finally {
      if (this.#db.isOpen) this.#db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /**
   * Steps a fresh statement row by row (a cached one would be reset under the
   * iterator by the next query of the same text). With `outside` (a stream of
   * the database, not of a transaction), no row is read while a transaction
   * of this connection is open: it would see that transaction's writes.
   * Ending early resets the statement, which ends its read of the file.
   */
  async *#stream<T>(
    sql: string,
    params: readonly SqlValue[],
    outside: boolean,
    options: StreamOptions = {},
  ): AsyncGenerator<T> {
    if (outside) await this.#waitForTransaction();
    this.#count++;
    let rows: Iterator<unknown>;
    let make: (values: readonly unknown[]) => unknown;
    try {
      const statement = this.#db.prepare(translate(sql));
      // Rows as arrays, made into objects by a literal of the statement's columns:
      // node:sqlite builds an object key by key, several times slower.
      (statement as StatementSync & { setReturnArrays(enabled: boolean): void }).setReturnArrays(true);
      make = options.raw ? rawRow : rowMaker(statement.columns().map((c) => c.name));
      rows = statement.iterate(...bind(params));
    } catch (error) {
      throw this.#mapError(error);
    }
    let done = false;
    try {
      for (;;) {
        if (outside && this.#inTransaction) await this.#waitForTransaction();
        let step: IteratorResult<unknown>;
        try {
          step = rows.next();
        } catch (error) {
          done = true;
          throw this.#mapError(error);
        }
        if (step.done) {
          done = true;
          // node:sqlite ends an iterator quietly when its database is closed: not a complete result.
          if (!this.#db.isOpen) throw new UnavailableError(msg("errors.db.closed"));
          return;
        }
        yield make(step.value as unknown[]) as T;
      }
    } finally {
      if (!done && this.#db.isOpen) rows.return?.();
    }
  }

  #insertSql = new Map<string, string>();

  /** Multi-row inserts with anonymous `?` (node:sqlite binds `?NNN` in time quadratic in their count). */
  #insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): number {
    const perStatement = Math.max(1, Math.min(MAX_INSERT_ROWS, Math.floor(MAX_PARAMS / columns.length)));
    let changes = 0;
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      const key = `${table}(${columns.join(",")})×${chunk.length}`;
      let sql = this.#insertSql.get(key);
      if (!sql) {
        const tuple = `(${columns.map(() => "?").join(", ")})`;
        sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array(chunk.length).fill(tuple).join(", ")}`;
        this.#insertSql.set(key, sql);
      }
      changes += this.#run(sql, chunk.flat()).changes;
    }
    return changes;
  }

  #conn(): Queryable {
    return {
      dialect: "sqlite",
      sql: SQLITE_FEATURES,
      query: <T = Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(this.#all<T>(sql, params)),
      one: <T = Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(this.#all<T>(sql, params)[0]),
      execute: (sql: string, params: readonly SqlValue[] = []) => Promise.resolve(this.#run(sql, params)),
      stream: <T = Row>(sql: string, params: readonly SqlValue[] = [], options?: StreamOptions) =>
        this.#stream<T>(sql, params, false, options),
      insertMany: (table, columns, rows) => Promise.resolve(this.#insertMany(table, columns, rows)),
    };
  }

  async #waitForTransaction(): Promise<void> {
    while (this.#inTransaction) await this.#lock;
  }

  async query<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    await this.#waitForTransaction();
    return this.#all<T>(sql, params);
  }

  async one<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecResult> {
    await this.#waitForTransaction();
    return this.#run(sql, params);
  }

  stream<T = Row>(sql: string, params: readonly SqlValue[] = [], options?: StreamOptions): AsyncIterable<T> {
    return this.#stream<T>(sql, params, true, options);
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    await this.#waitForTransaction();
    return this.#insertMany(table, columns, rows);
  }

  async #transaction<T>(begin: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise<void>((resolve) => (release = resolve));
    this.#queued++;
    try {
      await previous;
    } finally {
      this.#queued--;
    }
    this.#inTransaction = true;
    try {
      await this.#begin(begin);
      try {
        const result = await fn(this.#conn());
        this.#exec("COMMIT");
        return result;
      } catch (error) {
        if (this.#db.isOpen && this.#db.isTransaction) this.#exec("ROLLBACK");
        throw error;
      }
    } finally {
      this.#inTransaction = false;
      release();
    }
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#transaction("BEGIN IMMEDIATE", fn);
  }

  snapshot<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // WAL: a deferred transaction reads one snapshot from its first read on,
    // without blocking writers; query_only refuses any write inside it.
    return this.#transaction("BEGIN DEFERRED", async (tx) => {
      this.#exec("PRAGMA query_only = ON");
      try {
        return await fn(tx);
      } finally {
        this.#exec("PRAGMA query_only = OFF");
      }
    });
  }

  withMigrationLock<T>(fn: (conn: MigrationConnection) => Promise<T>): Promise<T> {
    // SQLite has no session lock: each migration runs in its own exclusive
    // transaction, and the runner re-reads what is applied inside it.
    const conn: MigrationConnection = {
      ...this.#conn(),
      query: (sql, params) => this.query(sql, params),
      one: (sql, params) => this.one(sql, params),
      execute: (sql, params) => this.execute(sql, params),
      stream: (sql, params, options) => this.stream(sql, params, options),
      insertMany: (table, columns, rows) => this.insertMany(table, columns, rows),
      transaction: (inner) => this.#transaction("BEGIN EXCLUSIVE", inner),
    };
    return fn(conn);
  }

  /** Ends what is running now (SIGINT, SIGTERM): rolls back an open transaction and closes the file. */
  abort(): Promise<void> {
    try {
      if (this.#db.isOpen && this.#db.isTransaction) this.#db.exec("ROLLBACK");
    } catch {
      // Closing discards the transaction too.
    }
    return this.close();
  }

  close(): Promise<void> {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}
