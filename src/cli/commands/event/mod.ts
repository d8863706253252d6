/** `epic-events event …`: list, show, create, update, assign, delete. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import type { LoadDeps } from "../../verbs/verb.ts";
import { addNoun } from "../../verbs/standard.ts";
import * as assign from "./assign.ts";
import * as create from "./create.ts";
import * as remove from "./delete.ts";
import * as list from "./list.ts";
import * as show from "./show.ts";
import * as update from "./update.ts";

/** Adds `event` and its verbs to `program`. */
export function registerEvent(program: Command, deps: LoadDeps): void {
  const verbs = [list, show, create, update, assign, remove];
  addNoun(program, { name: "event", description: NOUN_DESCRIPTIONS.event }, verbs, deps);
}
