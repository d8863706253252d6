/**
 * PostgreSQL adapter on postgres.js. Loaded only for a postgres URL. The pool
 * is closed by {@link PostgresDatabase.close} so that the process exits promptly.
 * @module
 */
import postgres from "postgres";
import type { Database, ExecResult, MigrationConnection, Queryable, Row, SqlValue } from "./database.ts";
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

function makeQueryable(runner: Runner, tracker: Tracker): Queryable {
  const unsafe = (sql: string, params: readonly SqlValue[]) =>
    runner.unsafe(sql, params as postgres.ParameterOrJSON<never>[]) as unknown as
      & Promise<postgres.RowList<postgres.Row[]>>
      & Pending;
  async function query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const rows = await track(tracker, () => unsafe(sql, params));
    return rows.map((row) => normalizeRow(row as Record<string, unknown>)) as T[];
  }
  return {
    dialect: "postgres",
    query,
    one: async <T = Row>(sql: string, params: readonly SqlValue[] = []) => (await query<T>(sql, params))[0],
    execute: async (sql: string, params: readonly SqlValue[] = []): Promise<ExecResult> => {
      const result = await track(tracker, () => unsafe(sql, params));
      return { changes: result.count ?? 0 };
    },
  };
}

/** A Database on a PostgreSQL server. */
export class PostgresDatabase implements Database {
  readonly dialect = "postgres" as const;
  #sql: Sql;
  #count = 0;
  #self: Queryable;
  #tracker: Tracker;

  constructor(url: string, options: PostgresOptions = {}) {
    const connectTimeoutSeconds = options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
    this.#sql = postgres(url, {
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
