/** `epic-events migrate [status|up|down] [--to VERSION] [--dry-run]`. @module */
import { Argument, type Command } from "@commander-js/extra-typings";
import {
  applyMigrations,
  describeRevert,
  getMigrationStatus,
  type PlannedMigration,
  revertMigrations,
} from "../../services/migrations.ts";
import { confirmDestructive } from "../confirm.ts";
import { printJson, printList, printMessage } from "../output.ts";
import type { Runtime } from "../runtime.ts";

function report(rt: Runtime, plan: PlannedMigration[], direction: "up" | "down", dryRun: boolean): void {
  if (rt.json) {
    printJson(rt.io, {
      direction,
      dry_run: dryRun,
      migrations: plan.map((m) => ({
        version: m.version,
        name: m.name,
        ...(dryRun ? { statements: m.statements } : { duration_ms: m.duration_ms }),
      })),
    });
    return;
  }
  if (plan.length === 0) {
    printMessage(rt.io, rt, direction === "up" ? "Database is up to date." : "Nothing to revert.");
    return;
  }
  for (const m of plan) {
    if (dryRun) {
      rt.io.writeOut(`-- ${m.version}_${m.name} (${direction}, dry run)\n`);
      for (const statement of m.statements) rt.io.writeOut(`${statement};\n`);
    } else {
      rt.io.writeOut(`${direction === "up" ? "Applied" : "Reverted"} ${m.version}_${m.name} (${m.duration_ms} ms)\n`);
    }
  }
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * `migrate down` drops data: names what the plan drops and asks on a
 * terminal; without one it needs `--yes` (exit 2). Nothing to revert: no
 * question.
 */
async function confirmRevert(
  rt: Runtime,
  db: Parameters<typeof revertMigrations>[0],
  to: string | undefined,
  yes: boolean | undefined,
): Promise<boolean> {
  const plan = await revertMigrations(db, { to, dryRun: true });
  if (plan.length === 0) return true;
  const damage = describeRevert(plan);
  const dropped = [
    ...(damage.tables.length ? [`the table${damage.tables.length > 1 ? "s" : ""} ${list(damage.tables)}`] : []),
    ...(damage.columns.length ? [`the column${damage.columns.length > 1 ? "s" : ""} ${list(damage.columns)}`] : []),
  ];
  const what = `${list(damage.migrations)}${dropped.length ? `, dropping ${list(dropped)} with all their data` : ""}`;
  return await confirmDestructive(rt, {
    question: `Revert ${what}? This cannot be undone.`,
    refusal: `refusing to revert without confirmation (add --yes): this reverts ${what}`,
    cancelled: "Cancelled; nothing was reverted.",
  }, yes);
}

/** Registers `migrate`. */
export function registerMigrate(program: Command, rt: Runtime): void {
  program
    .command("migrate")
    .description("apply, revert or list database migrations (default: up)")
    .addArgument(
      new Argument("[action]", "status, up or down").choices(["status", "up", "down"] as const).default("up"),
    )
    .option("--to <version>", "up: apply up to VERSION; down: revert down to VERSION (0 reverts all)")
    .option("--dry-run", "print the SQL that would run and change nothing")
    .option("-y, --yes", "down: do not ask for confirmation (required without a terminal)")
    .action(async (action, opts) => {
      const db = await rt.rawDatabase();
      if (action === "status") {
        const { states, problem } = await getMigrationStatus(db);
        await printList(rt.io, rt, states, [
          { header: "VERSION", value: (s) => s.version },
          { header: "NAME", value: (s) => s.name },
          { header: "STATE", value: (s) => s.state },
          { header: "APPLIED AT", value: (s) => s.applied_at },
        ]);
        if (problem) throw problem;
        return;
      }
      const options = { to: opts.to, dryRun: opts.dryRun ?? false };
      if (action === "down" && !options.dryRun && !await confirmRevert(rt, db, options.to, opts.yes)) return;
      const plan = action === "up" ? await applyMigrations(db, options) : await revertMigrations(db, options);
      report(rt, plan, action, options.dryRun);
    });
}
