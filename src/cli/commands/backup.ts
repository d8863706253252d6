/**
 * `epic-events backup create | list | verify | prune | restore`: operator
 * commands run where `DATABASE_URL` is, like `migrate` (no login; a backup
 * holds every password hash). They print paths and counts, never rows.
 * @module
 */
import { resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { InvalidInputError } from "../../domain/errors.ts";
import {
  type BackupContext,
  type BackupInfo,
  createBackup,
  describeCounts,
  listBackups,
  planRestore,
  type Progress,
  pruneBackups,
  type PrunedFile,
  restoreBackup,
  type TableCounts,
  verifyBackupFile,
} from "../../services/backup.ts";
import { type Column, printList, printRecord } from "../output.ts";
import { promptConfirm } from "../prompts.ts";
import type { Runtime } from "../runtime.ts";

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

/**
 * A progress bar on stderr (rows done of rows total, per table), drawn only
 * on a terminal and never with `--json`; returns undefined otherwise.
 */
function progressBar(rt: Runtime): { listener: (p: Progress) => void; clear: () => void } | undefined {
  if (rt.json || !rt.io.stdoutIsTerminal) return undefined;
  let drawn = 0;
  let visible = false;
  return {
    listener(p) {
      const now = performance.now();
      if (now - drawn < REDRAW_MS && p.done < p.total) return;
      drawn = now;
      visible = true;
      const filled = p.total === 0 ? BAR_WIDTH : Math.round((p.done / p.total) * BAR_WIDTH);
      const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
      rt.io.writeErr(
        `\r\x1b[2K${p.phase} [${bar}] ${p.done}/${p.total} rows · ${p.table} ${p.tableDone}/${p.tableTotal}`,
      );
    },
    clear() {
      if (visible) rt.io.writeErr("\r\x1b[2K");
      visible = false;
    },
  };
}

async function withProgress<T>(rt: Runtime, fn: (listener?: (p: Progress) => void) => Promise<T>): Promise<T> {
  const bar = progressBar(rt);
  try {
    return await fn(bar?.listener);
  } finally {
    bar?.clear();
  }
}

function parseKeepDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value.trim())) {
    throw new InvalidInputError(`--keep-days: expected a whole number of days, got "${value}"`, "keep-days");
  }
  return Number(value);
}

async function context(rt: Runtime, program: Command): Promise<BackupContext> {
  return { db: await rt.rawDatabase(), now: () => new Date(), programVersion: program.version() ?? "unknown" };
}

function backupDir(rt: Runtime, dir: string | undefined): string {
  return resolve(rt.io.cwd, dir ?? rt.config().backupDir);
}

function countColumns<T extends { tables?: TableCounts }>(tables: TableCounts | undefined): Column<T>[] {
  return Object.keys(tables ?? {}).map((name) => ({ header: name.toUpperCase(), value: (r: T) => r.tables?.[name] }));
}

const INFO_COLUMNS: Column<BackupInfo>[] = [
  { header: "FILE", value: (b) => b.file },
  { header: "TIME", value: (b) => b.time },
  { header: "BYTES", value: (b) => b.bytes },
  { header: "SCHEMA", value: (b) => b.schema_version },
  { header: "ROWS", value: (b) => b.rows },
  { header: "CHECKSUM", value: (b) => (b.intact ? "ok" : `BAD: ${b.problem}`) },
];

const PRUNED_COLUMNS: Column<PrunedFile & { action: string }>[] = [
  { header: "ACTION", value: (p) => p.action },
  { header: "FILE", value: (p) => p.file },
  { header: "TIME", value: (p) => p.time },
];

