/** `epic-events backup list [--dir DIR]`. @module */
import type { BackupInfo } from "../../../port/operator.ts";
import { outputFormat, text, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import type { Format } from "../../output/formats.ts";
import { type OperatorDeps, printRows } from "../../operator/deps.ts";
import type { Column } from "../../output/print.ts";
import { BACKUP_ENV, DIR_FLAG, INFO_COLUMNS } from "./shared.ts";

/** Options of `backup list`. */
export interface BackupListOptions {
  dir?: string;
  format?: Format;
}

/** The tables whose counts an operator reads to tell backups apart (a restore brings back these). */
const COUNTED = ["users", "clients", "contracts", "events"] as const;

/**
 * Columns of `backup list`: the file's columns, with the counts of the
 * business tables in place of the total of rows (which mixes in the audit
 * trail and the login attempts). `--json` has every table's count.
 */
export const LIST_COLUMNS: readonly Column<BackupInfo>[] = INFO_COLUMNS.flatMap((column) =>
  column.title === "ROWS"
    ? COUNTED.map((name): Column<BackupInfo> => ({
      title: name.toUpperCase(),
      show: "number",
      value: (b) => b.tables?.[name],
    }))
    : [column]
);

/** What `backup list --help` shows. */
export const spec: VerbSpec = {
  name: "list",
  summary: "cli.backup.list.summary",
  flags: [DIR_FLAG],
  examples: "cli.backup.list.examples",
  env: BACKUP_ENV,
};

/** Reads `--dir` and the output format. */
export function parse(input: VerbInput): BackupListOptions {
  return { dir: text(input, "--dir"), format: outputFormat(input) };
}

/** Prints every backup of the folder. */
export async function run(options: BackupListOptions, deps: OperatorDeps): Promise<void> {
  await printRows(deps, LIST_COLUMNS, options.format, await deps.operator.listBackups(options.dir));
}
