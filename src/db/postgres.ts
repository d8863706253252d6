/**
 * PostgreSQL adapter on postgres.js. Loaded only for a postgres URL. The pool
 * is closed by {@link PostgresDatabase.close} so that the process exits promptly.
 * @module
 */
import postgres from "postgres";
import type {
  Database,
  ExecResult,
  MigrationConnection,
  Queryable,
  Row,
  SqlFeatures,
  SqlValue,
  TextSearch,
} from "./database.ts";
import { normalizeRow } from "./database.ts";
import { ConstraintViolation } from "./constraint_error.ts";
import { DEFAULT_CONNECT_TIMEOUT_SECONDS } from "../config.ts";
import { UnavailableError } from "../domain/errors.ts";
import { type DatabaseLabel, diagnosePostgres, labelOf, unavailable } from "./unavailable.ts";

type Sql = postgres.Sql<Record<string, never>>;
type Runner = Pick<Sql, "unsafe">;
type Pending = { cancel(): void };

/** Arbitrary but fixed key of the advisory lock held while migrating. */
const MIGRATION_LOCK_KEY = 7_311_994_024;

const CONSTRAINT_CODES: Record<string, ConstraintViolation["kind"]> = {
  "23505": "unique",
  "23514": "check",
  "23503": "foreign_key",
  "23502": "not_null",
};

/** Rows a stream's cursor fetches per round trip. */
const CURSOR_ROWS = 1000;
/** Rows of one multi-row insert (one JSON parameter). */
const INSERT_ROWS = 5000;

/**
 * A regular expression matching `text` anywhere: each cased letter becomes
 * the class of its single-code-point variants (`[eE]`, `[éÉ]`, the same
 * classes as SQLite's GLOB pattern, whatever the database's locale), every
 * other character that is not a letter or digit is escaped.
 */
export function regexPattern(text: string): string {
  let pattern = "";
  for (const ch of text) {
    const variants = [...new Set([ch, ch.toLowerCase(), ch.toUpperCase()])].filter((v) => [...v].length === 1);
    if (variants.length > 1) pattern += `[${variants.join("")}]`;
    else pattern += /[\p{L}\p{N}]/u.test(ch) ? ch : `\\${ch}`;
  }
  return pattern;
}

/**
 * The condition of {@link SqlFeatures.containsText}: `~` on each column. The
 * trigram GIN index of migration 0005 (pg_trgm) serves `~` directly, so the
 * planner finds candidate rows in it and the regular expression decides.
 */
function containsText(target: TextSearch, text: string, params: SqlValue[]): string {
  params.push(regexPattern(text));
  const p = `$${params.length}`;
  return `(${target.columns.map((c) => `${target.alias}.${c} ~ ${p}`).join(" OR ")})`;
}

/** PostgreSQL's answers to {@link SqlFeatures}. */
export const POSTGRES_FEATURES: SqlFeatures = {
  rowLock: (mode) => (mode === "update" ? " FOR UPDATE" : " FOR SHARE"),
  lockTables: (tables, mode) =>
    tables.length === 0
      ? undefined
      : `LOCK TABLE ${tables.join(", ")} IN ${mode === "exclusive" ? "ACCESS EXCLUSIVE" : "SHARE ROW EXCLUSIVE"} MODE`,
  containsText,
  decodeBoolean: (value) => value === true || value === "t" || value === 1,
  isMissingTable: (error) => {
    let current = error as { code?: unknown; cause?: unknown } | undefined;
    for (let depth = 0; depth < 3 && current; depth++) {
      if (current.code === "42P01") return true; // undefined_table
      current = current.cause as typeof current;
    }
    return false;
  },
  listTablesSql: `SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  listColumnsSql: `SELECT column_name AS name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
  byteOrder: (expression) => `${expression} COLLATE "C"`,
  resetIdentity: (table, key) =>
    `SELECT setval(pg_get_serial_sequence('${table}', '${key}'), COALESCE((SELECT max(${key}) FROM ${table}), 0) + 1,
       false)`,
  bulkLoad: {
    connection: [],
    transaction: ["SET LOCAL synchronous_commit = off"],
    // Rows added to a GIN index wait in its pending list, which every search
    // reads and which makes the planner avoid the index: merge it, then
    // gather the planner's statistics.
    finish: (tables) =>
      tables.length === 0 ? [] : [
        `SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i
         JOIN pg_class ix ON ix.oid = i.indexrelid JOIN pg_am am ON am.oid = ix.relam
         WHERE am.amname = 'gin' AND i.indrelid = ANY (ARRAY[${
          tables.map((t) => `to_regclass('${t}')`).join(", ")
        }]::regclass[])`,
        `ANALYZE ${tables.join(", ")}`,
      ],
  },
};

