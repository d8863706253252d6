/**
 * PostgreSQL adapter on postgres.js. Loaded only for a postgres URL. The pool
 * is closed by {@link PostgresDatabase.close} so that the process exits promptly.
 * @module
 */
import postgres from "postgres";
import type {
  Database,
  ExecResult,
  JsonKind,
  JsonValueSql,
  MigrationConnection,
  PoolStats,
  Queryable,
  QueryOptions,
  Row,
  SqlFeatures,
  SqlValue,
  StreamOptions,
  TextSearch,
} from "./database.ts";
import { ConstraintViolation } from "./constraint_error.ts";
import { DEFAULT_CONNECT_TIMEOUT_SECONDS } from "../config.ts";
import { InvalidInputError, UnavailableError } from "../domain/errors.ts";
import { type DatabaseLabel, diagnosePostgres, labelOf, unavailable } from "./unavailable.ts";
import { batched } from "../domain/batches.ts";
import { PoolGate } from "./pool_gate.ts";
import { type Deadlines, deadlines } from "../domain/deadlines.ts";
import { msg } from "../domain/messages.ts";

type Sql = postgres.Sql<Record<string, never>>;
type Runner = Pick<Sql, "unsafe">;
type Pending = { cancel(): void; state?: unknown };

/** Arbitrary but fixed key of the advisory lock held while migrating. */
const MIGRATION_LOCK_KEY = 7_311_994_024;

const CONSTRAINT_CODES: Record<string, ConstraintViolation["kind"]> = {
  "23505": "unique",
  "23514": "check",
  "23503": "foreign_key",
  "23502": "not_null",
};

/**
 * Rows a stream's cursor fetches per round trip: few enough that a batch is
 * used up before V8's young generation (2 MB with the program's flags) fills,
 * so that rows die young instead of being copied into the old generation
 * (1,000 rows per batch: ~400 MB promoted and 1.2–1.6 s of scavenges over a
 * million events; 250: ~6 MB and ~0.2 s). Round trips are hidden by reading
 * one batch ahead (see streamRows).
 */
const CURSOR_ROWS = 250;
/**
 * How statements with parameters run: prepared once per connection and
 * statement text, then only bound and executed (postgres.js's `unsafe()`
 * parses and describes every statement again by default, which cost
 * `serve` a fifth of its time per request). Statements without parameters
 * use the simple protocol, as before. The connection's `plan_cache_mode`
 * is `auto`: PostgreSQL plans a prepared statement for its values at its
 * first five runs, then may keep one generic plan for every value when its
 * estimate is no worse.
 */
const PREPARED = { prepare: true } as const;
/**
 * How a statement with {@link QueryOptions.customPlan} runs: unnamed, parsed
 * and described again at every run (one round trip more), and planned for
 * its values every time (PostgreSQL keeps no plan of an unnamed statement
 * across runs: each is a custom plan under `plan_cache_mode = auto`).
 */
const UNNAMED = { prepare: false } as const;
/**
 * Most connections a process opens (postgres.js's default), and operations
 * let into the pool at once (see {@link PoolGate}).
 */
const POOL_SIZE = 10;
/**
 * Statements let into the pool at once per connection: postgres.js sends a
 * statement on a busy connection (pipelining, never behind a cursor) when
 * none is idle, so that PostgreSQL has the next one as soon as it answers
 * the last, instead of it waiting at the gate for a connection to come
 * back: a fifth less of PostgreSQL's CPU per request of `serve` under load
 * (docs/performance.md, fifth pass). The cost is
 * that such a statement waits behind the one before it on its connection
 * (the request's time limit still bounds it), and only an operation that
 * finds every place taken waits for `DATABASE_CONNECT_TIMEOUT` (exit 7).
 */
const PIPELINE = 4;
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

/** The largest integer JavaScript reads exactly (`Number.MAX_SAFE_INTEGER`). */
const SAFE_INTEGER = "9007199254740991";

