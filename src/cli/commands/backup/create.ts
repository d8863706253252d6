/** `epic-events backup create [--dir DIR] [--keep-days N]`. @module */
import type { CreatedBackup } from "../../../port/operator.ts";
import { outputFormat, text, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import type { Format } from "../../output/formats.ts";
import type { OperatorDeps } from "../../operator/deps.ts";
import type { Column } from "../../output/print.ts";
import { showRecord } from "../../output/record.ts";
import { BACKUP_ENV, countColumns, DIR_FLAG, parseKeepDays, withProgress } from "./shared.ts";

/** Options of `backup create`. */
export interface BackupCreateOptions {
  dir?: string;
  keepDays?: number;
  format?: Format;
}

/** What `backup create --help` shows. */
export const spec: VerbSpec = {
  name: "create",
  summary: "cli.backup.create.summary",
  flags: [
    DIR_FLAG,
    {
      flag: "--keep-days",
      arg: "n",
      help: "cli.backup.create.keep_days",
      field: "keep_days",
    },
  ],
  examples: "cli.backup.create.examples",
  env: BACKUP_ENV,
};

/** Reads `--dir`, `--keep-days` and the output format. */
export function parse(input: VerbInput): BackupCreateOptions {
  return {
    dir: text(input, "--dir"),
    keepDays: parseKeepDays(text(input, "--keep-days")),
    format: outputFormat(input),
  };
}

/** Writes the backup and prints what it holds (counts, never rows). */
export async function run(options: BackupCreateOptions, deps: OperatorDeps): Promise<void> {
  const created = await withProgress(
    deps.io,
    options.format,
    (onProgress) => deps.operator.createBackup({ dir: options.dir, keepDays: options.keepDays, onProgress }),
  );
  const columns: Column<CreatedBackup>[] = [
    { title: "FILE", heading: "cli.backup.column.file", show: "text", value: (c) => c.file },
    // i18n-ignore: the CSV/TSV header (machine output); tables show the heading
    { title: "CREATED AT", heading: "cli.backup.column.created_at", show: "date", value: (c) => c.created_at },
    { title: "SCHEMA", heading: "cli.backup.column.schema", show: "text", value: (c) => c.schema_version },
    { title: "BACKEND", heading: "cli.backup.column.backend", show: "text", value: (c) => c.backend },
    { title: "BYTES", heading: "cli.backup.column.bytes", show: "number", value: (c) => c.bytes },
    { title: "ROWS", heading: "cli.backup.column.rows", show: "number", value: (c) => c.rows },
    ...countColumns<CreatedBackup>(created.tables),
    ...(created.pruned
      ? [{
        title: "PRUNED",
        heading: "cli.backup.column.pruned",
        show: "text" as const,
        value: () => created.pruned!.join(" ") || "-",
      }]
      : []),
  ];
  await showRecord(deps, columns, options.format, created);
}
