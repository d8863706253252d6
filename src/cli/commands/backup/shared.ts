/**
 * What the `backup` verbs share: `--dir` and `--keep-days`, the columns of a
 * backup file, and the progress bar drawn on a terminal.
 * @module
 */
import type { BackupInfo, Progress, TableCounts } from "../../../port/operator.ts";
import { InvalidInputError } from "../../../domain/errors.ts";
import type { FlagDef } from "../../command.ts";
import type { Format } from "../../format.ts";
import type { Io } from "../../io.ts";
import { OPERATOR_ENV } from "../../operator.ts";
import type { Column } from "../../print.ts";

/** `--dir`. */
export const DIR_FLAG: FlagDef = {
  flag: "--dir",
  arg: "dir",
  help: "folder of the backups (default: EPIC_EVENTS_BACKUP_DIR, else <data dir>/backups)",
  field: "dir",
};

/** What every `backup` verb reads. */
export const BACKUP_ENV: readonly string[] = [...OPERATOR_ENV, "EPIC_EVENTS_BACKUP_DIR", "TZ", "NO_COLOR"];

/** Reads `--keep-days` (a whole number of days, 0 or more). */
export function parseKeepDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value.trim())) {
    throw new InvalidInputError(`--keep-days: expected a whole number of days, got "${value}"`, "keep-days");
  }
  return Number(value);
}

/** One column per table: its row count. */
export function countColumns<T extends { tables?: TableCounts }>(tables: TableCounts | undefined): Column<T>[] {
  return Object.keys(tables ?? {}).map((name) => ({
    title: name.toUpperCase(),
    show: "number",
    value: (r: T) => r.tables?.[name],
  }));
}

/** Columns of a backup file (`backup list`, `backup verify`). */
export const INFO_COLUMNS: readonly Column<BackupInfo>[] = [
  { title: "FILE", show: "text", value: (b) => b.file },
  { title: "TIME", show: "date", value: (b) => b.time },
  { title: "BYTES", show: "number", value: (b) => b.bytes },
  { title: "SCHEMA", show: "text", value: (b) => b.schema_version },
  { title: "ROWS", show: "number", value: (b) => b.rows },
  { title: "CHECKSUM", show: "text", value: (b) => (b.intact ? "ok" : `BAD: ${b.problem}`) },
];

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

/**
 * A progress bar on stderr (rows done of rows total, per table), drawn only
 * on a terminal and never with JSON; undefined otherwise.
 */
function progressBar(io: Io, format: Format | undefined) {
  if (format === "json" || !io.stdoutIsTerminal) return undefined;
  let drawn = 0;
  let visible = false;
  return {
    listener(p: Progress) {
      const now = performance.now();
      if (now - drawn < REDRAW_MS && p.done < p.total) return;
      drawn = now;
      visible = true;
      const filled = p.total === 0 ? BAR_WIDTH : Math.round((p.done / p.total) * BAR_WIDTH);
      const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
      io.writeErr(`\r\x1b[2K${p.phase} [${bar}] ${p.done}/${p.total} rows · ${p.table} ${p.tableDone}/${p.tableTotal}`);
    },
    clear() {
      if (visible) io.writeErr("\r\x1b[2K");
      visible = false;
    },
  };
}

/** Runs `fn` with a progress bar's listener (on a terminal), cleared when it ends. */
export async function withProgress<T>(
  io: Io,
  format: Format | undefined,
  fn: (onProgress?: (p: Progress) => void) => Promise<T>,
): Promise<T> {
  const bar = progressBar(io, format);
  try {
    return await fn(bar?.listener);
  } finally {
    bar?.clear();
  }
}
