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
import { t } from "../../../i18n/mod.ts";

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
      help: "cli.migrate.down.to",
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
  if (items.length <= 1) return items.join("");
  return t("cli.migrate.and", { first: items.slice(0, -1).join(", "), last: items.at(-1) });
}

/** `0004_session_identity, dropping the table login_attempts with all their data`. */
export function describeDamage(damage: RevertDamage): string {
  const { tables, columns } = damage;
  const dropped = [
    ...(tables.length ? [t("cli.migrate.down.tables", { count: tables.length, names: list(tables) })] : []),
    ...(columns.length ? [t("cli.migrate.down.columns", { count: columns.length, names: list(columns) })] : []),
  ];
  const migrations = list(damage.migrations);
  return dropped.length ? t("cli.migrate.down.damage", { migrations, dropped: list(dropped) }) : migrations;
}

/** Confirms (unless a dry run or nothing to revert), reverts and says which. */
export async function run(options: MigrateDownOptions, deps: OperatorDeps): Promise<void> {
  const to = resolveVersion(options.to, deps.operator.migrations(), { zero: true });
  if (!options.dryRun && !options.yes) {
    const damage = await deps.operator.revertDamage({ to });
    if (damage.migrations.length > 0) {
      const what = describeDamage(damage);
      const confirmed = await confirmDestructive(deps, {
        question: t("cli.migrate.down.ask", { what }),
        refusal: t("cli.migrate.down.refused", { what }),
        cancelled: t("cli.migrate.down.cancelled"),
      }, false);
      if (!confirmed) return;
    }
  }
  report(deps, await deps.operator.migrateDown({ to, dryRun: options.dryRun }), "down", options);
}
