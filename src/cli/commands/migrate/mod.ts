/** `epic-events migrate [status|up|down]`: a bare `migrate` is `migrate up`. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import { InvalidInputError } from "../../../domain/errors.ts";
import { addVerb, type LoadDeps, type Verb } from "../../verbs/verb.ts";
import type { OperatorDeps } from "../../operator/deps.ts";
import * as down from "./down.ts";
import * as status from "./status.ts";
import * as up from "./up.ts";

const EXAMPLES = [
  "migrate                    # the same as migrate up",
  "migrate status",
  "migrate up --to 2 --dry-run",
  "migrate down --to 0 --yes  # revert every migration",
];

/** Adds `migrate` and its verbs to `program`. */
export function registerMigrate(program: Command, deps: LoadDeps<OperatorDeps>): void {
  const migrate = program.command("migrate").description(NOUN_DESCRIPTIONS.migrate);
  migrate.addHelpText("after", ["", "Examples:", ...EXAMPLES.map((e) => `  $ epic-events ${e}`)].join("\n"));
  const verbs: Verb<unknown, OperatorDeps>[] = [status, up, down];
  for (const verb of verbs) addVerb(migrate, verb, deps, { isDefault: verb === up });
  // `migrate sideways` would otherwise reach `up` as an argument it does not take.
  migrate.hook("preSubcommand", (noun, verb) => {
    const [first] = noun.args;
    if (first !== undefined && !first.startsWith("-") && first !== verb.name()) {
      const names = verbs.map((v) => v.spec.name).join(", ");
      throw new InvalidInputError(`unknown command 'migrate ${first}': use one of ${names}`);
    }
  });
}