/** JSON of rows for `json_populate_recordset` (a bigint as its digits). */
function rowsJson(columns: readonly string[], rows: readonly (readonly SqlValue[])[]): string {
  return JSON.stringify(
    rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))),
    (_key, value) => (typeof value === "bigint" ? value.toString() : value),
  );
}

/** Options of a {@link PostgresDatabase}. */
export interface PostgresOptions {
  /** Seconds before connecting is given up (`DATABASE_CONNECT_TIMEOUT`); default 10. */
  connectTimeoutSeconds?: number;
  /** How the database is named in messages; default: from the URL. */
  label?: DatabaseLabel;
}

/** Errors that left their connection unusable: no ROLLBACK may be sent on it. */
const lostConnections = new WeakSet<object>();

/** What the adapter tracks across its queryables. */
interface Tracker {
  label: DatabaseLabel;
  count(): void;
  pending: Set<Pending>;
  /** A connection died: close() then ends the pool at once (postgres.js would wait for its dead query). */
  lost: boolean;
}

/** Whether `error` (as mapped) left its connection unusable. */
function isLost(error: unknown): boolean {
  return typeof error === "object" && error !== null && lostConnections.has(error);
}

function mapError(error: unknown, label: DatabaseLabel): unknown {
  if (error instanceof UnavailableError || error instanceof ConstraintViolation) return error;
  const e = error as { code?: string; constraint_name?: string; message?: string };
  const kind = e?.code ? CONSTRAINT_CODES[e.code] : undefined;
  if (kind) return new ConstraintViolation(kind, e.constraint_name ?? e.message ?? "", error);
  const diagnosis = diagnosePostgres(error, label);
  if (!diagnosis) return error;
  const mapped = unavailable(label, diagnosis, error);
  if (diagnosis.connectionLost) lostConnections.add(mapped);
  return mapped;
}

/** Runs one statement, tracked so that {@link PostgresDatabase.abort} can cancel it. */
async function track<T>(tracker: Tracker, start: () => Promise<T> & Pending): Promise<T> {
  tracker.count();
  let query: (Promise<T> & Pending) | undefined;
  try {
    query = start();
    tracker.pending.add(query);
    return await query;
  } catch (error) {
    const mapped = mapError(error, tracker.label);
    if (isLost(mapped)) tracker.lost = true;
    throw mapped;
  } finally {
    if (query) tracker.pending.delete(query);
  }
}

type CursorQuery = Promise<postgres.RowList<postgres.Row[]>> & Pending & {
  cursor(rows: number): AsyncIterable<postgres.Row[]>;
};

/**
 * The rows of a query through a postgres.js cursor, {@link CURSOR_ROWS} per
 * round trip. Ended early, the cursor's `return()` closes the portal (Close
 * and Sync); postgres.js does not wait for the server's answer, so one more
 * `next()` does: it settles when the query is over, and the connection is
 * back in the pool when the stream's `return()` resolves.
 */
