/**
 * The commander program: global flags and every command of PRODUCT.md §3.
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { registerAuth } from "./commands/auth.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerUser } from "./commands/user.ts";
import { registerPlaceholders } from "./placeholder.ts";
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
  registerPlaceholders(program, "client", "manage clients", [
    ["list", "list clients [--mine] [--search TEXT]"],
    ["show <id>", "show one client"],
    ["create", "create a client"],
    ["update <id>", "update a client"],
    ["delete <id>", "delete a client (MANAGEMENT)"],
  ]);
  registerPlaceholders(program, "contract", "manage contracts", [
    ["list", "list contracts [--mine] [--unsigned] [--unpaid] [--client ID]"],
    ["show <id>", "show one contract"],
    ["create", "create a contract --client ID --total AMOUNT [--due AMOUNT]"],
    ["update <id>", "update a contract"],
    ["sign <id>", "sign a contract"],
    ["delete <id>", "delete a contract (MANAGEMENT)"],
  ]);
  registerPlaceholders(program, "event", "manage events", [
    ["list", "list events [--mine] [--unassigned] [--upcoming] [--contract ID]"],
    ["show <id>", "show one event"],
    ["create", "create an event --contract ID ..."],
    ["update <id>", "update an event"],
    ["assign <id>", "assign a support contact --support USER_ID (MANAGEMENT)"],
    ["delete <id>", "delete an event (MANAGEMENT)"],
  ]);
  registerPlaceholders(program, "audit", "read the audit trail (MANAGEMENT)", [
    ["list", "list audit entries [--entity NAME] [--id ID] [--actor USER_ID] [--since DATE]"],
  ]);
  return program as unknown as Command;
}
