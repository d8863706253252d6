/**
 * The built-in migration runner: status, up, down, dry runs, checksums of
 * applied migrations, a lock against concurrent deploys, one transaction per
 * migration. Every function is given the migrations the program knows (the
 * program passes `MIGRATIONS` of `migrations/mod.ts`; tests pass their own):
 * `src/db` never imports `migrations/`, which imports `migration.ts` from here.
 * @module
 */
import { COLUMN_TYPES, type Migration } from "./migration.ts";
import { AppError, ConflictError, InvalidInputError, UnavailableError } from "../domain/errors.ts";
import type { Database, Dialect, MigrationConnection, Queryable } from "./database.ts";
import { msg } from "../domain/messages.ts";

/** State of one migration in a database. */
export interface MigrationState {
  version: string;
  name: string;
  /** `applied`, `pending`, or `modified` (applied, but its checksum differs). */
  state: "applied" | "pending" | "modified";
  applied_at: string | null;
  duration_ms: number | null;
  checksum: string;
}

/** One migration of a plan (what `up`/`down` ran or would run). */
export interface PlannedMigration {
  version: string;
  name: string;
  direction: "up" | "down";
  statements: string[];
  duration_ms?: number;
}

interface AppliedRow {
  version: string;
  name: string;
  checksum: string;
  applied_at: string;
  duration_ms: number;
}

/** Statements of a migration for a dialect. */
export function statementsOf(migration: Migration, dialect: Dialect, direction: "up" | "down"): string[] {
  return migration[direction](dialect, COLUMN_TYPES[dialect]);
}

/** SHA-256 over the `up` statements of the dialect, in hex (Web Crypto: no `node:crypto` to load at start). */
export async function checksumOf(migration: Migration, dialect: Dialect): Promise<string> {
  const text = new TextEncoder().encode(statementsOf(migration, dialect, "up").join("\n;\n"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", text));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function label(m: { version: string; name: string }): string {
  return `${m.version}_${m.name}`;
}

function createTableSql(dialect: Dialect): string {
  const timestamp = COLUMN_TYPES[dialect].timestamp;
  return `CREATE TABLE IF NOT EXISTS schema_migrations (
  version VARCHAR(20) PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  checksum CHAR(64) NOT NULL,
  applied_at ${timestamp} NOT NULL,
  duration_ms INTEGER NOT NULL
)`;
}

/** Whether a driver error says the table does not exist (SQLite or PostgreSQL 42P01). */
function isMissingTable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === "42P01" || /no such table/i.test(e?.message ?? "");
}

async function readApplied(conn: Queryable): Promise<Map<string, AppliedRow>> {
  let rows: AppliedRow[];
  try {
    rows = await conn.query<AppliedRow>(
      "SELECT version, name, checksum, applied_at, duration_ms FROM schema_migrations ORDER BY version",
    );
  } catch (error) {
    if (isMissingTable(error)) return new Map(); // no schema_migrations table yet: nothing applied
    throw error;
  }
  return new Map(rows.map((r) => [r.version, r]));
}

async function verifyChecksums(
  applied: Map<string, AppliedRow>,
  dialect: Dialect,
  migrations: readonly Migration[],
): Promise<void> {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied.values()) {
    const migration = known.get(row.version);
    if (!migration) {
      throw new ConflictError(msg("errors.migration.unknown_applied", { migration: label(row) }));
    }
    if (await checksumOf(migration, dialect) !== row.checksum) {
      throw new ConflictError(msg("errors.migration.changed_refuse", { migration: label(migration) }));
    }
  }
}

/** Status of every known migration (and checks of applied ones). */
export async function migrationStatus(
  db: Database,
  migrations: readonly Migration[],
): Promise<MigrationState[]> {
  const applied = await readApplied(db);
  return await Promise.all(migrations.map(async (m) => {
    const row = applied.get(m.version);
    const checksum = await checksumOf(m, db.dialect);
    return {
      version: m.version,
      name: m.name,
      state: row ? (row.checksum === checksum ? "applied" : "modified") : "pending",
      applied_at: row?.applied_at ?? null,
      duration_ms: row?.duration_ms ?? null,
      checksum,
    };
  }));
}

/**
 * Refuses a database that is not exactly at the program's newest migration
 * (pending or edited migrations): every data command calls this first.
 */