async function* streamRows<T>(
  runner: Runner,
  tracker: Tracker,
  sql: string,
  params: readonly SqlValue[],
): AsyncGenerator<T> {
  tracker.count();
  let query: CursorQuery;
  let cursor: AsyncIterator<postgres.Row[]>;
  try {
    query = runner.unsafe(sql, params as postgres.ParameterOrJSON<never>[]) as unknown as CursorQuery;
    cursor = query.cursor(CURSOR_ROWS)[Symbol.asyncIterator]();
  } catch (error) {
    throw mapError(error, tracker.label);
  }
  tracker.pending.add(query);
  let done = false;
  try {
    for (;;) {
      let batch: IteratorResult<postgres.Row[]>;
      try {
        batch = await cursor.next();
      } catch (error) {
        done = true;
        const mapped = mapError(error, tracker.label);
        if (isLost(mapped)) tracker.lost = true;
        throw mapped;
      }
      if (batch.done) {
        done = true;
        return;
      }
      for (const row of batch.value) yield normalizeRow(row as Record<string, unknown>) as T;
    }
  } finally {
    if (!done && !tracker.lost) {
      try {
        await cursor.return?.();
        await cursor.next();
      } catch {
        // The query failed or was cancelled while closing: nothing left to close.
      }
    }
    tracker.pending.delete(query);
  }
}

function makeQueryable(runner: Runner, tracker: Tracker): Queryable {
  const unsafe = (sql: string, params: readonly SqlValue[]) =>
    runner.unsafe(sql, params as postgres.ParameterOrJSON<never>[]) as unknown as
      & Promise<postgres.RowList<postgres.Row[]>>
      & Pending;
  async function query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const rows = await track(tracker, () => unsafe(sql, params));
    return rows.map((row) => normalizeRow(row as Record<string, unknown>)) as T[];
  }
  async function execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecResult> {
    const result = await track(tracker, () => unsafe(sql, params));
    return { changes: result.count ?? 0 };
  }
  return {
    dialect: "postgres",
    sql: POSTGRES_FEATURES,
    query,
    one: async <T = Row>(sql: string, params: readonly SqlValue[] = []) => (await query<T>(sql, params))[0],
    execute,
    stream: <T = Row>(sql: string, params: readonly SqlValue[] = []) => streamRows<T>(runner, tracker, sql, params),
    async insertMany(table, columns, rows) {
      // One JSON parameter of thousands of rows, typed by the table's own row type.
      const names = columns.join(", ");
      const sql =
        `INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, $1::text::json)`;
      let changes = 0;
      for (let start = 0; start < rows.length; start += INSERT_ROWS) {
        changes += (await execute(sql, [rowsJson(columns, rows.slice(start, start + INSERT_ROWS))])).changes;
      }
      return changes;
    },
  };
}

/** A Database on a PostgreSQL server. */
export class PostgresDatabase implements Database {
  readonly dialect = "postgres" as const;
  readonly sql: SqlFeatures = POSTGRES_FEATURES;
  #sql: Sql;
  #count = 0;
  #self: Queryable;
  #tracker: Tracker;

