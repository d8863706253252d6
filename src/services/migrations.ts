/**
 * Migration use cases behind `epic-events migrate`.
 * @module
 */
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

export type { MigrationState, PlannedMigration };

/** Status of every migration; refuses (exit 6) when an applied one was edited. */
export async function getMigrationStatus(db: Database): Promise<{ states: MigrationState[]; problem?: ConflictError }> {
  const states = await migrationStatus(db);
  const modified = states.find((s) => s.state === "modified");
  return {
    states,
    problem: modified
      ? new ConflictError(
        `Migration ${modified.version}_${modified.name} was changed after it was applied (checksum mismatch).`,
      )
      : undefined,
  };
}

/** Applies pending migrations (or plans them with `dryRun`). */
export function applyMigrations(db: Database, options: MigrateOptions): Promise<PlannedMigration[]> {
  return migrateUp(db, options);
}

/** Reverts migrations (or plans it with `dryRun`). */
export function revertMigrations(db: Database, options: MigrateOptions): Promise<PlannedMigration[]> {
  return migrateDown(db, options);
}
