/**
 * `epic-events completions bash|zsh|fish`: prints a shell completion script
 * for every command, flag and enumerated value, read from the program itself
 * (see `tree.ts`), so it never lags behind the commands.
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { InvalidInputError } from "../../../domain/errors.ts";
import { addVerb, type Deps, type Verb, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { completionScript } from "./scripts.ts";
import { completionTree, type Shell, SHELLS } from "./tree.ts";
import { t } from "../../../i18n/mod.ts";

/** Options of `completions`. */
export interface CompletionsOptions {
  shell: Shell;
}

/** What `completions --help` shows. */
export const spec: VerbSpec = {
  name: "completions",
  summary: "cli.completions.summary",
  args: [{ name: "shell", help: "cli.completions.shell", helpValues: { shells: SHELLS.join(", ") } }],
  flags: [],
  examples: "cli.completions.examples",
  env: [],
};

/** Reads `<shell>` (any case). */
export function parse(input: VerbInput): CompletionsOptions {
  const shell = input.args[0].trim().toLowerCase();
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new InvalidInputError(t("cli.completions.unknown_shell", { shells: SHELLS.join(", ") }), "shell");
  }
  return { shell: shell as Shell };
}

/** The `completions` command of `program` (whose tree it reads when run). */
export function completionsVerb(program: () => Command): Verb<CompletionsOptions, Pick<Deps, "io">> {
  return {
    spec,
    parse,
    run: (options, deps) => {
      deps.io.writeOut(completionScript(options.shell, completionTree(program())));
      return Promise.resolve();
    },
  };
}

/** Adds `completions` to `program`. */
export function registerCompletions(program: Command, deps: () => Pick<Deps, "io">): void {
  addVerb(program, completionsVerb(() => program), deps);
}