/** Registers `backup`. */
export function registerBackup(program: Command, rt: Runtime): void {
  const backup = program.command("backup").description(
    "create, check, prune and restore backups (operators: runs on DATABASE_URL, no login)",
  );

  backup.command("create")
    .description("write a consistent, checksummed snapshot of the database to a new file")
    .option("--dir <dir>", "folder of the backups (default: EPIC_EVENTS_BACKUP_DIR, else <data dir>/backups)")
    .option("--keep-days <n>", "then delete backups older than N days (never the newest)")
    .action(async (opts) => {
      const keepDays = parseKeepDays(opts.keepDays);
      const dir = backupDir(rt, opts.dir);
      const ctx = await context(rt, program);
      const created = await withProgress(rt, (onProgress) => createBackup(ctx, { dir, keepDays, onProgress }));
      await printRecord(rt.io, rt, created, [
        { header: "FILE", value: (c) => c.file },
        { header: "CREATED AT", value: (c) => c.created_at },
        { header: "SCHEMA", value: (c) => c.schema_version },
        { header: "BACKEND", value: (c) => c.backend },
        { header: "BYTES", value: (c) => c.bytes },
        { header: "ROWS", value: (c) => c.rows },
        ...countColumns<typeof created>(created.tables),
        ...(created.pruned ? [{ header: "PRUNED", value: () => created.pruned!.join(" ") || "-" }] : []),
      ]);
    });

  backup.command("list")
    .description("list the backups of the folder, checking each one's checksum")
    .option("--dir <dir>", "folder of the backups (default: EPIC_EVENTS_BACKUP_DIR, else <data dir>/backups)")
    .action(async (opts) => {
      const rows = await listBackups(backupDir(rt, opts.dir));
      await printList(rt.io, rt, rows, INFO_COLUMNS);
    });

  backup.command("verify")
    .description("check a backup to the end (exit 6 naming what is wrong)")
    .argument("<file>", "the backup file")
    .action(async (file) => {
      const info = await withProgress(
        rt,
        (onProgress) => verifyBackupFile(resolve(rt.io.cwd, file), { onProgress }),
      );
      await printRecord(rt.io, rt, info, [
        ...INFO_COLUMNS,
        { header: "BACKEND", value: (b) => b.backend },
        { header: "PROGRAM", value: (b) => b.program_version },
        ...countColumns<BackupInfo>(info.tables),
      ]);
    });

  backup.command("prune")
    .description("delete backups older than N days (never the newest, never a file not named like ours)")
    .option("--dir <dir>", "folder of the backups (default: EPIC_EVENTS_BACKUP_DIR, else <data dir>/backups)")
    .option("--keep-days <n>", "keep backups of the last N days", "30")
    .option("--dry-run", "list what would be deleted and delete nothing")
    .action(async (opts) => {
      const result = await pruneBackups({ now: () => new Date() }, {
        dir: backupDir(rt, opts.dir),
        keepDays: parseKeepDays(opts.keepDays)!,
        dryRun: opts.dryRun ?? false,
      });
      const action = result.dry_run ? "would delete" : "deleted";
      if (rt.json) {
        await printRecord(rt.io, rt, result, []);
        return;
      }
      await printList(rt.io, rt, result.deleted.map((d) => ({ ...d, action })), PRUNED_COLUMNS);
      rt.io.writeErr(
        `${
          result.dry_run ? "Would delete" : "Deleted"
        } ${result.deleted.length} backup(s); kept ${result.kept.length}.\n`,
      );
    });

  backup.command("restore")
    .description("load a backup into an empty database (or, with --replace, instead of its contents)")
    .argument("<file>", "the backup file")
    .option("--replace", "replace the contents of a database that is not empty")
    .option("--yes", "replace without asking (needed off a terminal)")
    .action(async (file, opts) => {
      const path = resolve(rt.io.cwd, file);
      const ctx = await context(rt, program);
      const plan = await withProgress(rt, (onProgress) => planRestore(ctx, path, { onProgress }));
      if (plan.target.rows > 0 && opts.replace && !opts.yes) {
        const lost = describeCounts(plan.target.tables);
        if (!rt.interactive) {
          throw new InvalidInputError(
            `refusing to replace the database (${lost}) without confirmation: add --yes`,
            "yes",
          );
        }
        const ok = await promptConfirm(
          rt,
          `Replace the whole database with this backup? This deletes ${lost}.`,
        );
        if (!ok) {
          rt.io.writeErr("Cancelled; nothing was changed.\n");
          return;
        }
      }
      const restored = await withProgress(
        rt,
        (onProgress) => restoreBackup(ctx, { file: path, replace: opts.replace ?? false, onProgress, plan }),
      );
      await printRecord(rt.io, rt, restored, [
        { header: "FILE", value: (r) => r.file },
        { header: "SCHEMA", value: (r) => r.schema_version },
        { header: "MIGRATED", value: (r) => r.migrated.join(" ") || "-" },
        { header: "ROWS", value: (r) => r.rows },
        ...countColumns<typeof restored>(restored.tables),
        { header: "REPLACED", value: (r) => describeCounts(r.replaced) },
      ]);
    });
}
