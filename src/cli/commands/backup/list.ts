/** `epic-events backup list [--dir DIR]`. @module */
import { outputFormat, text, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import type { Format } from "../../output/formats.ts";
import { type OperatorDeps, printRows } from "../../operator/deps.ts";
import { BACKUP_ENV, DIR_FLAG, INFO_COLUMNS } from "./shared.ts";

/** Options of `backup list`. */
export interface BackupListOptions {
  dir?: string;
  format?: Format;
}

/** What `backup list --help` shows. */
export const spec: VerbSpec = {
  name: "list",
  summary: "list the backups of the folder, oldest first, checking each one to the end (MAC and rows)",
  flags: [DIR_FLAG],
  examples: ["backup list", "backup list --dir /srv/backups --json"],
  env: BACKUP_ENV,
};

/** Reads `--dir` and the output format. */
export function parse(input: VerbInput): BackupListOptions {
  return { dir: text(input, "--dir"), format: outputFormat(input) };
}

/** Prints every backup of the folder. */
export async function run(options: BackupListOptions, deps: OperatorDeps): Promise<void> {
  await printRows(deps, INFO_COLUMNS, options.format, await deps.operator.listBackups(options.dir));
}
