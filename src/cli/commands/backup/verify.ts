/** `epic-events backup verify FILE`. @module */
import type { BackupInfo } from "../../../port/operator.ts";
import type { VerbInput, VerbSpec } from "../../verbs/verb.ts";
import type { OperatorDeps } from "../../operator/deps.ts";
import { showRecord } from "../../output/record.ts";
import {
  countColumns,
  FILE_ARG,
  INFO_COLUMNS,
  KEY_ENV,
  parseTrustedFile,
  readTrust,
  TRUST_FLAGS,
  withProgress,
} from "./shared.ts";

/** Options of `backup verify`: the file, how to trust it, the output format. */
export type BackupVerifyOptions = ReturnType<typeof parseTrustedFile>;

/** What `backup verify --help` shows. */
export const spec: VerbSpec = {
  name: "verify",
  summary: "cli.backup.verify.summary",
  args: [FILE_ARG],
  flags: TRUST_FLAGS,
  examples: "cli.backup.verify.examples",
  env: ["DATABASE_URL", "EPIC_EVENTS_DATA_DIR", ...KEY_ENV, "TZ", "NO_COLOR"],
};

/** Reads `<file>`, how to trust it and the output format. */
export function parse(input: VerbInput): BackupVerifyOptions {
  return parseTrustedFile(input);
}

/** Checks the file and prints what it holds. */
export async function run(options: BackupVerifyOptions, deps: OperatorDeps): Promise<void> {
  const trust = await readTrust(options, deps.io);
  const info = await withProgress(
    deps.io,
    options.format,
    (onProgress) => deps.operator.verifyBackup(options.file, { ...trust, onProgress }),
  );
  await showRecord(
    deps,
    [
      ...INFO_COLUMNS,
      { title: "BACKEND", heading: "cli.backup.column.backend", show: "text", value: (b) => b.backend },
      { title: "PROGRAM", heading: "cli.backup.column.program", show: "text", value: (b) => b.program_version },
      // i18n-ignore: the CSV/TSV header (machine output); tables show the heading
      { title: "KEY ID", heading: "cli.backup.column.key_id", show: "text", value: (b) => b.key_id },
      ...countColumns<BackupInfo>(info.tables),
    ],
    options.format,
    info,
  );
}
