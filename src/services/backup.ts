/**
 * Backup use cases behind `epic-events backup`: create, list, verify, prune
 * and restore. Operator functions: they run directly on the database (no
 * acting user), never print, never read the environment, and never return
 * row contents, only counts.
 * @module
 */
import { join } from "node:path";
import { MIGRATIONS } from "../../migrations/mod.ts";
import type { Migration } from "../db/migration.ts";
import {
  backupFileName,
  BackupFormatError,
  type BackupHeader,
  type BackupRow,
  createBackupFile,
  FORMAT_NAME,
  FORMAT_VERSION,
  openBackup,
  parseBackupFileName,
  type ReadOptions,
  verifyBackup,
} from "../backup/format.ts";
import type { Database, MigrationConnection, Queryable } from "../db/database.ts";
import { migrateDown, migrateUp } from "../db/migrator.ts";
import { ConflictError, InvalidInputError } from "../domain/errors.ts";
import {
  appliedVersions,
  BACKUP_TABLES,
  countRows,
  fromBackupValue,
  insertRows,
  listTables,
  lockTables,
  planTables,
  readTable,
  resetIdentity,
  SESSION_TABLES,
  type TableSpec,
} from "../repositories/backup.ts";
import { renewDatabaseId } from "../repositories/sessions.ts";
import { ConstraintViolation } from "../db/constraint_error.ts";
import type { BackupKey } from "../security/backup_key.ts";
import { rowChecker } from "./backup_rows.ts";
import { finishBulkLoad } from "../repositories/sql.ts";
import { pathError } from "../security/private_dir.ts";
import { describeCounts, type TableCounts } from "../domain/counts.ts";
import { msg } from "../domain/messages.ts";

export { BackupFormatError };

/**
 * How a backup is authenticated when read: the key its MAC must hold under
 * (this installation's, or one given with `--trust-key`), and whether a
 * format-1 file (no MAC) is accepted.
 */
export type BackupAuth = ReadOptions;

/** What the backup use cases need. */
export interface BackupContext {
  /** The database, opened without the pending-migration check. */
  db: Database;
  /** The clock (backup names, prune ages). */
  now: () => Date;
  /** This program's version, written to each header. */
  programVersion: string;
  /** The installation's backup key, which authenticates each backup written (asked for only by `createBackup`). */
  key: () => BackupKey;
  /** The migrations this program knows (tests pass their own). */
  migrations?: readonly Migration[];
}

/** Progress of a long step: rows done of rows total, for one table and overall. */
export interface Progress {
  phase: "create" | "verify" | "restore";
  table: string;
  tableDone: number;
  tableTotal: number;
  done: number;
  total: number;
}

/** Told of progress every batch of rows. */
export type ProgressListener = (progress: Progress) => void;

export type { TableCounts };

/** A backup written by {@link createBackup}. */
export interface CreatedBackup {
  file: string;
  created_at: string;
  schema_version: string;
  backend: string;
  bytes: number;
  rows: number;
  tables: TableCounts;
  /** Id of the key that authenticates it. */
  key_id: string;
  /** Its HMAC-SHA-256 (hex), as its last line holds it. */
  hmac_sha256: string;
  /** Files removed by `keepDays` (absent without it). */
  pruned?: string[];
}

const DAY_MS = 86_400_000;

function tallies(header: BackupHeader): TableCounts {
  return Object.fromEntries(header.tables.map((t) => [t.name, t.rows]));
}

function sum(counts: TableCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function progressCounter(phase: Progress["phase"], totals: TableCounts, listener?: ProgressListener) {
  const total = sum(totals);
  const perTable = new Map<string, number>();
  let done = 0;
  return (table: string, count: number) => {
    done += count;
    const tableDone = (perTable.get(table) ?? 0) + count;
    perTable.set(table, tableDone);
    listener?.({ phase, table, tableDone, tableTotal: totals[table] ?? 0, done, total });
  };
}

async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new InvalidInputError(msg("errors.backup.dir_exists", { path: dir }), "dir");
    }
    throw error;
  }
  const info = await Deno.stat(dir);
  if (!info.isDirectory) throw new InvalidInputError(msg("errors.backup.dir_not_folder", { path: dir }), "dir");
}

/**
 * Writes a consistent snapshot of every table to a new file in `dir`
 * (created 0700), then prunes with `keepDays` when given.
 */
