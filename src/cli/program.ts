/**
 * The commander program: global flags and every command of PRODUCT.md §3.
 * Each noun's verbs live in `commands/<noun>/<verb>.ts`, put together by the
 * noun's `mod.ts`.
 * @module
 */
import { Command, Option } from "@commander-js/extra-typings";
import { InvalidInputError } from "../domain/errors.ts";
import { registerAudit } from "./commands/audit/mod.ts";
import { registerAuth } from "./commands/auth.ts";
import { registerBackup } from "./commands/backup.ts";
import { registerClient } from "./commands/client/mod.ts";
import { registerContract } from "./commands/contract/mod.ts";
import { registerEvent } from "./commands/event/mod.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerUser } from "./commands/user/mod.ts";
import { commandPath, type Deps } from "./command.ts";
import { FORMATS } from "./format.ts";
import type { Runtime } from "./runtime.ts";
import { VERSION } from "./version.ts";

export { VERSION };

type AnyCommand = Command<unknown[], Record<string, unknown>, Record<string, unknown>>;

/** `epic-events help client create`: the help of any command, by its path. */
function addHelpCommand(program: AnyCommand): void {
  program.helpCommand(false);
  program.command("help").description("show the help of a command, e.g. `help client create`")
    .argument("[command...]", "the command")
    .action((path: string[]) => {
      let target: AnyCommand = program;
      for (const name of path) {
        const next = target.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next) {
          const where = commandPath(target);
          throw new InvalidInputError(
            `unknown command '${[...(where ? [where] : []), name].join(" ")}': see \`epic-events --help\``,
          );
        }
        target = next as AnyCommand;
      }
      target.outputHelp();
    });
}

/** Builds the program for one run. */
export function buildProgram(rt: Runtime): Command {
  const program = new Command()
    .name("epic-events")
    .description("Epic Events CRM: clients, contracts and events from the terminal.")
    .version(VERSION, "-V, --version")
    .option("--json", "print machine-readable JSON on stdout (short for --format json)")
    .addOption(
      new Option(
        "--format <format>",
        `output of lists and records: ${FORMATS.join(", ")} (default: table on a terminal, tsv when piped)`,
      ),
    )
    .option("--debug", "show stack traces of unexpected errors")
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => rt.io.writeOut(text),
      writeErr: (text) => rt.io.writeErr(text),
      // Errors are printed by run() in the one error format.
      outputError: () => {},
    });
  // The port, the services and the database behind it are loaded when a
  // command is about to run, never for --help.
  let runtimeDeps: typeof import("./prompter.ts").runtimeDeps | undefined;
  program.hook("preAction", async (_root, action) => {
    rt.commandName = commandPath(action);
    if (action.name() !== "help" || action.parent !== program) ({ runtimeDeps } = await import("./prompter.ts"));
  });

  const deps = (): Deps => runtimeDeps!(rt);
  registerAuth(program, rt);
  registerMigrate(program, rt);
  registerUser(program, deps);
  registerClient(program, deps);
  registerContract(program, deps);
  registerEvent(program, deps);
  registerAudit(program, deps);
  registerBackup(program, rt);
  addHelpCommand(program as unknown as AnyCommand);
  return program as unknown as Command;
}
