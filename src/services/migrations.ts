/**
 * Migration use cases behind `epic-events migrate`, on the migrations this
 * program embeds (`migrations/mod.ts`).
 * @module
 */
import { MIGRATIONS } from "../../migrations/mod.ts";
import type { Database } from "../db/database.ts";
import {
  migrateDown,
  type MigrateOptions,
  migrateUp,
  type MigrationState,
  migrationStatus,
  type PlannedMigration,
} from "../db/migrator.ts";
import { ConflictError } from "../domain/errors.ts";
import { msg } from "../domain/messages.ts";

export type { MigrationState, PlannedMigration };

/** What `migrate up` and `migrate down` are told: a target and whether to only plan. */
export type MigrationRun = Omit<MigrateOptions, "migrations">;

/** Status of every migration; refuses (exit 6) when an applied one was edited. */
export async function getMigrationStatus(db: Database): Promise<{ states: MigrationState[]; problem?: ConflictError }> {
  const states = await migrationStatus(db, MIGRATIONS);
  const modified = states.find((s) => s.state === "modified");
  return {
    states,
    problem: modified
      ? new ConflictError(msg("errors.migration.changed", { migration: `${modified.version}_${modified.name}` }))
      : undefined,
  };
}

/** Applies pending migrations (or plans them with `dryRun`). */
export function applyMigrations(db: Database, options: MigrationRun): Promise<PlannedMigration[]> {
  return migrateUp(db, { ...options, migrations: MIGRATIONS });
}

/** Reverts migrations (or plans it with `dryRun`). */
export function revertMigrations(db: Database, options: MigrationRun): Promise<PlannedMigration[]> {
  return migrateDown(db, { ...options, migrations: MIGRATIONS });
}

/** What reverting a plan destroys, read from its statements. */
export interface RevertDamage {
  /** `0004_session_identity`, … newest first. */
  migrations: string[];
  /** Tables dropped, with all their rows. */
  tables: string[];
  /** Columns dropped, as `table.column`. */
  columns: string[];
}

/** The tables and columns that running `plan` (a `down` plan) drops. */
export function describeRevert(plan: readonly PlannedMigration[]): RevertDamage {
  const damage: RevertDamage = { migrations: [], tables: [], columns: [] };
  for (const m of plan) {
    damage.migrations.push(`${m.version}_${m.name}`);
    for (const statement of m.statements) {
      const table = /^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?"?(\w+)"?/i.exec(statement);
      if (table) damage.tables.push(table[1]);
      const column = /^\s*ALTER\s+TABLE\s+"?(\w+)"?\s+DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?"?(\w+)"?/i.exec(
        statement,
      );
      if (column) damage.columns.push(`${column[1]}.${column[2]}`);
    }
  }
  return damage;
}
