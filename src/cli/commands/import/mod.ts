/** `epic-events import clients|contracts|events FILE`. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import type { LoadDeps } from "../../verbs/verb.ts";
import { addNoun } from "../../verbs/standard.ts";
import { importVerb } from "./file.ts";

/** Adds `import` and its verbs to `program`. */
export function registerImport(program: Command, deps: LoadDeps): void {
  const verbs = [importVerb("clients"), importVerb("contracts"), importVerb("events")];
  addNoun(program, { name: "import", description: NOUN_DESCRIPTIONS.import }, verbs, deps);
}
