/**
 * PostgreSQL adapter on postgres.js. Loaded only for a postgres URL. The pool
 * is closed by {@link PostgresDatabase.close} so that the process exits promptly.
 * @module
 */
import postgres from "postgres";
import type { Database, ExecResult, MigrationConnection, Queryable, Row, SqlValue } from "./database.ts";
import { normalizeRow } from "./database.ts";
import { ConstraintViolation } from "./constraint_error.ts";

type Sql = postgres.Sql<Record<string, never>>;
type Runner = Pick<Sql, "unsafe">;

/** Arbitrary but fixed key of the advisory lock held while migrating. */
const MIGRATION_LOCK_KEY = 7_311_994_024;

const CONSTRAINT_CODES: Record<string, ConstraintViolation["kind"]> = {
  "23505": "unique",
  "23514": "check",
  "23503": "foreign_key",
  "23502": "not_null",
};

function mapError(error: unknown): unknown {
  const e = error as { code?: string; constraint_name?: string; message?: string };
  const kind = e?.code ? CONSTRAINT_CODES[e.code] : undefined;
  if (!kind) return error;
  return new ConstraintViolation(kind, e.constraint_name ?? e.message ?? "", error);
}

function makeQueryable(runner: Runner, count: () => void): Queryable {
  async function query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    count();
    try {
      const rows = await runner.unsafe(sql, params as postgres.ParameterOrJSON<never>[]);
      return rows.map((row) => normalizeRow(row as Record<string, unknown>)) as T[];
    } catch (error) {
      throw mapError(error);
    }
  }
  return {
    dialect: "postgres",
    query,
    one: async <T = Row>(sql: string, params: readonly SqlValue[] = []) => (await query<T>(sql, params))[0],
    execute: async (sql: string, params: readonly SqlValue[] = []): Promise<ExecResult> => {
      count();
      try {
        const result = await runner.unsafe(sql, params as postgres.ParameterOrJSON<never>[]);
        return { changes: result.count ?? 0 };
      } catch (error) {
        throw mapError(error);
      }
    },
  };
}

/** A Database on a PostgreSQL server. */
export class PostgresDatabase implements Database {
  readonly dialect = "postgres" as const;
  #sql: Sql;
  #count = 0;
  #self: Queryable;

  constructor(url: string) {
    this.#sql = postgres(url, {
      max: 4,
      onnotice: () => {},
      connect_timeout: 10,
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
    this.#self = makeQueryable(this.#sql, () => this.#count++);
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

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.#sql.begin((tx) => fn(makeQueryable(tx as unknown as Runner, () => this.#count++))) as T;
    } catch (error) {
      throw mapError(error);
    }
  }

  async snapshot<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.#sql.begin(
        "ISOLATION LEVEL REPEATABLE READ READ ONLY",
        (tx) => fn(makeQueryable(tx as unknown as Runner, () => this.#count++)),
      ) as T;
    } catch (error) {
      throw mapError(error);
    }
  }

  async withMigrationLock<T>(fn: (conn: MigrationConnection) => Promise<T>): Promise<T> {
    const reserved = await this.#sql.reserve();
    const base = makeQueryable(reserved as unknown as Runner, () => this.#count++);
    const conn: MigrationConnection = {
      ...base,
      transaction: async (inner) => {
        await reserved.unsafe("BEGIN");
        try {
          const result = await inner(base);
          await reserved.unsafe("COMMIT");
          return result;
        } catch (error) {
          await reserved.unsafe("ROLLBACK");
          throw error;
        }
      },
    };
    try {
      await reserved.unsafe("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      try {
        return await fn(conn);
      } finally {
        await reserved.unsafe("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      }
    } finally {
      reserved.release();
    }
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}