  constructor(url: string, options: PostgresOptions = {}) {
    const connectTimeoutSeconds = options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
    // The URL's password alone (none if it has none): postgres.js would
    // otherwise send the environment's PGPASSWORD to whatever host the URL
    // names, such as a DATABASE_URL planted in a .env file.
    const password = decodeURIComponent(new URL(url).password);
    this.#sql = postgres(url, {
      pass: () => password,
      max: 4,
      onnotice: () => {},
      connect_timeout: connectTimeoutSeconds,
      idle_timeout: 5,
      types: {
        // int8 (ids, counts, cents) as JS numbers: every value we store is a
        // safe integer, checked before it is written.
        bigint: {
          to: 20,
          from: [20],
          serialize: (x: number) => String(x),
          parse: (x: string) => Number(x),
        },
      },
    }) as unknown as Sql;
    this.#tracker = {
      label: options.label ?? labelOf({ kind: "postgres", url }, connectTimeoutSeconds),
      count: () => this.#count++,
      pending: new Set(),
      lost: false,
    };
    this.#self = makeQueryable(this.#sql, this.#tracker);
  }

  get statementCount(): number {
    return this.#count;
  }

  query<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#self.query<T>(sql, params);
  }

  one<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.#self.one<T>(sql, params);
  }

  execute(sql: string, params?: readonly SqlValue[]): Promise<ExecResult> {
    return this.#self.execute(sql, params);
  }

  stream<T = Row>(sql: string, params?: readonly SqlValue[]): AsyncIterable<T> {
    return this.#self.stream<T>(sql, params);
  }

  insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    return this.#self.insertMany(table, columns, rows);
  }

  async #reserve(): Promise<postgres.ReservedSql<Record<string, never>>> {
    try {
      return await this.#sql.reserve();
    } catch (error) {
      const mapped = mapError(error, this.#tracker.label);
      if (isLost(mapped)) this.#tracker.lost = true;
      throw mapped;
    }
  }

  /**
   * BEGIN … COMMIT on one reserved connection. Unlike postgres.js's `begin`,
   * no ROLLBACK is written on a connection the server has already closed
   * (postgres.js would crash the process writing to its null socket:
   * porsager/postgres#1154, #1208); the server rolls back on its own then.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#onReserved("BEGIN", fn);
  }

  async #onReserved<T>(begin: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const reserved = await this.#reserve();
    const tx = makeQueryable(reserved as unknown as Runner, this.#tracker);
    let lost = false;
    try {
      await tx.execute(begin);
      const result = await fn(tx);
      await tx.execute("COMMIT");
      return result;
    } catch (error) {
      const mapped = mapError(error, this.#tracker.label);
      lost = isLost(mapped);
      if (!lost) await tx.execute("ROLLBACK").catch(() => {});
      throw mapped;
    } finally {
      // A dead connection stays out of the pool (close() still ends it).
      if (!lost) reserved.release();
    }
  }

  snapshot<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#onReserved("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  async withMigrationLock<T>(fn: (conn: MigrationConnection) => Promise<T>): Promise<T> {
    const reserved = await this.#reserve();
    const base = makeQueryable(reserved as unknown as Runner, this.#tracker);
    let lost = false;
    /** Whether the connection survived `error` (none is sent on a dead one). */
    const alive = (error: unknown) => {
      lost ||= isLost(mapError(error, this.#tracker.label));
      return !lost;
    };
    const conn: MigrationConnection = {
      ...base,
      transaction: async (inner) => {
        await base.execute("BEGIN");
        try {
          const result = await inner(base);
          await base.execute("COMMIT");
          return result;
        } catch (error) {
          if (alive(error)) await base.execute("ROLLBACK").catch(() => {});
          throw mapError(error, this.#tracker.label);
        }
      },
    };
    try {
      await base.execute("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      let result: T;
      try {
        result = await fn(conn);
      } catch (error) {
        // The lock ends with its session anyway; only a live session is told.
        if (alive(error)) await base.execute("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
        throw error;
      }
      await base.execute("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      return result;
    } catch (error) {
      alive(error);
      throw mapError(error, this.#tracker.label);
    } finally {
      if (!lost) reserved.release();
    }
  }

  /**
   * Ends what is running now (SIGINT, SIGTERM): each statement in flight is
   * cancelled on the server, so an open transaction is rolled back there, and
   * the pool is closed.
   */
  async abort(): Promise<void> {
    for (const query of this.#tracker.pending) {
      try {
        query.cancel();
      } catch {
        // Already settled.
      }
    }
    await this.#sql.end({ timeout: 1 });
  }

  async close(): Promise<void> {
    // Statements still running get 5 s to finish; after a lost connection
    // there is nothing to wait for (postgres.js would wait for its dead query).
    await this.#sql.end({ timeout: this.#tracker.lost ? 0 : 5 });
  }
}