/**
 * The JSON text of a column as the program prints what it reads (see
 * {@link SqlFeatures.jsonValue}): `to_json` escapes text as `JSON.stringify`
 * does (quotes, backslashes, `\b \f \n \r \t`, other control characters as
 * `\u00xx`; PostgreSQL stores no NUL and no lone surrogate), integers and
 * booleans print as they read. An instant is exact in the years 1000 to
 * 9999, printed as {@link instantText} reads it (milliseconds truncated, as
 * `to_char`'s `MS` does); an amount, within JavaScript's safe integers.
 */
function jsonValue(expression: string, kind: JsonKind, nullable: boolean): JsonValueSql {
  const e = expression;
  const orNull = (text: string) => nullable ? `CASE WHEN ${e} IS NULL THEN 'null' ELSE ${text} END` : text;
  const exact = (condition: string) => nullable ? `(${e} IS NULL OR ${condition})` : condition;
  switch (kind) {
    case "integer":
    case "boolean":
      return { text: nullable ? `coalesce(${e}::text, 'null')` : `${e}::text` };
    case "text":
      return { text: nullable ? `coalesce(to_json(${e})::text, 'null')` : `to_json(${e})::text` };
    case "timestamp":
      return {
        text: orNull(`'"' || to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`),
        exact: exact(`${e} >= '1000-01-01 00:00:00+00' AND ${e} < '10000-01-01 00:00:00+00'`),
      };
    case "cents":
      return {
        text: orNull(
          `'"' || CASE WHEN ${e} < 0 THEN '-' ELSE '' END || (abs(${e}) / 100)::text || '.' ||
            lpad((abs(${e}) % 100)::text, 2, '0') || '"'`,
        ),
        exact: exact(`${e} BETWEEN -${SAFE_INTEGER} AND ${SAFE_INTEGER}`),
      };
  }
}

/** PostgreSQL's answers to {@link SqlFeatures}. */
export const POSTGRES_FEATURES: SqlFeatures = {
  rowLock: (mode) => (mode === "update" ? " FOR UPDATE" : " FOR SHARE"),
  lockTables: (tables, mode) =>
    tables.length === 0
      ? undefined
      : `LOCK TABLE ${tables.join(", ")} IN ${mode === "exclusive" ? "ACCESS EXCLUSIVE" : "SHARE ROW EXCLUSIVE"} MODE`,
  containsText,
  jsonValue,
  sessionStateFunction: true,
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

/**
 * A timestamp's text as PostgreSQL prints it (`2027-06-04 18:00:00+00`,
 * `2027-06-04 18:00:00.125+00`) as the ISO 8601 instant JavaScript prints
 * (`2027-06-04T18:00:00.125Z`): what `new Date(text).toISOString()` gives,
 * without a `Date`. Instants of the years 1000 to 9999 in UTC (the session's
 * zone, see {@link PostgresDatabase}) take the fast path: their characters
 * are copied into the result in one string, with no intermediate slices (a
 * page of rows reads two instants a row). Anything else (another offset,
 * `date`, `timestamp` without a zone, years before 1000 or after 9999, `BC`,
 * `infinity`) goes through `Date` exactly as before.
 */
export function instantText(text: string): string {
  const length = text.length;
  const first = text.charCodeAt(0);
  if (
    length >= 22 && length <= 29 && first >= 49 && first <= 57 && text.charCodeAt(10) === 32 &&
    text.charCodeAt(length - 3) === 43 && text.charCodeAt(length - 2) === 48 && text.charCodeAt(length - 1) === 48 &&
    // No fraction, or a fraction of 1 to 6 digits after the seconds.
    (length === 22 || (length >= 24 && text.charCodeAt(19) === 46))
  ) {
    // Milliseconds are the fraction's first 3 digits, truncated as Date does, padded with zeros.
    return String.fromCharCode(
      first,
      text.charCodeAt(1),
      text.charCodeAt(2),
      text.charCodeAt(3),
      text.charCodeAt(4),
      text.charCodeAt(5),
      text.charCodeAt(6),
      text.charCodeAt(7),
      text.charCodeAt(8),
      text.charCodeAt(9),
      84, // T
      text.charCodeAt(11),
      text.charCodeAt(12),
      text.charCodeAt(13),
      text.charCodeAt(14),
      text.charCodeAt(15),
      text.charCodeAt(16),
      text.charCodeAt(17),
      text.charCodeAt(18),
      46, // .
      length >= 24 ? text.charCodeAt(20) : 48,
      length >= 25 ? text.charCodeAt(21) : 48,
      length >= 26 ? text.charCodeAt(22) : 48,
      90, // Z
    );
  }
  return new Date(text).toISOString();
}

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
  /** Who may use the pool now; the others wait, each until its own deadline. */
  gate: PoolGate;
  /** `DATABASE_CONNECT_TIMEOUT` in milliseconds: the longest an operation waits for a connection. */
  connectMs: number;
  /** Connections being reserved (not yet had). */
  reserving: number;
  /** The operations' deadlines for a connection, swept by one timer (see {@link untilStarted}). */
  deadlines: Deadlines;
}