export async function createBackup(
  ctx: BackupContext,
  options: { dir: string; keepDays?: number; onProgress?: ProgressListener },
): Promise<CreatedBackup> {
  const migrations = ctx.migrations ?? MIGRATIONS;
  if (options.keepDays !== undefined) checkKeepDays(options.keepDays);
  await ensurePrivateDir(options.dir);
  const key = ctx.key();
  const time = ctx.now();
  const path = join(options.dir, backupFileName(time));
  const written = await ctx.db.snapshot(async (tx) => {
    const versions = await appliedVersions(tx);
    const known = new Set(migrations.map((m) => m.version));
    const unknown = versions.find((v) => !known.has(v));
    if (unknown) {
      throw new ConflictError(msg("errors.backup.unknown_migration", { version: unknown }));
    }
    if (versions.length === 0) {
      throw new ConflictError(msg("errors.backup.no_schema"));
    }
    const plans = await planTables(tx);
    const counts = await countRows(tx, plans.map((p) => p.spec.name));
    const header: BackupHeader = {
      format: FORMAT_NAME,
      format_version: FORMAT_VERSION,
      key_id: key.id,
      program_version: ctx.programVersion,
      schema_version: versions[versions.length - 1],
      backend: tx.dialect,
      created_at: time.toISOString(),
      tables: plans.map((p) => ({ name: p.spec.name, columns: p.columns, rows: counts.get(p.spec.name) ?? 0 })),
    };
    const tick = progressCounter("create", tallies(header), options.onProgress);
    // A read-only or full disk is exit 7 (scripts may retry), a folder we may not write exit 2.
    const writer = await createBackupFile(path, header, key).catch((error) => {
      throw pathError(error, "dir", msg("errors.path.write", { path }));
    });
    try {
      for (const plan of plans) {
        for await (const page of readTable(tx, plan)) {
          for (const row of page) await writer.write(plan.spec.name, row);
          tick(plan.spec.name, page.length);
        }
      }
      return { header, result: await writer.finish() };
    } catch (error) {
      await writer.abort();
      throw pathError(error, "dir", msg("errors.path.write", { path }));
    }
  });
  const created: CreatedBackup = {
    file: written.result.path,
    created_at: written.header.created_at,
    schema_version: written.header.schema_version,
    backend: written.header.backend,
    bytes: written.result.bytes,
    rows: written.result.rows,
    tables: tallies(written.header),
    key_id: key.id,
    hmac_sha256: written.result.hmac_sha256,
  };
  if (options.keepDays !== undefined) {
    const pruned = await pruneBackups(ctx, { dir: options.dir, keepDays: options.keepDays });
    created.pruned = pruned.deleted.map((b) => b.file);
  }
  return created;
}

/** One file of a backup folder, as `backup list` shows it. */
export interface BackupInfo {
  file: string;
  /** When it was taken (from its name). */
  time: string;
  bytes: number;
  /**
   * Whether `backup restore` would take it as it is: it reads to the end, its
   * MAC holds (or, accepted on request, the checksum of a format-1 file) and
   * every row passes the program's rules.
   */
  intact: boolean;
  /** Whether its MAC was checked (false: a format-1 file accepted without one). */
  authenticated?: boolean;
  /** Id of the key its header names (format 2). */
  key_id?: string;
  /** Its last MAC (hex; a format-1 file's SHA-256): a restore checks that the file it loads ends the same. */
  digest?: string;
  /** What is wrong when it is not intact. */
  problem?: string;
  schema_version?: string;
  backend?: string;
  program_version?: string;
  rows?: number;
  tables?: TableCounts;
}

/** Calls `tick` once per run of rows of one table in `batch`. */
function tickBatch(tick: (table: string, count: number) => void, batch: readonly BackupRow[]): void {
  let start = 0;
  for (let i = 1; i <= batch.length; i++) {
    if (i < batch.length && batch[i].table === batch[start].table) continue;
    tick(batch[start].table, i - start);
    start = i;
  }
}

/**
 * Checks one backup file to the end: its MAC under `auth`, and every row
 * against the program's rules (exit 6 naming what is wrong).
 */
