/**
 * `epic-events backup restore FILE [--replace] [--yes] [--trust-key FILE]
 * [--accept-unauthenticated]`: into an empty database, or with `--replace`
 * instead of its contents — asked first on a terminal, naming what is lost;
 * `--yes` off a terminal. Every session ends.
 * @module
 */
import { describeCounts, type RestoredBackup } from "../../../port/operator.ts";
import { t } from "../../../i18n/mod.ts";
import { isSet, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { confirmDestructive } from "../../input/confirm.ts";
import type { OperatorDeps } from "../../operator/deps.ts";
import { showRecord } from "../../output/record.ts";
import {
  BACKUP_ENV,
  countColumns,
  FILE_ARG,
  parseTrustedFile,
  readTrust,
  TRUST_FLAGS,
  type TrustedFileOptions,
  withProgress,
} from "./shared.ts";

/** Options of `backup restore`. */
export interface BackupRestoreOptions extends TrustedFileOptions {
  replace: boolean;
  yes: boolean;
}

/** What `backup restore --help` shows. */
export const spec: VerbSpec = {
  name: "restore",
  summary: "cli.backup.restore.summary",
  args: [FILE_ARG],
  flags: [
    { flag: "--replace", help: "cli.backup.restore.replace" },
    { flag: "--yes", short: "-y", help: "cli.backup.restore.yes" },
    ...TRUST_FLAGS,
  ],
  examples: "cli.backup.restore.examples",
  env: BACKUP_ENV,
};

/** Reads `<file>`, `--replace`, `--yes` and the output format. */
export function parse(input: VerbInput): BackupRestoreOptions {
  return { ...parseTrustedFile(input), replace: isSet(input, "--replace"), yes: isSet(input, "--yes") };
}

/** Checks the backup, confirms a replace, restores, and prints the counts. */
export async function run(options: BackupRestoreOptions, deps: OperatorDeps): Promise<void> {
  const { io, operator } = deps;
  const trust = await readTrust(options, io);
  const plan = await withProgress(
    io,
    options.format,
    (onProgress) => operator.planRestore(options.file, { ...trust, onProgress }),
  );
  if (plan.target.rows > 0 && options.replace) {
    const lost = describeCounts(plan.target.tables);
    const confirmed = await confirmDestructive(deps, {
      question: t("cli.backup.restore.ask", { lost }),
      refusal: t("cli.backup.restore.refused", { lost }),
    }, options.yes);
    if (!confirmed) return;
  }
  const restored = await withProgress(
    io,
    options.format,
    (onProgress) => operator.restoreBackup(plan, { ...trust, replace: options.replace, onProgress }),
  );
  await showRecord(
    deps,
    [
      { title: "FILE", heading: "cli.backup.column.file", show: "text", value: (r: RestoredBackup) => r.file },
      { title: "SCHEMA", heading: "cli.backup.column.schema", show: "text", value: (r) => r.schema_version },
      {
        title: "MIGRATED",
        heading: "cli.backup.column.migrated",
        show: "text",
        value: (r) => r.migrated.join(" ") || "-",
      },
      { title: "ROWS", heading: "cli.backup.column.rows", show: "number", value: (r) => r.rows },
      ...countColumns<RestoredBackup>(restored.tables),
      {
        title: "REPLACED",
        heading: "cli.backup.column.replaced",
        show: "text",
        value: (r) => describeCounts(r.replaced),
      },
    ],
    options.format,
    restored,
  );
}
