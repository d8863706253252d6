/** `epic-events migrate [status|up|down]`: a bare `migrate` is `migrate up`. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import { InvalidInputError } from "../../../domain/errors.ts";
import { addVerb, examplesOf, type LoadDeps, type Verb } from "../../verbs/verb.ts";
import { t } from "../../../i18n/mod.ts";
import type { OperatorDeps } from "../../operator/deps.ts";
import * as down from "./down.ts";
import * as status from "./status.ts";
import * as up from "./up.ts";

/** Adds `migrate` and its verbs to `program`. */
export function registerMigrate(program: Command, deps: LoadDeps<OperatorDeps>): void {
  const migrate = program.command("migrate").description(t(NOUN_DESCRIPTIONS.migrate));
  const examples = examplesOf({ examples: "cli.migrate.examples" }).map((e) => `  $ epic-events ${e}`);
  migrate.addHelpText("after", ["", t("cli.help.examples"), ...examples].join("\n"));
  const verbs: Verb<unknown, OperatorDeps>[] = [status, up, down];
  for (const verb of verbs) addVerb(migrate, verb, deps, { isDefault: verb === up });
  // `migrate sideways` would otherwise reach `up` as an argument it does not take.
  migrate.hook("preSubcommand", (noun, verb) => {
    const [first] = noun.args;
    if (first !== undefined && !first.startsWith("-") && first !== verb.name()) {
      const names = verbs.map((v) => v.spec.name).join(", ");
      throw new InvalidInputError(t("cli.migrate.unknown_verb", { verb: first, verbs: names }));
    }
  });
}
