/**
 * The commander program: global flags and every command of PRODUCT.md §3.
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { registerAudit } from "./commands/audit.ts";
import { registerAuth } from "./commands/auth.ts";
import { registerBackup } from "./commands/backup.ts";
import { registerClient } from "./commands/client.ts";
import { registerContract } from "./commands/contract.ts";
import { registerEvent } from "./commands/event.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerUser } from "./commands/user.ts";
import type { Runtime } from "./runtime.ts";

/** The program's version (also Sentry's release). */
export const VERSION = "0.1.0";

function fullName(command: Command<unknown[], Record<string, unknown>, Record<string, unknown>>): string {
  const names: string[] = [];
  for (
    let c: Command<unknown[], Record<string, unknown>, Record<string, unknown>> | null = command;
    c?.parent;
    c = c.parent as typeof c
  ) {
    names.unshift(c.name());
  }
  return names.join(" ");
}

/** Builds the program for one run. */
export function buildProgram(rt: Runtime): Command {
  const program = new Command()
    .name("epic-events")
    .description("Epic Events CRM: clients, contracts and events from the terminal.")
    .version(VERSION, "-V, --version")
    .option("--json", "print machine-readable JSON on stdout")
    .option("--debug", "show stack traces of unexpected errors")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => rt.io.writeOut(text),
      writeErr: (text) => rt.io.writeErr(text),
      // Errors are printed by run() in the one error format.
      outputError: () => {},
    });
  program.hook("preAction", (_root, action) => {
    rt.commandName = fullName(action as never);
  });

  registerAuth(program, rt);
  registerMigrate(program, rt);
  registerUser(program, rt);
  registerClient(program, rt);
  registerContract(program, rt);
  registerEvent(program, rt);
  registerAudit(program, rt);
  registerBackup(program, rt);
  return program as unknown as Command;
}