export async function assertUpToDate(db: Database, migrations: readonly Migration[]): Promise<void> {
  const applied = await readApplied(db);
  await verifyChecksums(applied, db.dialect, migrations);
  const pending = migrations.filter((m) => !applied.has(m.version));
  if (pending.length > 0) {
    throw new ConflictError(
      msg("errors.migration.pending", { count: pending.length, migrations: pending.map(label).join(", ") }),
    );
  }
}

function checkTarget(to: string | undefined, migrations: readonly Migration[], allowZero: boolean): void {
  if (to === undefined) return;
  if (allowZero && /^0+$/.test(to)) return;
  if (!migrations.some((m) => m.version === to)) {
    throw new InvalidInputError(msg("errors.migration.unknown_target", { version: to }), "to");
  }
}

async function runOne(
  conn: MigrationConnection,
  migration: Migration,
  direction: "up" | "down",
  migrations: readonly Migration[],
): Promise<PlannedMigration | null> {
  const dialect = conn.dialect;
  const statements = statementsOf(migration, dialect, direction);
  return await conn.transaction(async (tx) => {
    // Re-read inside the transaction: a concurrent deploy may have done it.
    const applied = await readApplied(tx);
    await verifyChecksums(applied, dialect, migrations);
    const isApplied = applied.has(migration.version);
    if ((direction === "up") === isApplied) return null;
    const started = performance.now();
    for (const statement of statements) {
      try {
        await tx.execute(statement);
      } catch (error) {
        // A database gone or full is exit 7 (and its connection must not get a ROLLBACK).
        if (error instanceof UnavailableError) throw error;
        throw new AppError(
          "internal",
          msg("errors.migration.failed", { migration: label(migration), direction, why: (error as Error).message }),
          { cause: error },
        );
      }
    }
    const duration = Math.round(performance.now() - started);
    if (direction === "up") {
      await tx.execute(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at, duration_ms) VALUES ($1, $2, $3, $4, $5)",
        [migration.version, migration.name, await checksumOf(migration, dialect), new Date().toISOString(), duration],
      );
    } else {
      await tx.execute("DELETE FROM schema_migrations WHERE version = $1", [migration.version]);
    }
    return { version: migration.version, name: migration.name, direction, statements, duration_ms: duration };
  });
}

/** Options of `migrate up` and `migrate down`. */
export interface MigrateOptions {
  /** up: apply up to and including it; down: revert down to it (it stays applied; "0" reverts all). */
  to?: string;
  /** Return the plan without changing anything. */
  dryRun?: boolean;
  /** The migrations known to the program, in order (`MIGRATIONS`; tests pass their own). */
  migrations: readonly Migration[];
}

/** Applies pending migrations in order, each in its own transaction. */
export async function migrateUp(db: Database, options: MigrateOptions): Promise<PlannedMigration[]> {
  const migrations = options.migrations;
  checkTarget(options.to, migrations, false);
  const wanted = migrations.filter((m) => options.to === undefined || m.version <= options.to);
  if (options.dryRun) {
    const applied = await readApplied(db);
    await verifyChecksums(applied, db.dialect, migrations);
    return wanted.filter((m) => !applied.has(m.version)).map((m) => ({
      version: m.version,
      name: m.name,
      direction: "up" as const,
      statements: statementsOf(m, db.dialect, "up"),
    }));
  }
  return await db.withMigrationLock(async (conn) => {
    await conn.execute(createTableSql(conn.dialect));
    const done: PlannedMigration[] = [];
    for (const migration of wanted) {
      const result = await runOne(conn, migration, "up", migrations);
      if (result) done.push(result);
    }
    return done;
  });
}

/** Reverts the newest applied migration, or every one newer than `to`. */
export async function migrateDown(db: Database, options: MigrateOptions): Promise<PlannedMigration[]> {
  const migrations = options.migrations;
  checkTarget(options.to, migrations, true);
  const plan = async (conn: Queryable) => {
    const applied = await readApplied(conn);
    await verifyChecksums(applied, conn.dialect, migrations);
    const newestFirst = migrations.filter((m) => applied.has(m.version)).reverse();
    return options.to === undefined ? newestFirst.slice(0, 1) : newestFirst.filter((m) => m.version > options.to!);
  };
  if (options.dryRun) {
    return (await plan(db)).map((m) => ({
      version: m.version,
      name: m.name,
      direction: "down" as const,
      statements: statementsOf(m, db.dialect, "down"),
    }));
  }
  return await db.withMigrationLock(async (conn) => {
    const done: PlannedMigration[] = [];
    for (const migration of await plan(conn)) {
      const result = await runOne(conn, migration, "down", migrations);
      if (result) done.push(result);
    }
    return done;
  });
}
