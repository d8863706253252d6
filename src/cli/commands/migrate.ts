/** `epic-events migrate [status|up|down] [--to VERSION] [--dry-run]`. @module */
import { Argument, type Command } from "@commander-js/extra-typings";
import {
  applyMigrations,
  getMigrationStatus,
  type PlannedMigration,
  revertMigrations,
} from "../../services/migrations.ts";
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
      const plan = action === "up" ? await applyMigrations(db, options) : await revertMigrations(db, options);
      report(rt, plan, action, options.dryRun);
    });
}
