/** `epic-events migrate up [--to VERSION] [--dry-run]` (also what a bare `migrate` runs). @module */
import type { VerbInput, VerbSpec } from "../../verbs/verb.ts";
import { OPERATOR_ENV, type OperatorDeps } from "../../operator/deps.ts";
import { DRY_RUN, type MigrateOptions, parseMigrate, report, resolveVersion } from "./shared.ts";

/** What `migrate up --help` shows. */
export const spec: VerbSpec = {
  name: "up",
  summary: "cli.migrate.up.summary",
  flags: [
    { flag: "--to", arg: "version", help: "cli.migrate.up.to", field: "to" },
    DRY_RUN,
  ],
  examples: "cli.migrate.up.examples",
  env: OPERATOR_ENV,
};

/** Reads `--to`, `--dry-run` and `--json`. */
export function parse(input: VerbInput): MigrateOptions {
  return parseMigrate(input);
}

/** Applies (or plans) the migrations and says which. */
export async function run(options: MigrateOptions, deps: OperatorDeps): Promise<void> {
  const to = resolveVersion(options.to, deps.operator.migrations(), { zero: false });
  const plan = await deps.operator.migrateUp({ to, dryRun: options.dryRun });
  report(deps, plan, "up", options);
}
