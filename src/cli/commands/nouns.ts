/**
 * The nouns whose verbs are loaded only when the noun is used: their names
 * and the one-line descriptions `--help` lists. The program puts every noun
 * on the command line, but imports the verbs (and everything behind them) of
 * the one noun the arguments name; the others stay placeholders that only
 * show in help and in "did you mean" suggestions.
 * @module
 */

import { t } from "../../i18n/mod.ts";

/** Name → description, in the order `--help` lists them. */
export const NOUN_DESCRIPTIONS = {
  migrate: "apply, revert or list database migrations (operators: runs on DATABASE_URL, no login; default: up)",
  user: "manage collaborators (changes: MANAGEMENT)",
  client: "manage clients",
  contract: "manage contracts",
  event: "manage events",
  audit: "read the audit trail (MANAGEMENT)",
  // Read when help is built, in the language of the run (the catalogs are loaded first).
  get import(): string {
    return t("dayone.noun.import");
  },
  get report(): string {
    return t("dayone.noun.report");
  },
  get calendar(): string {
    return t("dayone.noun.calendar");
  },
  backup: "create, check, prune and restore backups (operators: runs on DATABASE_URL, no login)",
} as const;

/**
 * Top-level commands that are loaded only when used, like the nouns: `init`
 * declares its flags from the contract (and so loads zod), which `--help`
 * and `whoami` never do.
 */
export const LAZY_COMMAND_DESCRIPTIONS = {
  init: "migrate the database and create the first MANAGEMENT collaborator (refused once any user exists)",
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