/**
 * The exit-7 error of an operation that got no connection before its
 * deadline: the server does not answer (an operation of the pool is still
 * waiting for its connection), or every connection is busy.
 */
function noConnection(tracker: Tracker): UnavailableError {
  const seconds = tracker.connectMs / 1000;
  const unreachable = tracker.reserving > 0 || [...tracker.pending].some((query) => query.state == null);
  return unavailable(
    tracker.label,
    unreachable
      ? {
        problem: "errors.db.cannot_connect",
        cause: msg("errors.db.connect_timeout", { seconds }),
        connectionLost: false,
      }
      : {
        problem: "errors.db.busy",
        cause: msg("errors.db.pool_busy", { seconds }),
        connectionLost: false,
      },
    undefined,
  );
}

/** How often the operations waiting for a connection are checked against their deadline. */
const DEADLINE_SWEEP_MS = 100;

/** When an operation started now must have its connection. */
function deadlineOf(tracker: Tracker): number {
  return performance.now() + tracker.connectMs;
}

/**
 * Settles as `work` does, or rejects with {@link noConnection} at `deadline`
 * if `query` has not reached a connection by then (postgres.js sets its
 * `state` when it writes it to a connected socket). A query that is running
 * by then is waited for: the request's own time limit bounds it. The
 * deadline is one of the tracker's, swept by one timer (within
 * {@link DEADLINE_SWEEP_MS}), not a Node timer per statement.
 */
function untilStarted<T>(work: Promise<T>, query: Pending, deadline: number, tracker: Tracker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const unwatch = tracker.deadlines.watch(deadline, () => {
      if (query.state == null) reject(noConnection(tracker));
    });
    work.then((value) => {
      unwatch();
      resolve(value);
    }, (error) => {
      unwatch();
      reject(error);
    });
  });
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
  // 22021: a NUL in a text parameter. The server refuses it naming the field; this is the net under every other path.
  if (e?.code === "22021") return new InvalidInputError(msg("errors.db.nul"));
  const diagnosis = diagnosePostgres(error, label);
  if (!diagnosis) return error;
  const mapped = unavailable(label, diagnosis, error);
  if (diagnosis.connectionLost) lostConnections.add(mapped);
  return mapped;
}

/** Notes a failure that ended its connection; returns the error as mapped. */
function failed(tracker: Tracker, error: unknown): unknown {
  const mapped = mapError(error, tracker.label);
  if (isLost(mapped)) tracker.lost = true;
  return mapped;
}

/**
 * Runs one statement, tracked so that {@link PostgresDatabase.abort} can
 * cancel it. On the pool (`pooled`), it first waits for its place at the
 * gate, and gets a connection within `DATABASE_CONNECT_TIMEOUT` or is
 * given up (exit 7); a statement given up keeps its place until postgres.js
 * settles it, so that what waits in postgres.js's own queue stays bounded.
 */
async function track<T>(tracker: Tracker, pooled: boolean, start: () => Promise<T> & Pending): Promise<T> {
  tracker.count();
  const deadline = deadlineOf(tracker);
  const leave = pooled ? await tracker.gate.enter(deadline, () => noConnection(tracker)) : undefined;
  let query: (Promise<T> & Pending) | undefined;
  try {
    query = start();
  } catch (error) {
    leave?.();
    throw failed(tracker, error);
  }
  const started = query;
  tracker.pending.add(started);
  const settled = started.then(() => {}, () => {});
  settled.then(() => {
    tracker.pending.delete(started);
    leave?.();
  });
  try {
    return await (pooled ? untilStarted(started, started, deadline, tracker) : started);
  } catch (error) {
    throw failed(tracker, error);
  }
}

