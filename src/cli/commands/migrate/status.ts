/**
 * `epic-events migrate status`: every migration the program knows, applied,
 * pending or modified. It only reads: a missing SQLite database is every
 * migration pending, and nothing is created. An edited applied migration is
 * shown, then exit 6.
 * @module
 */
import type { MigrationState } from "../../../port/operator.ts";
import { outputFormat, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import type { Format } from "../../output/formats.ts";
import { OPERATOR_ENV, type OperatorDeps, printRows } from "../../operator/deps.ts";
import type { Column } from "../../output/print.ts";
import { t } from "../../../i18n/mod.ts";

/** Columns of `migrate status`. */
export const STATUS_COLUMNS: readonly Column<MigrationState>[] = [
  { title: "VERSION", heading: "cli.migrate.column.version", show: "text", value: (s) => s.version },
  { title: "NAME", heading: "cli.migrate.column.name", show: "text", value: (s) => s.name },
  {
    title: "STATE",
    heading: "cli.migrate.column.state",
    show: "text",
    value: (s) => s.state,
    // The value stays in JSON, CSV and TSV; a table says it in the language in use.
    human: (s) => t(`cli.migrate.state.${s.state}`),
  },
  // i18n-ignore: the CSV/TSV header (machine output); tables show the heading
  { title: "APPLIED AT", heading: "cli.migrate.column.applied_at", show: "date", value: (s) => s.applied_at },
];

/** Options of `migrate status`. */
export interface MigrateStatusOptions {
  format?: Format;
}

/** What `migrate status --help` shows. */
export const spec: VerbSpec = {
  name: "status",
  summary: "cli.migrate.status.summary",
  flags: [],
  examples: "cli.migrate.status.examples",
  env: [...OPERATOR_ENV, "TZ", "NO_COLOR"],
};

/** Reads the output format. */
export function parse(input: VerbInput): MigrateStatusOptions {
  return { format: outputFormat(input) };
}

/** Prints the states; exit 6 after them when an applied migration was edited. */
export async function run(options: MigrateStatusOptions, deps: OperatorDeps): Promise<void> {
  const { migrations, problem } = await deps.operator.migrationStatus();
  await printRows(deps, STATUS_COLUMNS, options.format, migrations);
  if (problem) throw problem;
}
