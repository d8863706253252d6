/**
 * The commander program: global flags and every command of PRODUCT.md §3.
 * Each noun's verbs live in `commands/<noun>/<verb>.ts`, put together by the
 * noun's `mod.ts`.
 * @module
 */
import { Command, Option } from "@commander-js/extra-typings";
import { InvalidInputError } from "../../domain/errors.ts";
import { registerAuth } from "../commands/auth/mod.ts";
import { registerCompletions } from "../commands/completions/mod.ts";
import { LAZY_COMMAND_DESCRIPTIONS, type LazyNounName, NOUN_DESCRIPTIONS, nounOf } from "../commands/nouns.ts";
import { registerServe } from "../commands/serve.ts";
import { addVerb, commandPath, type Deps } from "../verbs/verb.ts";
import { FORMATS } from "../output/formats.ts";
import { t } from "../../i18n/mod.ts";
import type { OperatorDeps } from "../operator/deps.ts";
import type { Runtime } from "./runtime.ts";
import { VERSION } from "./version.ts";
import { helpWidthOf } from "./top_help.ts";

export { VERSION };

type AnyCommand = Command<unknown[], Record<string, unknown>, Record<string, unknown>>;

/** `epic-events help client create`: the help of any command, by its path. */
function addHelpCommand(program: AnyCommand): void {
  program.helpCommand(false);
  program.command("help").description(t("cli.program.help_command"))
    .argument("[command...]", t("cli.program.help_command_argument"))
    .action((path: string[]) => {
      let target: AnyCommand = program;
      for (const name of path) {
        const next = target.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next) {
          const where = commandPath(target);
          throw new InvalidInputError(
            t("cli.program.unknown_command", { command: [...(where ? [where] : []), name].join(" ") }),
          );
        }
        target = next as AnyCommand;
      }
      target.outputHelp();
    });
}

/** The keys of the titles commander writes in help, by their English text. */
const HELP_TITLES: Readonly<Record<string, string>> = {
  "Usage:": "cli.help.title.usage",
  "Arguments:": "cli.help.title.arguments",
  "Options:": "cli.help.title.options",
  "Global Options:": "cli.help.title.global_options",
  "Commands:": "cli.help.title.commands",
};

/** A title of commander's help (`Usage:` …) in the language in use. */
function helpTitle(title: string): string {
  const key = HELP_TITLES[title];
  return key ? t(key) : title;
}

/**
 * `--password` on any command: refused at once (exit 2), before anything is
 * read or asked — a password given as a flag's value shows in the shell's
 * history and in the list of processes. Hidden from help and completion.
 */
function passwordTrap(): Option {
  return new Option("--password [password]").hideHelp().preset("").argParser(() => {
    throw new InvalidInputError(t("cli.program.password_flag"), "password");
  });
}

/**
 * Builds the program for one run of `argv`: every command, but with the verbs
 * of only the noun `argv` names (all of them without `argv`).
 */
export async function buildProgram(rt: Runtime, argv?: readonly string[]): Promise<Command> {
  const program = new Command()
    .name("epic-events")
    .description(t("cli.program.description"))
    .version(VERSION, "-V, --version", t("cli.program.version"))
    .helpOption("-h, --help", t("cli.program.help"))
    // The `help` command nouns with verbs get (the program's own is `help <command…>`, below).
    .helpCommand("help [command]", t("cli.program.help"))
    .option("--json", t("cli.program.json"))
    .addOption(new Option("--format <format>", t("cli.program.format", { formats: FORMATS.join(", ") })))
    .option("--debug", t("cli.program.debug"))
    // Read by the Runtime before the program is built (tables fit the terminal unless given).
    .option("--wide", t("tables.wideHelp"))
    // Read before the program is built (src/domain/lang.ts); declared here for help and the parser.
    .addOption(new Option("--lang <lang>", t("cli.program.lang")))
    .addOption(passwordTrap())
    .showSuggestionAfterError(true)
    // Commander's own words ("Usage:", "Options:" …) in the language in use.
    .configureHelp({ showGlobalOptions: true, styleTitle: helpTitle })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => rt.io.writeOut(text),
      writeErr: (text) => rt.io.writeErr(text),
      // The width of the injected stdout (commander would ask the process's own), as the quick `--help` does.
      getOutHelpWidth: () => helpWidthOf(rt.io),
      // Errors are printed by run() in the one error format.
      outputError: () => {},
    });
  program.hook("preAction", (_root, action) => {
    rt.commandName = commandPath(action);
  });
  // The port, the services and the database behind it are loaded when a
  // command is about to run (its flags read), never for --help; an operator
  // command loads the operator's port only, the others the CRM's.
  const deps = async (): Promise<Deps> => (await import("./deps.ts")).runtimeDeps(rt);
  const operatorDeps = async (): Promise<OperatorDeps> =>
    (await import("../operator/runtime.ts")).runtimeOperatorDeps(rt, VERSION);
  // Only the command the arguments name is loaded (every one for
  // completions, which lists them all); the others are placeholders for help
  // and suggestions.
  const wanted = argv === undefined ? "all" : nounOf(argv);
  const loads = (name: string) => wanted === "all" || wanted === "completions" || wanted === name;
  if (loads("init")) addVerb(program, await import("../commands/auth/init.ts"), operatorDeps);
  // The placeholder lists as the real one does (`init [options]`): a hidden option stands for its flags.
  else {program.command("init").description(t(LAZY_COMMAND_DESCRIPTIONS.init)).addOption(
      new Option("--flags").hideHelp(),
    );}
  registerAuth(program, deps);
  const loaders: Record<LazyNounName, () => Promise<void>> = {
    migrate: async () => (await import("../commands/migrate/mod.ts")).registerMigrate(program, operatorDeps),
    user: async () => (await import("../commands/user/mod.ts")).registerUser(program, deps),
    client: async () => (await import("../commands/client/mod.ts")).registerClient(program, deps),
    contract: async () => (await import("../commands/contract/mod.ts")).registerContract(program, deps),
    event: async () => (await import("../commands/event/mod.ts")).registerEvent(program, deps),
    audit: async () => (await import("../commands/audit/mod.ts")).registerAudit(program, deps),
    import: async () => (await import("../commands/import/mod.ts")).registerImport(program, deps),
    report: async () => (await import("../commands/report/mod.ts")).registerReport(program, deps),
    calendar: async () => (await import("../commands/calendar/mod.ts")).registerCalendar(program, deps),
    backup: async () => (await import("../commands/backup/mod.ts")).registerBackup(program, operatorDeps),
  };
  for (const [name, load] of Object.entries(loaders)) {
    if (loads(name)) await load();
    else program.command(name).description(t(NOUN_DESCRIPTIONS[name as LazyNounName]));
  }
  registerCompletions(program, () => ({ io: rt.io }));
  registerServe(program, rt);
  addHelpCommand(program as unknown as AnyCommand);
  return program as unknown as Command;
}