/**
 * The rows of a result without its holes. postgres.js 3.4.9 does not reset
 * its row counter when a statement fails after sending rows (a cancelled or
 * timed-out query, an error in a row's expression): the next statement on
 * that connection writes its rows after as many empty slots, in a result
 * (or a cursor's first batch) that looks complete (porsager/postgres#1181).
 */
function presentRows(rows: readonly postgres.Row[]): postgres.Row[] {
  const present: postgres.Row[] = [];
  for (const row of rows) {
    if (row !== undefined) present.push(row);
  }
  return present;
}

type CursorQuery = Promise<unknown> & Pending;
type BatchCursor = {
  cursor(rows: number, take: (rows: postgres.Row[]) => unknown): CursorQuery;
};

/**
 * The rows of a query through a postgres.js cursor, {@link CURSOR_ROWS} per
 * round trip. The driver hands each batch to a callback and asks for the
 * next one at once unless a batch is already waiting, so the server reads
 * and sends a batch while the previous one's rows are used (at most two
 * batches wait; the driver's own async iterator, which kept every row alive
 * into V8's old generation, is not used). Ended early, the cursor is closed:
 * at once when the driver waits for the loop, else when its batch on the way
 * arrives (the callback answers `close`, postgres.js's `sql.CLOSE`: Close and
 * Sync); the connection is back in the pool when the stream's `return()`
 * resolves. On the pool (`pooled`), the stream waits for its place at the
 * gate and for a connection as {@link track} does: a stream that has no
 * connection by its deadline is given up (exit 7) and keeps its place until
 * postgres.js settles it (closed at its first batch, if it ever starts).
 */
async function* streamRows<T>(
  runner: Runner,
  tracker: Tracker,
  pooled: boolean,
  statement: { sql: string; params: readonly SqlValue[]; close: unknown; options: StreamOptions },
): AsyncGenerator<T[], void, undefined> {
  if (withinOneBatch(statement.options)) {
    // No more than a batch: one plain query (Bind, Execute and Sync at once).
    const rows = presentRows(
      await track(tracker, pooled, () => unsafe(runner, statement.sql, statement.params, statement.options)),
    );
    if (rows.length > 0) yield rows as T[];
    return;
  }
  tracker.count();
  const deadline = deadlineOf(tracker);
  const leave = pooled ? await tracker.gate.enter(deadline, () => noConnection(tracker)) : () => {};
  const batches: postgres.Row[][] = [];
  /** The loop waits for a batch or the end. */
  let wake: (() => void) | undefined;
  /** The driver waits for the loop to take a batch; called with `close` to end the query. */
  let resume: ((answer?: unknown) => void) | undefined;
  let finished = false;
  let closing = false;
  let failure: unknown;
  /** Set when the stream had no connection by its deadline. */
  let givenUp: unknown;
  const signal = () => {
    const awake = wake;
    wake = undefined;
    awake?.();
  };
  let started: Pending;
  let query: CursorQuery;
  try {
    const pending = unsafe(runner, statement.sql, statement.params, statement.options);
    started = pending as unknown as Pending;
    query = (pending as unknown as BatchCursor).cursor(CURSOR_ROWS, (rows) => {
      if (closing) return statement.close;
      batches.push(rows);
      signal();
      return batches.length < 2 ? undefined : new Promise((resolve) => resume = resolve);
    });
  } catch (error) {
    leave();
    throw failed(tracker, error);
  }
  tracker.pending.add(query);
  const ended = query.then(() => {
    finished = true;
    signal();
  }, (error) => {
    failure = failed(tracker, error);
    finished = true;
    signal();
  });
  // Registered first: the place and the tracking end as soon as the query does.
  ended.then(() => {
    tracker.pending.delete(query);
    leave();
  });
  const unwatch = pooled
    ? tracker.deadlines.watch(deadline, () => {
      if (started.state == null && !finished && batches.length === 0) {
        givenUp = noConnection(tracker);
        closing = true;
        signal();
      }
    })
    : () => {};
  try {
    for (;;) {
      if (givenUp !== undefined) throw givenUp;
      const rows = batches.shift();
      if (rows === undefined) {
        if (!finished) {
          await new Promise<void>((resolve) => wake = resolve);
          continue;
        }
        if (failure !== undefined) throw failure;
        return;
      }
      unwatch();
      const next = resume;
      resume = undefined;
      next?.();
      const present = presentRows(rows); // without its holes: see presentRows
      if (present.length > 0) yield present as T[];
    }
  } finally {
    unwatch();
    // Given up: closed whenever it reaches a connection, without waiting here.
    if (!finished && givenUp === undefined) {
      closing = true;
      resume?.(statement.close);
      await ended;
    }
  }
}

