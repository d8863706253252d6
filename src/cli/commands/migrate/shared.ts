/**
 * What `migrate up` and `migrate down` share: `--to` (a version as `2` or
 * `0002`, checked against the migrations the program knows), `--dry-run`,
 * and how a plan is told — human lines on stderr, the SQL of a dry run and
 * JSON on stdout.
 * @module
 */
import type { MigrationName, PlannedMigration } from "../../../port/operator.ts";
import { InvalidInputError } from "../../../domain/errors.ts";
import { type FlagDef, isSet, outputFormat, text, type VerbInput } from "../../verbs/verb.ts";
import { jsonText } from "../../output/formats.ts";
import type { OperatorDeps } from "../../operator/deps.ts";
import { tell } from "../../output/record.ts";
import { t } from "../../../i18n/mod.ts";

/** `--dry-run`. */
export const DRY_RUN: FlagDef = { flag: "--dry-run", help: "cli.migrate.dry_run" };

/** Options of `migrate up` and `migrate down`. */
export interface MigrateOptions {
  /** `--to` as typed (checked against the known versions by {@link resolveVersion}). */
  to?: string;
  dryRun: boolean;
  json: boolean;
}

/**
 * Reads `--to`, `--dry-run` and the output format: JSON, or text (a plan
 * has no table, CSV or TSV form).
 */
export function parseMigrate(input: VerbInput): MigrateOptions {
  const format = outputFormat(input);
  if (format !== undefined && format !== "json") {
    throw new InvalidInputError(t("cli.migrate.format"), "format");
  }
  return { to: text(input, "--to"), dryRun: isSet(input, "--dry-run"), json: format === "json" };
}

/**
 * The known version `typed` names: `2`, `02` and `0002` all name `0002`;
 * with `zero`, `0` means "before every migration". An unknown one is exit 2
 * listing the valid versions.
 */
export function resolveVersion(
  typed: string | undefined,
  known: readonly MigrationName[],
  { zero }: { zero: boolean },
): string | undefined {
  if (typed === undefined) return undefined;
  const digits = typed.trim();
  if (/^\d{1,9}$/.test(digits)) {
    const wanted = Number(digits);
    if (zero && wanted === 0) return "0";
    const match = known.find((m) => Number(m.version) === wanted);
    if (match) return match.version;
  }
  const versions = known.map((m) => `${m.version} (${m.name})`).join(", ");
  throw new InvalidInputError(
    t(zero ? "cli.migrate.unknown_version_zero_ok" : "cli.migrate.unknown_version", { typed, versions }),
    "to",
  );
}

/** Tells what a plan did or would do. */
export function report(
  deps: Pick<OperatorDeps, "io">,
  plan: readonly PlannedMigration[],
  direction: "up" | "down",
  options: Pick<MigrateOptions, "dryRun" | "json">,
): void {
  const { io } = deps;
  if (options.json) {
    io.writeOut(jsonText({
      direction,
      dry_run: options.dryRun,
      migrations: plan.map((m) => ({
        version: m.version,
        name: m.name,
        ...(options.dryRun ? { statements: m.statements } : { duration_ms: m.duration_ms }),
      })),
    }));
    return;
  }
  if (plan.length === 0) {
    tell(deps, t(direction === "up" ? "cli.migrate.up.nothing" : "cli.migrate.down.nothing"));
    return;
  }
  for (const m of plan) {
    if (options.dryRun) {
      // i18n-ignore: an SQL comment of the script printed (machine output)
      io.writeOut(`-- ${m.version}_${m.name} (${direction}, dry run)\n`);
      for (const statement of m.statements) io.writeOut(`${statement};\n`);
    } else {
      const done = { migration: `${m.version}_${m.name}`, ms: m.duration_ms };
      tell(deps, t(direction === "up" ? "cli.migrate.up.done" : "cli.migrate.down.done", done));
    }
  }
}
