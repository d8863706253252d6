/**
 * SQLite adapter on Deno's built-in `node:sqlite`: foreign keys on, WAL,
 * busy timeout, `BEGIN IMMEDIATE` for every write transaction.
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Database, ExecResult, MigrationConnection, Queryable, Row, SqlValue } from "./database.ts";
import { ConstraintViolation } from "./constraint_error.ts";

type Bindable = string | number | bigint | null;

const BUSY_TIMEOUT_MS = 30_000;

function translate(sql: string): string {
  // `$1` → `?1`: SQLite binds ?NNN to the NNN-th positional value.
  return sql.replace(/\$(\d+)/g, "?$1").replace(/\s+FOR UPDATE\s*$/i, "");
}

function bind(params: readonly SqlValue[]): Bindable[] {
  return params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p));
}

function mapError(error: unknown): unknown {
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

/** A Database on one SQLite file (or `:memory:`). */
export class SqliteDatabase implements Database {
  readonly dialect = "sqlite" as const;
  #db: DatabaseSync;
  #statements = new Map<string, StatementSync>();
  #lock: Promise<void> = Promise.resolve();
  #inTransaction = false;
  #count = 0;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.#db.exec("PRAGMA foreign_keys = ON");
    if (path !== ":memory:") this.#db.exec("PRAGMA journal_mode = WAL");
    this.#db.exec("PRAGMA synchronous = NORMAL");
  }

  get statementCount(): number {
    return this.#count;
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
      throw mapError(error);
    }
  }

  #run(sql: string, params: readonly SqlValue[]): ExecResult {
    this.#count++;
    try {
      const result = this.#prepare(sql).run(...bind(params));
      return { changes: Number(result.changes) };
    } catch (error) {
      throw mapError(error);
    }
  }

  #exec(sql: string): void {
    this.#count++;
    try {
      this.#db.exec(sql);
    } catch (error) {
      throw mapError(error);
    }
  }

  #conn(): Queryable {
    return {
      dialect: "sqlite",
      query: <T = Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(this.#all<T>(sql, params)),
      one: <T = Row>(sql: string, params: readonly SqlValue[] = []) => Promise.resolve(this.#all<T>(sql, params)[0]),
      execute: (sql: string, params: readonly SqlValue[] = []) => Promise.resolve(this.#run(sql, params)),
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

  async #transaction<T>(begin: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#inTransaction = true;
    try {
      this.#exec(begin);
      try {
        const result = await fn(this.#conn());
        this.#exec("COMMIT");
        return result;
      } catch (error) {
        if (this.#db.isTransaction) this.#exec("ROLLBACK");
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
      transaction: (inner) => this.#transaction("BEGIN EXCLUSIVE", inner),
    };
    return fn(conn);
  }

  close(): Promise<void> {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}