export async function verifyBackupFile(
  path: string,
  options: { auth: BackupAuth; onProgress?: ProgressListener },
): Promise<BackupInfo> {
  let verified;
  let check: ReturnType<typeof rowChecker> | undefined;
  let tick: ((table: string, count: number) => void) | undefined;
  try {
    verified = await verifyBackup(path, {
      ...options.auth,
      onBatch(batch, header) {
        check ??= rowChecker(path, header);
        check(batch);
        if (options.onProgress) {
          tick ??= progressCounter("verify", tallies(header), options.onProgress);
          tickBatch(tick, batch);
        }
      },
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InvalidInputError(msg("errors.backup.no_file", { path }), "file");
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new InvalidInputError(msg("errors.backup.file_is_folder", { path }), "file");
    }
    throw error;
  }
  const { header } = verified;
  return {
    file: path,
    time: header.created_at,
    bytes: verified.bytes,
    intact: true,
    authenticated: verified.authenticated,
    ...(header.key_id ? { key_id: header.key_id } : {}),
    digest: verified.digest,
    schema_version: header.schema_version,
    backend: header.backend,
    program_version: header.program_version,
    rows: verified.rows,
    tables: tallies(header),
  };
}

interface OurFile {
  name: string;
  path: string;
  time: Date;
}

async function ourFiles(dir: string): Promise<OurFile[]> {
  const files: OurFile[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const time = entry.isFile ? parseBackupFileName(entry.name) : null;
      if (time) files.push({ name: entry.name, path: join(dir, entry.name), time });
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return files.sort((a, b) => a.time.getTime() - b.time.getTime());
}

/**
 * Every backup of `dir` (files named like ours), oldest first, each checked
 * to the end under this installation's key (`auth`) as `backup verify` checks
 * it; one that is not intact says why.
 */
export async function listBackups(dir: string, auth: BackupAuth): Promise<BackupInfo[]> {
  const infos: BackupInfo[] = [];
  for (const file of await ourFiles(dir)) {
    try {
      infos.push({ ...await verifyBackupFile(file.path, { auth }), time: file.time.toISOString() });
    } catch (error) {
      if (!(error instanceof BackupFormatError)) throw error;
      const { size } = await Deno.stat(file.path);
      infos.push({
        file: file.path,
        time: file.time.toISOString(),
        bytes: size,
        intact: false,
        problem: error.message,
      });
    }
  }
  return infos;
}

function checkKeepDays(days: number): void {
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new InvalidInputError(msg("errors.backup.keep_days"), "keep_days");
  }
}

/** A backup file and its time. */
export interface PrunedFile {
  file: string;
  time: string;
}

/** What {@link pruneBackups} removed (or would remove) and kept. */
export interface PruneResult {
  dry_run: boolean;
  deleted: PrunedFile[];
  kept: PrunedFile[];
}

/**
 * Removes our backups older than `keepDays` days (by the time in their names),
 * never the newest one and never a file whose name is not one of ours.
 */
export async function pruneBackups(
  ctx: { now: () => Date },
  options: { dir: string; keepDays: number; dryRun?: boolean },
): Promise<PruneResult> {
  checkKeepDays(options.keepDays);
  const files = await ourFiles(options.dir);
  const cutoff = ctx.now().getTime() - options.keepDays * DAY_MS;
  const result: PruneResult = { dry_run: options.dryRun ?? false, deleted: [], kept: [] };
  files.forEach((file, i) => {
    const newest = i === files.length - 1;
    const entry = { file: file.path, time: file.time.toISOString() };
    (file.time.getTime() < cutoff && !newest ? result.deleted : result.kept).push(entry);
  });
  if (!result.dry_run) {
    for (const entry of result.deleted) await Deno.remove(entry.file);
  }
  return result;
}

/** Schema and row counts of a database (what a restore would replace). */
export interface DatabaseState {
  /** Newest applied migration, or null before any. */
  schema_version: string | null;
  tables: TableCounts;
  rows: number;
}

/** Tables whose rows are the users' data (what a backup holds). */
function dataTables(): string[] {
  return BACKUP_TABLES.map((t) => t.name);
}

/** What the database holds now, by table. */
export async function inspectDatabase(ctx: BackupContext): Promise<DatabaseState> {
  return await ctx.db.snapshot(async (tx) => {
    const versions = await appliedVersions(tx);
    const present = new Set(await listTables(tx));
    const names = dataTables().filter((n) => present.has(n));
    const counts = Object.fromEntries(await countRows(tx, names));
    return { schema_version: versions.at(-1) ?? null, tables: counts, rows: sum(counts) };
  });
}

/**
 * Checks that this program can restore a backup with this header: a known
 * schema version (exit 6 for a backup of a newer program) and only tables and
 * columns it knows.
 */
export function checkRestorable(header: BackupHeader, migrations: readonly Migration[] = MIGRATIONS): void {
  if (!migrations.some((m) => m.version === header.schema_version)) {
    const newest = migrations.at(-1)?.version ?? "none";
    throw new ConflictError(
      msg("errors.backup.unknown_schema", {
        version: header.schema_version,
        newest,
        program: header.program_version,
      }),
    );
  }
  const specs = new Map(BACKUP_TABLES.map((t) => [t.name, t]));
  for (const table of header.tables) {
    if (SESSION_TABLES.includes(table.name)) continue; // held by older backups, never restored
    const spec = specs.get(table.name);
    if (!spec) throw new BackupFormatError(msg("errors.backup.unknown_table", { table: table.name }));
    const unknown = table.columns.find((c) => !(c in spec.columns));
    if (unknown) {
      throw new BackupFormatError(msg("errors.backup.unknown_column", { column: `${table.name}.${unknown}` }));
    }
  }
}

/** A checked backup and the database it would restore into. */
export interface RestorePlan {
  /** The backup, read to the end with its MAC holding and every row checked. */
  backup: BackupInfo;
  /** What the database holds now (lost with `replace`). */
  target: DatabaseState;
}

/**
 * Checks a backup to the end and that this program can restore it (exit 6
 * otherwise), and counts what the database holds: what to ask before
 * {@link restoreBackup}. Changes nothing.
 */
export async function planRestore(
  ctx: BackupContext,
  file: string,
  options: { auth: BackupAuth; onProgress?: ProgressListener },
): Promise<RestorePlan> {
  const backup = await verifyBackupFile(file, options);
  const reader = await openBackup(file, options.auth);
  try {
    checkRestorable(reader.header, ctx.migrations ?? MIGRATIONS);
  } finally {
    await reader.close();
  }
  return { backup, target: await inspectDatabase(ctx) };
}

/** What {@link restoreBackup} did. */
export interface RestoredBackup {
  file: string;
  /** Schema version of the backup. */
  schema_version: string;
  /** Migrations applied after loading (newer than the backup). */
  migrated: string[];
  rows: number;
  tables: TableCounts;
  /** What the database held before (now replaced). */
  replaced: TableCounts;
}

/**
 * The database seen from inside the restore's one transaction: the
 * migrator's own transactions (and its lock) become parts of it.
 */
function boundTo(db: Database, tx: Queryable): Database {
  const conn: MigrationConnection = {
    dialect: tx.dialect,
    sql: tx.sql,
    query: (sql, params, options) => tx.query(sql, params, options),
    one: (sql, params, options) => tx.one(sql, params, options),
    execute: (sql, params, options) => tx.execute(sql, params, options),
    stream: (sql, params, options) => tx.stream(sql, params, options),
    insertMany: (table, columns, rows) => tx.insertMany(table, columns, rows),
    transaction: (fn) => fn(tx),
  };
  return {
    ...conn,
    snapshot: (fn) => fn(tx),
    withMigrationLock: (fn) => fn(conn),
    close: () => Promise.resolve(),
    abort: () => Promise.resolve(),
    get statementCount() {
      return db.statementCount;
    },
  };
}

/**
 * Restores a backup: checks it to the end first (MAC under `auth`, every row
 * against the program's rules), then, in one transaction holding the
 * migration lock, empties the schema (only with `replace` when it holds
 * rows), migrates to the backup's schema version, loads every row with its
 * id, moves id sequences past the highest id, applies the newer migrations,
 * and gives the database a new identity: no session issued before the
 * restore (by this database or by the one backed up) works after it, and the
 * login throttle starts clean. Any failure (or a killed process) leaves the
 * database as it was.
 */
export async function restoreBackup(
  ctx: BackupContext,
  options: {
    file: string;
    auth: BackupAuth;
    replace?: boolean;
    onProgress?: ProgressListener;
    plan?: RestorePlan;
  },
): Promise<RestoredBackup> {
  const migrations = ctx.migrations ?? MIGRATIONS;
  // Checked to the end before anything is written (the load checks it again before committing).
  const verified = options.plan?.backup.file === options.file
    ? options.plan.backup
    : await verifyBackupFile(options.file, { auth: options.auth, onProgress: options.onProgress });
  const reader = await openBackup(options.file, options.auth);
  const header = reader.header;
  try {
    checkRestorable(header, migrations);
    if (header.schema_version !== verified.schema_version) {
      throw new BackupFormatError(msg("errors.backup.changed", { path: options.file }));
    }
  } catch (error) {
    await reader.close();
    throw error;
  }
  const restoredTables = header.tables.filter((t) => !SESSION_TABLES.includes(t.name));
  const counts = Object.fromEntries(restoredTables.map((t) => [t.name, t.rows]));
  const tick = progressCounter("restore", counts, options.onProgress);
  const specs = new Map(BACKUP_TABLES.map((t) => [t.name, t]));
  try {
    const restored = await ctx.db.withMigrationLock((lock) =>
      lock.transaction(async (tx) => {
        const present = new Set(await listTables(tx));
        const ours = [...BACKUP_TABLES.map((t) => t.name), ...SESSION_TABLES].filter((n) => present.has(n));
        await lockTables(tx, ours);
        const before = Object.fromEntries(await countRows(tx, dataTables().filter((n) => present.has(n))));
        if (sum(before) > 0 && !options.replace) {
          throw new ConflictError(
            msg("errors.backup.not_empty", { counts: describeCounts(before) }),
            "replace",
          );
        }
        const inside = boundTo(ctx.db, tx);
        if (present.has("schema_migrations")) await migrateDown(inside, { to: "0", migrations });
        await migrateUp(inside, { to: header.schema_version, migrations });
        const plans = new Map((await planTables(tx)).map((p) => [p.spec.name, p]));
        for (const table of restoredTables) {
          const plan = plans.get(table.name);
          const same = plan && plan.columns.length === table.columns.length &&
            table.columns.every((c) => plan.columns.includes(c));
          if (!same) {
            throw new BackupFormatError(
              msg("errors.backup.table_mismatch", { table: table.name, version: header.schema_version }),
            );
          }
        }
        for await (const batch of reader.batches()) {
          let start = 0;
          for (let i = 1; i <= batch.length; i++) {
            if (i < batch.length && batch[i].table === batch[start].table) continue;
            const name = batch[start].table;
            const rows = batch.slice(start, i);
            start = i;
            if (SESSION_TABLES.includes(name)) continue;
            const columns = header.tables.find((t) => t.name === name)!.columns;
            await loadRows(tx, { spec: specs.get(name)!, columns, rows, file: options.file });
            tick(name, rows.length);
          }
        }
        // The rows were checked by the first pass; this one read the same bytes, or nothing is committed.
        if (reader.digest() !== verified.digest) {
          throw new BackupFormatError(msg("errors.backup.changed", { path: options.file }));
        }
        for (const table of restoredTables) await resetIdentity(tx, specs.get(table.name)!);
        const migrated = await migrateUp(inside, { migrations });
        // A new identity: every token issued before the restore is refused.
        if ((await listTables(tx)).includes("database_identity")) {
          await renewDatabaseId(tx, ctx.now().toISOString());
        }
        return {
          file: options.file,
          schema_version: header.schema_version,
          migrated: migrated.map((m) => m.version),
          rows: sum(counts),
          tables: counts,
          replaced: before,
        };
      })
    );
    // As after a seed: planner statistics (PostgreSQL), the search index merged
    // and the log checkpointed (SQLite). The rows are committed: a failure here
    // only leaves the database as fast as autovacuum and FTS5 merges make it.
    await finishBulkLoad(ctx.db, restoredTables.map((t) => t.name)).catch(() => {});
    return restored;
  } finally {
    await reader.close();
  }
}

/**
 * Inserts checked rows of one table; a value of the wrong type, or a row the
 * database refuses (a reference to a missing row, a duplicate email), is
 * exit 6 naming the table and the lines.
 */
async function loadRows(
  tx: Queryable,
  load: { spec: TableSpec; columns: readonly string[]; rows: readonly BackupRow[]; file: string },
): Promise<void> {
  const { spec, columns, rows, file } = load;
  const values = rows.map(({ row, line }) =>
    columns.map((column) => {
      try {
        return fromBackupValue(spec.columns[column], row[column], column);
      } catch (error) {
        throw new BackupFormatError(`${file}: table ${spec.name}, line ${line}: ${(error as Error).message}`);
      }
    })
  );
  try {
    await insertRows(tx, spec, columns, values);
  } catch (error) {
    if (!(error instanceof ConstraintViolation)) throw error;
    const lines = rows.length === 1
      ? msg("errors.backup.line", { line: rows[0].line })
      : msg("errors.backup.lines", { first: rows[0].line, last: rows.at(-1)!.line });
    throw new BackupFormatError(
      msg("errors.backup.row_refused", { path: file, table: spec.name, lines, why: error.message }),
    );
  }
}