/** Whether a stream's rows are known to fit in one cursor batch (read with one plain query). */
function withinOneBatch(options: StreamOptions): boolean {
  return options.rows !== undefined && options.rows <= CURSOR_ROWS;
}

/**
 * `sql` with its parameters written in as literals, for a statement that
 * takes none (`COPY`): each `$n` outside quotes becomes its value as a
 * quoted literal of unknown type, which PostgreSQL types from its place as
 * it types a parameter (`E'…'`: quotes and backslashes escaped whatever
 * `standard_conforming_strings` says), `NULL` for null.
 */
export function inlineParams(sql: string, params: readonly SqlValue[]): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)/g, (token, index?: string) => {
    if (index === undefined) return token;
    const value = params[Number(index) - 1];
    // i18n-ignore: a program error (a statement and its own values), never from what a user typed
    if (value === undefined) throw new Error(`no value for $${index}`);
    if (value === null) return "NULL";
    // i18n-ignore: a program error (a statement and its own values), never from what a user typed
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`$${index} is not a finite number`);
    return `E'${String(value).replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
  });
}

/** A connection of its own from the pool, and the function that gives back its place at the gate. */
type Reserve = () => Promise<{ reserved: postgres.ReservedSql<Record<string, never>>; leave(): void }>;

/** Bytes of a binary `COPY`'s header: its signature, flags and header extension length (0). */
const COPY_HEADER_BYTES = 19;

/** What postgres.js resolves a `COPY … TO STDOUT` with: a Node readable stream of its rows' bytes. */
type CopyStream = {
  read(): Uint8Array | null;
  on(event: string, listener: (error?: unknown) => void): unknown;
  resume(): unknown;
  off(event: string, listener: (error?: unknown) => void): unknown;
  /** postgres.js's: resumes the connection's socket. */
  _read(): void;
};
type CopyQuery = Promise<CopyStream> & Pending & {
  readable(): Promise<unknown>;
  resolve(value: unknown): void;
  active: boolean;
};

/**
 * Reads what is left of a `COPY` and drops it, after asking the server to
 * end it (a cancel request): the connection is free again once the stream
 * closes, which the promise waits for. postgres.js takes a query that has
 * given its stream for one that is no longer running and would only note
 * the cancel: it is marked running again so that the request is sent.
 */
function dropCopy(query: CopyQuery, stream: CopyStream, readable: () => void, closed: Promise<void>): Promise<void> {
  query.active = true;
  try {
    query.cancel();
  } catch {
    // Already settled.
  }
  // A stream with a 'readable' listener never flows: it gives data only to read().
  stream.off("readable", readable);
  stream.on("data", () => {});
  stream.resume();
  return closed;
}

/**
 * The rows of a `raw` stream (see {@link StreamOptions.raw}; one text
 * column: the JSON lists) through `COPY (…) TO STDOUT (FORMAT binary)`: the
 * server sends its rows without waiting for the client to ask for each
 * batch (a cursor's round trips left it idle part of the time), as fast as
 * the program takes them (postgres.js pauses the socket while the stream's
 * buffer is full: memory stays bounded). Each row is the bytes of its one
 * column, a view on the chunk it came in; a batch is what one chunk held.
 * The parameters are written into the statement ({@link inlineParams}). An
 * error midway (the server's, or a lost connection) ends the rows with it,
 * as a cursor's does. Ended early, the statement is cancelled and what the
 * server had already sent is dropped; the connection is back in the pool
 * when the stream's `return()` resolves. On the pool, it waits for its place
 * at the gate and for a connection as {@link track} does.
 */
async function* copyRows(
  runner: Runner,
  tracker: Tracker,
  reserve: Reserve | undefined,
  sql: string,
  params: readonly SqlValue[],
): AsyncGenerator<[Uint8Array][], void, undefined> {
  // On the pool, a connection of its own: nothing else may be queued behind a COPY that waits for the program.
  const own = reserve ? await reserve() : undefined;
  const on = own ? own.reserved as unknown as Runner : runner;
  if (!own) tracker.count();
  let ready = () => {};
  const settled = new Promise<void>((resolve) => ready = resolve);
  let query: CopyQuery;
  let readable: Promise<CopyStream>;
  try {
    query = on.unsafe(`COPY (${inlineParams(sql, params)}) TO STDOUT (FORMAT binary)`) as unknown as CopyQuery;
    // Sets the simple protocol and streaming; the query itself resolves with the stream.
    readable = query.readable() as Promise<CopyStream>;
    readable.catch(() => {});
    // postgres.js resolves the query again with its result at ReadyForQuery: the connection is free from then on.
    const resolve = query.resolve;
    query.resolve = (value: unknown) => {
      resolve(value);
      if (!(value instanceof Object && "read" in value)) ready();
    };
  } catch (error) {
    own?.reserved.release();
    own?.leave();
    throw failed(tracker, error);
  }
  tracker.pending.add(query);
  let lost = false;
  const done = () => {
    tracker.pending.delete(query);
    // A dead connection stays out of the pool (close() still ends it).
    if (!lost) own?.reserved.release();
    own?.leave();
  };
  let stream: CopyStream;
  try {
    stream = await readable!;
  } catch (error) {
    const mapped = failed(tracker, error);
    lost = isLost(mapped);
    done();
    throw mapped;
  }
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: unknown;
  const signal = () => {
    const awake = wake;
    wake = undefined;
    awake?.();
  };
  stream.on("readable", signal);
  stream.on("end", () => {
    ended = true;
    signal();
  });
  stream.on("error", (error) => {
    failure ??= error;
    signal();
  });
  const closed = new Promise<void>((resolve) => stream.on("close", () => resolve()));
  try {
    /** The start of a row that the previous chunk cut. */
    let carry: Uint8Array | undefined;
    let offset = COPY_HEADER_BYTES;
    for (;;) {
      let chunk = stream.read();
      if (chunk === null) {
        if (failure !== undefined) {
          const mapped = failed(tracker, failure);
          lost = isLost(mapped);
          throw mapped;
        }
        if (ended) return;
        await new Promise<void>((resolve) => wake = resolve);
        continue;
      }
      if (carry !== undefined) {
        const joined = new Uint8Array(carry.length + chunk.length);
        joined.set(carry);
        joined.set(chunk, carry.length);
        chunk = joined;
        carry = undefined;
      }
      const length = chunk.length;
      if (offset >= length) {
        offset -= length; // (the header, cut)
        continue;
      }
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const rows: [Uint8Array][] = [];
      // Each row: its number of columns (16 bits; -1 ends the data), each column's length (32 bits) and bytes.
      while (offset + 6 <= length && view.getInt16(offset) !== -1) {
        const size = view.getInt32(offset + 2);
        if (offset + 6 + size > length) break;
        rows.push([chunk.subarray(offset + 6, offset + 6 + size)]);
        offset += 6 + size;
      }
      if (offset < length) carry = chunk.subarray(offset);
      offset = 0;
      if (rows.length > 0) yield rows;
    }
  } finally {
    if (!ended && failure === undefined) await dropCopy(query, stream, signal, closed);
    else await closed;
    // postgres.js pauses the socket when the stream's buffer is full and resumes it when the stream asks for more
    // (its `_read`), which an ended stream never does: the connection would hear nothing more. Resumed here.
    stream._read();
    if (failure === undefined) await settled;
    done();
  }
}

/**
 * One statement on `runner`, prepared (see {@link PREPARED}) or, with
 * `customPlan`, unnamed (see {@link UNNAMED}); it runs when awaited. `raw`:
 * rows as arrays of each column's bytes as the server sent them
 * (postgres.js's `raw()`: no string is decoded, no parser runs).
 */
function unsafe(runner: Runner, sql: string, params: readonly SqlValue[], options: StreamOptions = {}) {
  const query = runner.unsafe(
    sql,
    params as postgres.ParameterOrJSON<never>[],
    options.customPlan ? UNNAMED : PREPARED,
  );
  return (options.raw ? query.raw() : query) as unknown as
    & Promise<postgres.RowList<postgres.Row[]>>
    & Pending;
}

/**
 * Statements on `runner`: the pool (`pooled`: through the gate) or one
 * reserved connection; `close` is postgres.js's `sql.CLOSE` (what ends a
 * cursor early).
 */
function makeQueryable(
  runner: Runner,
  tracker: Tracker,
  { pooled, close, reserve }: { pooled: boolean; close: unknown; reserve?: Reserve },
): Queryable {
  async function query<T>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions): Promise<T[]> {
    return presentRows(await track(tracker, pooled, () => unsafe(runner, sql, params, options))) as T[];
  }
  async function execute(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions): Promise<ExecResult> {
    const result = await track(tracker, pooled, () => unsafe(runner, sql, params, options));
    return { changes: result.count ?? 0 };
  }
  return {
    dialect: "postgres",
    sql: POSTGRES_FEATURES,
    query,
    one: async <T = Row>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions) =>
      (await query<T>(sql, params, options))[0],
    execute,
    // Batch by batch as they arrive (see src/domain/batches.ts), or row by row.
    stream: <T = Row>(sql: string, params: readonly SqlValue[] = [], options: StreamOptions = {}) =>
      batched<T>(() =>
        options.raw && options.oneText && !withinOneBatch(options)
          ? copyRows(runner, tracker, reserve, sql, params) as AsyncGenerator<T[], void, undefined>
          : streamRows<T>(runner, tracker, pooled, { sql, params, close, options })
      ),
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
      // Connections are opened as needed: a command uses one or two, `serve`
      // up to this many (with 4, 32 concurrent requests queued behind the
      // pool: ~10 % more CPU per request than with 10).
      pass: () => password,
      max: POOL_SIZE,
      onnotice: () => {},
      connect_timeout: connectTimeoutSeconds,
      // No idle timeout: postgres.js would set a Node timer each time a
      // connection goes idle and clear it when it is used again (twice per
      // request of `serve`, ~5 µs). A command closes its pool when it ends;
      // `serve` keeps its connections (at most POOL_SIZE), each still
      // replaced after postgres.js's max_lifetime (30 to 60 minutes).
      idle_timeout: 0,
      // Between failed connection attempts postgres.js waits longer and longer
      // (up to 20 s); at most 2 s here, so that the pool is back soon after
      // the server (the gate bounds how often it is tried).
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
      connection: {
        // Instants are printed in UTC and ISO order, whatever the server's
        // defaults: the form instantText() rearranges without a Date (no
        // statement of ours depends on the session's zone).
        TimeZone: "UTC",
        DateStyle: "ISO, MDY",
        // PostgreSQL's default, whatever the server's: a prepared statement
        // (see PREPARED) may keep a generic plan after five runs when its
        // estimate is no worse, and an unnamed one (QueryOptions.customPlan:
        // the lists whose conditions bind a value) is planned for its values
        // at every run, which `force_generic_plan` would prevent (PostgreSQL 12+).
        plan_cache_mode: "auto",
      },
      types: {
        // int8 (ids, counts, cents) as JS numbers: every value we store is a
        // safe integer, checked before it is written.
        bigint: {
          to: 20,
          from: [20],
          serialize: (x: number) => String(x),
          parse: (x: string) => Number(x),
        },
        // Dates and timestamps as the ISO 8601 text of their instant (the
        // driver would build a Date, which rows then turned into the same
        // text): rows come out of the driver as they are returned.
        date: {
          to: 1184,
          from: [1082, 1114, 1184],
          serialize: (x: Date | string) => (x instanceof Date ? x : new Date(x)).toISOString(),
          parse: instantText,
        },
      },
    }) as unknown as Sql;
    const waits = deadlines(DEADLINE_SWEEP_MS);
    this.#tracker = {
      label: options.label ?? labelOf({ kind: "postgres", url }, connectTimeoutSeconds),
      count: () => this.#count++,
      pending: new Set(),
      lost: false,
      gate: new PoolGate(POOL_SIZE * PIPELINE, waits),
      connectMs: connectTimeoutSeconds * 1000,
      reserving: 0,
      deadlines: waits,
    };
    this.#self = makeQueryable(this.#sql, this.#tracker, {
      pooled: true,
      close: this.#sql.CLOSE,
      reserve: () => this.#reserve(),
    });
  }

  get statementCount(): number {
    return this.#count;
  }

  poolStats(): PoolStats {
    const { gate } = this.#tracker;
    // Connections: statements beyond one per connection wait on a busy one (PIPELINE), counted as waiting.
    const inUse = Math.min(gate.inUse, POOL_SIZE);
    return { size: POOL_SIZE, inUse, idle: POOL_SIZE - inUse, waiting: gate.waiting + gate.inUse - inUse };
  }

  query<T = Row>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]> {
    return this.#self.query<T>(sql, params, options);
  }

  one<T = Row>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T | undefined> {
    return this.#self.one<T>(sql, params, options);
  }

  execute(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<ExecResult> {
    return this.#self.execute(sql, params, options);
  }

  stream<T = Row>(sql: string, params?: readonly SqlValue[], options?: StreamOptions): AsyncIterable<T> {
    return this.#self.stream<T>(sql, params, options);
  }

  insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    return this.#self.insertMany(table, columns, rows);
  }

  /**
   * A connection of its own, within `DATABASE_CONNECT_TIMEOUT` (exit 7
   * otherwise), and the function that gives back its place at the gate. A
   * connection that comes after its wait was given up is released at once.
   */
  async #reserve(): Promise<{ reserved: postgres.ReservedSql<Record<string, never>>; leave(): void }> {
    const tracker = this.#tracker;
    const deadline = deadlineOf(tracker);
    const leave = await tracker.gate.enter(deadline, () => noConnection(tracker));
    tracker.reserving++;
    const reserving = this.#sql.reserve();
    reserving.then(() => tracker.reserving--, () => tracker.reserving--);
    let unwatch = () => {};
    const late = new Promise<never>((_, reject) => {
      unwatch = tracker.deadlines.watch(deadline, () => reject(noConnection(tracker)));
    });
    try {
      const reserved = await Promise.race([reserving, late]);
      return { reserved, leave };
    } catch (error) {
      if (error instanceof UnavailableError && !isLost(error)) {
        reserving.then((reserved) => reserved.release(), () => {}).finally(leave);
        throw error;
      }
      leave();
      throw failed(tracker, error);
    } finally {
      unwatch();
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
    const { reserved, leave } = await this.#reserve();
    const tx = makeQueryable(reserved as unknown as Runner, this.#tracker, { pooled: false, close: this.#sql.CLOSE });
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
      leave();
    }
  }

  snapshot<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#onReserved("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  async withMigrationLock<T>(fn: (conn: MigrationConnection) => Promise<T>): Promise<T> {
    const { reserved, leave } = await this.#reserve();
    const base = makeQueryable(reserved as unknown as Runner, this.#tracker, { pooled: false, close: this.#sql.CLOSE });
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
      leave();
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
    this.#tracker.gate.open();
    await this.#sql.end({ timeout: 1 });
  }

  async close(): Promise<void> {
    // Statements still running get 5 s to finish; after a lost connection
    // there is nothing to wait for (postgres.js would wait for its dead query).
    this.#tracker.gate.open();
    await this.#sql.end({ timeout: this.#tracker.lost ? 0 : 5 });
  }
}
