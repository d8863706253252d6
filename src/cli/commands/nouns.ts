/**
 * The nouns whose verbs are loaded only when the noun is used: their names
 * and the one-line descriptions `--help` lists. The program puts every noun
 * on the command line, but imports the verbs (and everything behind them) of
 * the one noun the arguments name; the others stay placeholders that only
 * show in help and in "did you mean" suggestions.
 * @module
 */

/** Name → the key of its description, in the order `--help` lists them. */
export const NOUN_DESCRIPTIONS = {
  migrate: "cli.noun.migrate",
  user: "cli.noun.user",
  client: "cli.noun.client",
  contract: "cli.noun.contract",
  event: "cli.noun.event",
  audit: "cli.noun.audit",
  import: "dayone.noun.import",
  report: "dayone.noun.report",
  calendar: "dayone.noun.calendar",
  backup: "cli.noun.backup",
} as const;

/**
 * Top-level commands that are loaded only when used, like the nouns: `init`
 * declares its flags from the contract (and so loads zod), which `--help`
 * and `whoami` never do.
 */
export const LAZY_COMMAND_DESCRIPTIONS = {
  init: "cli.command.init",
} as const;

/** A noun loaded on use. */
export type LazyNounName = keyof typeof NOUN_DESCRIPTIONS;

/** Global flags that take a value (`--format json`): what {@link nounOf} skips with them. */
const VALUED_GLOBALS = new Set(["--format", "--lang"]);

/**
 * The command `argv` runs or asks help for (`client` for `--json client list`
 * and for `help client create`), or undefined when there is none.
 */
export function nounOf(argv: readonly string[]): string | undefined {
  let helpAsked = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") return argv[i + 1];
    if (VALUED_GLOBALS.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    if (arg === "help" && !helpAsked) {
      helpAsked = true;
      continue;
    }
    return arg;
  }
  return undefined;
}
