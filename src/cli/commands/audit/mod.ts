/** `epic-events audit list` (MANAGEMENT). @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import type { LoadDeps } from "../../verbs/verb.ts";
import { addNoun } from "../../verbs/standard.ts";
import * as list from "./list.ts";

/** Adds `audit` and its verb to `program`. */
export function registerAudit(program: Command, deps: LoadDeps): void {
  addNoun(program, { name: "audit", description: NOUN_DESCRIPTIONS.audit }, [list], deps);
}
