/**
 * The port of the operator commands — `init`, `migrate` and `backup` — which
 * run where `DATABASE_URL` is, without a login, and never go through a
 * server (a backup holds every password hash; migrations change the schema
 * under every session). Like the `Crm` port for the CRM commands, it keeps the
 * command line away from the services, repositories and database: commands
 * call {@link Operator}, and its local adapter (`operator_local.ts`) does the
 * rest. Its records are the services' own plain data, re-exported here.
 * @module
 */
import type { UserRecord } from "./crm.ts";
import type * as backup from "../services/backup.ts";
import type * as migrations from "../services/migrations.ts";

/** `3 users, 2 clients` (the tables with rows only), as the messages of the backup use cases say it. */
export { describeCounts } from "../domain/counts.ts";

/**
 * The migrations' records (documented where they are declared): a
 * migration's state, a planned or applied step, what a revert drops.
 */
export type { MigrationState, PlannedMigration, RevertDamage } from "../services/migrations.ts";

/**
 * The backups' records (documented where they are declared): counts by
 * table, progress, a backup written, listed, pruned, planned for a restore
 * or restored.
 */
export type {
  BackupInfo,
  CreatedBackup,
  Progress,
  ProgressListener,
  PrunedFile,
  PruneResult,
  RestoredBackup,
  RestorePlan,
  TableCounts,
} from "../services/backup.ts";

/** A migration the program knows. */
export interface MigrationName {
  /** Four digits: `0002`. */
  version: string;
  /** `login_security`. */
  name: string;
}

/** Where `migrate up` or `migrate down` goes. */
export interface MigrateTarget {
  /** up: apply up to and including it; down: revert down to it (`"0"`: all). A known version, as the program spells it. */
  to?: string;
  /** Plan only: return what would run and change nothing. */
  dryRun?: boolean;
}

/** The state of every migration, and what is wrong with the database's if anything. */
export interface MigrationReport {
  migrations: migrations.MigrationState[];
  /** An applied migration that was edited since (exit 6 once the states are shown). */
  problem?: Error;
}

/**
 * How `backup verify` and `backup restore` authenticate a file. By default
 * its MAC must hold under this installation's backup key (`BACKUP_KEY`, else
 * one derived from `SECRET_KEY`).
 */
export interface BackupTrust {
  /**
   * The key material of the installation that wrote the file (its
   * `BACKUP_KEY`, or its `SECRET_KEY` when it had none), as read from
   * `--trust-key FILE`: checked against instead of this installation's key.
   * A secret: never from argv.
   */
  trustKey?: string;
  /** Accept a file of backup format 1 (before backups were authenticated): only its checksum is checked. */
  acceptUnauthenticated?: boolean;
}

/** The first MANAGEMENT collaborator (`init`). */
export interface FirstManager {
  first_name: string;
  last_name: string;
  email: string;
  phone?: string | null;
  password: string;
}

/** The operator use cases, as the command line calls them. Paths are as typed (relative to the working folder). */
export interface Operator {
  /** The migrations this program knows, oldest first. */
  migrations(): readonly MigrationName[];
  /**
   * The state of every migration. Reads only: a missing SQLite database file
   * reads as every migration pending, and neither it nor its folder is created.
   */
  migrationStatus(): Promise<MigrationReport>;
  /** Applies pending migrations (each in its transaction), or plans them. */
  migrateUp(target: MigrateTarget): Promise<migrations.PlannedMigration[]>;
  /** Reverts the newest migration, or every one newer than `to`, or plans it. */
  migrateDown(target: MigrateTarget): Promise<migrations.PlannedMigration[]>;
  /** What `migrateDown(target)` would drop (nothing is changed). */
  revertDamage(target: MigrateTarget): Promise<migrations.RevertDamage>;

  /** Creates the first manager of a migrated, empty database (exit 6 once any collaborator exists). */
  createFirstManager(input: FirstManager): Promise<UserRecord>;

  /** Writes a snapshot into `dir` (default: the configured backup folder), then prunes with `keepDays`. */
  createBackup(
    options: { dir?: string; keepDays?: number; onProgress?: backup.ProgressListener },
  ): Promise<backup.CreatedBackup>;
  /**
   * The backups of `dir` (default: the configured folder), oldest first, each
   * checked to the end with this installation's key.
   */
  listBackups(dir?: string): Promise<backup.BackupInfo[]>;
  /** Checks one backup file to the end: its MAC, every row (exit 6 naming what is wrong). */
  verifyBackup(
    file: string,
    options: BackupTrust & { onProgress?: backup.ProgressListener },
  ): Promise<backup.BackupInfo>;
  /** Deletes backups older than `keepDays` days (never the newest), or lists them with `dryRun`. */
  pruneBackups(options: { dir?: string; keepDays: number; dryRun: boolean }): Promise<backup.PruneResult>;
  /** Checks a backup and counts what the database holds now (what a restore would replace). */
  planRestore(
    file: string,
    options: BackupTrust & { onProgress?: backup.ProgressListener },
  ): Promise<backup.RestorePlan>;
  /**
   * Restores the planned backup (`replace`: instead of the database's
   * contents), trusting the same key as the plan. Every session ends.
   */
  restoreBackup(
    plan: backup.RestorePlan,
    options: BackupTrust & { replace: boolean; onProgress?: backup.ProgressListener },
  ): Promise<backup.RestoredBackup>;
}
