/**
 * The local adapter of the {@link Operator} port: the run's database, opened
 * without the pending-migration check, through the migration and backup
 * services. Paths typed on the command line are read from the working folder.
 *
 * A missing SQLite database file is a database where nothing is applied:
 * `migrate status`, every dry run and `migrate down` read it as such without
 * creating the file or its folder; only `migrate up` (and `init`, `backup
 * restore`) create it.
 * @module
 */
import { resolve } from "node:path";
import { MIGRATIONS } from "../../migrations/mod.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import { checksumOf, statementsOf } from "../db/migrator.ts";
import {
  type BackupAuth,
  type BackupContext,
  createBackup,
  listBackups,
  planRestore,
  pruneBackups,
  restoreBackup,
  verifyBackupFile,
} from "../services/backup.ts";
import type { ServiceContext } from "../services/context.ts";
import { applyMigrations, describeRevert, getMigrationStatus, revertMigrations } from "../services/migrations.ts";
import { createFirstManager } from "../services/users.ts";
import { backupKeyFromText, resolveBackupKey } from "../security/backup_key.ts";
import type { UserRecord } from "./crm.ts";
import type {
  BackupTrust,
  FirstManager,
  MigrateTarget,
  MigrationName,
  MigrationReport,
  Operator,
  PlannedMigration,
  RevertDamage,
} from "./operator.ts";

/** What the local adapter needs from the run: the CLI's `Runtime` provides it. */
export interface OperatorBackend {
  /** The validated configuration (exit 2 naming a bad variable). */
  config(): Config;
  /** The database without the pending-migration check (folders of a default SQLite file created 0700). */
  rawDatabase(): Promise<Database>;
  /** A service context without an acting user, on a migrated database. */
  anonymousContext(): Promise<ServiceContext>;
  /** The working folder, where relative paths start. */
  readonly io: { readonly cwd: string };
}

/** Whether `path` is missing (a parent that is not a folder, or unreadable, is left to the real open to report). */
async function isMissing(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return false;
  } catch (error) {
    return error instanceof Deno.errors.NotFound;
  }
}

/** Operator use cases on this machine's database. */
export class LocalOperator implements Operator {
  readonly #backend: OperatorBackend;
  readonly #version: string;

  /** An adapter over the run's lazily opened database; `programVersion` is written into each backup. */
  constructor(backend: OperatorBackend, programVersion: string) {
    this.#backend = backend;
    this.#version = programVersion;
  }

  /** Whether the database is an SQLite file that does not exist yet (checked without creating anything). */
  async #absent(): Promise<boolean> {
    const { database } = this.#backend.config();
    return database.kind === "sqlite" && database.path !== ":memory:" && await isMissing(database.path);
  }

  #path(typed: string): string {
    return resolve(this.#backend.io.cwd, typed);
  }

  #dir(typed: string | undefined): string {
    return this.#path(typed ?? this.#backend.config().backupDir);
  }

  async #backupContext(): Promise<BackupContext> {
    return {
      db: await this.#backend.rawDatabase(),
      now: () => new Date(),
      programVersion: this.#version,
      key: () => resolveBackupKey(this.#backend.config()),
    };
  }

  /** The key a file's MAC must hold under: the trusted one when given, else this installation's. */
  #auth(trust: BackupTrust = {}): BackupAuth {
    const acceptUnauthenticated = trust.acceptUnauthenticated ?? false;
    if (trust.trustKey === undefined) {
      return { key: resolveBackupKey(this.#backend.config()), acceptUnauthenticated };
    }
    return {
      key: backupKeyFromText(trust.trustKey, "trust-key"),
      keyName: "trust-key",
      acceptUnauthenticated,
    };
  }

  migrations(): readonly MigrationName[] {
    return MIGRATIONS.map((m) => ({ version: m.version, name: m.name }));
  }

  async migrationStatus(): Promise<MigrationReport> {
    if (await this.#absent()) {
      return {
        migrations: await Promise.all(MIGRATIONS.map(async (m) => ({
          version: m.version,
          name: m.name,
          state: "pending" as const,
          applied_at: null,
          duration_ms: null,
          checksum: await checksumOf(m, "sqlite"),
        }))),
      };
    }
    const { states, problem } = await getMigrationStatus(await this.#backend.rawDatabase());
    return { migrations: states, problem };
  }

  async migrateUp(target: MigrateTarget): Promise<PlannedMigration[]> {
    if (target.dryRun && await this.#absent()) {
      return MIGRATIONS.filter((m) => target.to === undefined || m.version <= target.to).map((m) => ({
        version: m.version,
        name: m.name,
        direction: "up",
        statements: statementsOf(m, "sqlite", "up"),
      }));
    }
    return await applyMigrations(await this.#backend.rawDatabase(), target);
  }

  async migrateDown(target: MigrateTarget): Promise<PlannedMigration[]> {
    if (await this.#absent()) return [];
    return await revertMigrations(await this.#backend.rawDatabase(), target);
  }

  async revertDamage(target: MigrateTarget): Promise<RevertDamage> {
    return describeRevert(await this.migrateDown({ ...target, dryRun: true }));
  }

  async createFirstManager(input: FirstManager): Promise<UserRecord> {
    const { password, ...fields } = input;
    return await createFirstManager(await this.#backend.anonymousContext(), fields, password);
  }

  async createBackup(options: Parameters<Operator["createBackup"]>[0]) {
    const dir = this.#dir(options.dir);
    return await createBackup(await this.#backupContext(), { ...options, dir });
  }

  async listBackups(dir?: string) {
    return await listBackups(this.#dir(dir), this.#auth());
  }

  async verifyBackup(file: string, options: Parameters<Operator["verifyBackup"]>[1]) {
    return await verifyBackupFile(this.#path(file), { auth: this.#auth(options), onProgress: options.onProgress });
  }

  pruneBackups(options: Parameters<Operator["pruneBackups"]>[0]) {
    return pruneBackups({ now: () => new Date() }, { ...options, dir: this.#dir(options.dir) });
  }

  async planRestore(file: string, options: Parameters<Operator["planRestore"]>[1]) {
    const auth = this.#auth(options);
    return await planRestore(await this.#backupContext(), this.#path(file), { auth, onProgress: options.onProgress });
  }

  async restoreBackup(
    plan: Parameters<Operator["restoreBackup"]>[0],
    options: Parameters<Operator["restoreBackup"]>[1],
  ) {
    return await restoreBackup(await this.#backupContext(), {
      file: plan.backup.file,
      auth: this.#auth(options),
      replace: options.replace,
      onProgress: options.onProgress,
      plan,
    });
  }
}
