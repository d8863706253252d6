/** `epic-events contract …`: list, show, create, update, sign, delete. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import type { LoadDeps } from "../../verbs/verb.ts";
import { addNoun } from "../../verbs/standard.ts";
import * as create from "./create.ts";
import * as remove from "./delete.ts";
import * as list from "./list.ts";
import * as show from "./show.ts";
import * as sign from "./sign.ts";
import * as update from "./update.ts";

/** Adds `contract` and its verbs to `program`. */
export function registerContract(program: Command, deps: LoadDeps): void {
  const verbs = [list, show, create, update, sign, remove];
  addNoun(program, { name: "contract", description: NOUN_DESCRIPTIONS.contract }, verbs, deps);
}
