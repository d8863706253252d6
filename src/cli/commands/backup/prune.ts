/** `epic-events backup prune [--dir DIR] [--keep-days N] [--dry-run]`. @module */
import type { PrunedFile } from "../../../port/operator.ts";
import { isSet, outputFormat, text, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { type Format, jsonText } from "../../output/formats.ts";
import { type OperatorDeps, printRows } from "../../operator/deps.ts";
import type { Column } from "../../output/print.ts";
import { tell } from "../../output/record.ts";
import { BACKUP_ENV, DIR_FLAG, parseKeepDays } from "./shared.ts";
import { t } from "../../../i18n/mod.ts";

/** Days kept when `--keep-days` is not given. */
export const DEFAULT_KEEP_DAYS = 30;

const PRUNED_COLUMNS: readonly Column<PrunedFile & { action: string }>[] = [
  {
    title: "ACTION",
    heading: "cli.backup.column.action",
    show: "text",
    value: (p) => p.action,
    // The value stays in CSV and TSV; a table says it in the language in use.
    human: (p) => t(p.action === "deleted" ? "cli.backup.prune.deleted" : "cli.backup.prune.would_delete"),
  },
  { title: "FILE", heading: "cli.backup.column.file", show: "text", value: (p) => p.file },
  { title: "TIME", heading: "cli.backup.column.time", show: "date", value: (p) => p.time },
];

/** Options of `backup prune`. */
export interface BackupPruneOptions {
  dir?: string;
  keepDays: number;
  dryRun: boolean;
  format?: Format;
}

/** What `backup prune --help` shows. */
export const spec: VerbSpec = {
  name: "prune",
  summary: "cli.backup.prune.summary",
  flags: [
    DIR_FLAG,
    {
      flag: "--keep-days",
      arg: "n",
      help: "cli.backup.prune.keep_days",
      helpValues: { days: DEFAULT_KEEP_DAYS },
      field: "keep_days",
    },
    { flag: "--dry-run", help: "cli.backup.prune.dry_run" },
  ],
  examples: "cli.backup.prune.examples",
  env: BACKUP_ENV,
};

/** Reads `--dir`, `--keep-days`, `--dry-run` and the output format. */
export function parse(input: VerbInput): BackupPruneOptions {
  return {
    dir: text(input, "--dir"),
    keepDays: parseKeepDays(text(input, "--keep-days")) ?? DEFAULT_KEEP_DAYS,
    dryRun: isSet(input, "--dry-run"),
    format: outputFormat(input),
  };
}

/** Deletes (or lists) the old backups: the files on stdout, the counts on stderr. */
export async function run(options: BackupPruneOptions, deps: OperatorDeps): Promise<void> {
  const result = await deps.operator.pruneBackups(options);
  if (options.format === "json") {
    deps.io.writeOut(jsonText(result));
    return;
  }
  // i18n-ignore: a value of CSV and TSV (machine output); the line on stderr says it to people
  const action = result.dry_run ? "would delete" : "deleted";
  await printRows(deps, PRUNED_COLUMNS, options.format, result.deleted.map((d) => ({ ...d, action })));
  const said = { deleted: result.deleted.length, kept: result.kept.length };
  tell(deps, t(result.dry_run ? "cli.backup.prune.would" : "cli.backup.prune.done", said));
}
