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
      help: "then delete backups older than N days (never the newest)",
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
    { title: "FILE", show: "text", value: (c) => c.file },
    { title: "CREATED AT", show: "date", value: (c) => c.created_at },
    { title: "SCHEMA", show: "text", value: (c) => c.schema_version },
    { title: "BACKEND", show: "text", value: (c) => c.backend },
    { title: "BYTES", show: "number", value: (c) => c.bytes },
    { title: "ROWS", show: "number", value: (c) => c.rows },
    ...countColumns<CreatedBackup>(created.tables),
    ...(created.pruned
      ? [{ title: "PRUNED", show: "text" as const, value: () => created.pruned!.join(" ") || "-" }]
      : []),
  ];
  await showRecord(deps, columns, options.format, created);
}
