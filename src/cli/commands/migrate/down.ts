/**
 * `epic-events migrate down [--to VERSION] [--dry-run] [--yes]`. Reverting
 * drops data, so it names what it drops and asks on a terminal; without one
 * it needs `--yes` (exit 2). A dry run, or nothing to revert, asks nothing.
 * @module
 */
import type { RevertDamage } from "../../../port/operator.ts";
import { isSet, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { confirmDestructive } from "../../input/confirm.ts";
import { YES_FLAG } from "../../verbs/delete.ts";
import { OPERATOR_ENV, type OperatorDeps } from "../../operator/deps.ts";
import { DRY_RUN, type MigrateOptions, parseMigrate, report, resolveVersion } from "./shared.ts";

/** Options of `migrate down`. */
export interface MigrateDownOptions extends MigrateOptions {
  yes: boolean;
}

/** What `migrate down --help` shows. */
export const spec: VerbSpec = {
  name: "down",
  summary: "cli.migrate.down.summary",
  flags: [
    {
      flag: "--to",
      arg: "version",
      help: "revert down to VERSION, which stays applied (0 reverts every migration)",
      field: "to",
    },
    DRY_RUN,
    YES_FLAG,
  ],
  examples: "cli.migrate.down.examples",
  env: OPERATOR_ENV,
};

/** Reads `--to`, `--dry-run`, `--yes` and `--json`. */
export function parse(input: VerbInput): MigrateDownOptions {
  return { ...parseMigrate(input), yes: isSet(input, "--yes") };
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** `0004_session_identity, dropping the table login_attempts with all their data`. */
export function describeDamage(damage: RevertDamage): string {
  const { tables, columns } = damage;
  const dropped = [
    ...(tables.length ? [`the table${tables.length > 1 ? "s" : ""} ${list(tables)}`] : []),
    ...(columns.length ? [`the column${columns.length > 1 ? "s" : ""} ${list(columns)}`] : []),
  ];
  return `${list(damage.migrations)}${dropped.length ? `, dropping ${list(dropped)} with all their data` : ""}`;
}

/** Confirms (unless a dry run or nothing to revert), reverts and says which. */
export async function run(options: MigrateDownOptions, deps: OperatorDeps): Promise<void> {
  const to = resolveVersion(options.to, deps.operator.migrations(), { zero: true });
  if (!options.dryRun && !options.yes) {
    const damage = await deps.operator.revertDamage({ to });
    if (damage.migrations.length > 0) {
      const what = describeDamage(damage);
      const confirmed = await confirmDestructive(deps, {
        question: `Revert ${what}? This cannot be undone.`,
        refusal: `refusing to revert without confirmation (add --yes): this reverts ${what}`,
        cancelled: "Cancelled; nothing was reverted.",
      }, false);
      if (!confirmed) return;
    }
  }
  report(deps, await deps.operator.migrateDown({ to, dryRun: options.dryRun }), "down", options);
}
