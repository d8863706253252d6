/**
 * What the `backup` verbs share: `--dir` and `--keep-days`, the columns of a
 * backup file, and the progress bar drawn on a terminal.
 * @module
 */
import { resolve } from "node:path";
import type { BackupInfo, BackupTrust, Progress, TableCounts } from "../../../port/operator.ts";
import { InvalidInputError } from "../../../domain/errors.ts";
import { type FlagDef, isSet, outputFormat, text, type VerbInput } from "../../verbs/verb.ts";
import type { Format } from "../../output/formats.ts";
import type { Io } from "../../app/io.ts";
import { OPERATOR_ENV } from "../../operator/deps.ts";
import type { Column } from "../../output/print.ts";
import { t } from "../../../i18n/mod.ts";

/** `--dir`. */
export const DIR_FLAG: FlagDef = {
  flag: "--dir",
  arg: "dir",
  help: "cli.backup.dir",
  field: "dir",
};

/** `--trust-key FILE` and `--accept-unauthenticated` of `verify` and `restore`. */
export const TRUST_FLAGS: readonly FlagDef[] = [
  {
    flag: "--trust-key",
    arg: "file",
    help: "cli.backup.trust_key",
    field: "trust-key",
  },
  {
    flag: "--accept-unauthenticated",
    help: "cli.backup.accept_unauthenticated",
  },
];

/** Variables of the backup key (`verify`, `restore`, `list`, `create`). */
export const KEY_ENV: readonly string[] = ["BACKUP_KEY", "SECRET_KEY"];

/** The `<file>` argument of `verify` and `restore`. */
export const FILE_ARG = { name: "file", help: "cli.backup.file" };

/** What `verify` and `restore` read: the file, how to trust it, the output format. */
export interface TrustedFileOptions extends TrustOptions {
  /** The backup file, as typed. */
  file: string;
  format?: Format;
}

/** Reads `<file>`, how to trust it and the output format. */
export function parseTrustedFile(input: VerbInput): TrustedFileOptions {
  return { file: input.args[0], ...parseTrust(input), format: outputFormat(input) };
}

/** What `--trust-key` and `--accept-unauthenticated` were given as. */
export interface TrustOptions {
  /** `--trust-key`: the file holding the key, or `-` for stdin. */
  trustKeyFile?: string;
  acceptUnauthenticated: boolean;
}

/** Reads `--trust-key` and `--accept-unauthenticated`. */
export function parseTrust(input: VerbInput): TrustOptions {
  return { trustKeyFile: text(input, "--trust-key"), acceptUnauthenticated: isSet(input, "--accept-unauthenticated") };
}

/** The most a key file may hold (a key is at most a few hundred bytes). */
const KEY_FILE_MAX_BYTES = 64 * 1024;

/**
 * The trust of a file: the key read from `--trust-key FILE` (or stdin for
 * `-`, which must not be a terminal: the key would show as it is typed).
 */
export async function readTrust(options: TrustOptions, io: Io): Promise<BackupTrust> {
  const trust: BackupTrust = { acceptUnauthenticated: options.acceptUnauthenticated };
  const file = options.trustKeyFile;
  if (file === undefined) return trust;
  const refuse = (why: string) =>
    new InvalidInputError(t("cli.value.refused", { what: "--trust-key", reason: why }), "trust-key");
  if (file === "-") {
    if (io.stdinIsTerminal) throw refuse(t("cli.backup.key_from_terminal"));
    trust.trustKey = await io.readStdin();
    return trust;
  }
  const path = resolve(io.cwd, file);
  let bytes: Uint8Array;
  try {
    const handle = await Deno.open(path, { read: true });
    try {
      if ((await handle.stat()).size > KEY_FILE_MAX_BYTES) throw refuse(t("cli.backup.key_too_large", { file }));
      bytes = new Uint8Array(await new Response(handle.readable).arrayBuffer());
    } finally {
      try {
        handle.close();
      } catch { /* closed by its stream */ }
    }
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    if (error instanceof Deno.errors.NotFound) throw refuse(t("cli.file.not_found", { file }));
    if (error instanceof Deno.errors.IsADirectory) throw refuse(t("cli.file.is_folder", { file }));
    if (error instanceof Deno.errors.PermissionDenied) throw refuse(t("cli.file.denied", { file }));
    throw error;
  }
  try {
    trust.trustKey = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw refuse(t("cli.file.not_utf8", { file }));
  }
  return trust;
}

/** What every `backup` verb reads. */
export const BACKUP_ENV: readonly string[] = [...OPERATOR_ENV, "EPIC_EVENTS_BACKUP_DIR", ...KEY_ENV, "TZ", "NO_COLOR"];

/** Reads `--keep-days` (a whole number of days, 0 or more). */
export function parseKeepDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value.trim())) {
    throw new InvalidInputError(t("cli.backup.keep_days", { value }), "keep-days");
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
  { title: "FILE", heading: "cli.backup.column.file", show: "text", value: (b) => b.file },
  { title: "TIME", heading: "cli.backup.column.time", show: "date", value: (b) => b.time },
  { title: "BYTES", heading: "cli.backup.column.bytes", show: "number", value: (b) => b.bytes },
  { title: "SCHEMA", heading: "cli.backup.column.schema", show: "text", value: (b) => b.schema_version },
  { title: "ROWS", heading: "cli.backup.column.rows", show: "number", value: (b) => b.rows },
  {
    title: "CHECKSUM",
    heading: "cli.backup.column.checksum",
    show: "text",
    // i18n-ignore: a value scripts read in CSV and TSV too (machine output)
    value: (b) => (!b.intact ? `BAD: ${b.problem}` : b.authenticated === false ? "ok, NOT AUTHENTICATED" : "ok"),
    // A table says it in the language in use.
    human: (b) =>
      !b.intact
        ? t("cli.backup.checksum.bad", { problem: b.problem ?? "" })
        : t(b.authenticated === false ? "cli.backup.checksum.unauthenticated" : "cli.backup.checksum.ok"),
  },
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
      const line = t("cli.backup.progress", {
        phase: p.phase,
        bar,
        done: p.done,
        total: p.total,
        table: p.table,
        tableDone: p.tableDone,
        tableTotal: p.tableTotal,
      });
      io.writeErr(`\r\x1b[2K${line}`);
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
