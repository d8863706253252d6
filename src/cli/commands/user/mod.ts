/** `epic-events user …`: list, show, create, update, delete. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import type { LoadDeps } from "../../verbs/verb.ts";
import { addNoun } from "../../verbs/standard.ts";
import * as create from "./create.ts";
import * as remove from "./delete.ts";
import * as list from "./list.ts";
import * as show from "./show.ts";
import * as update from "./update.ts";

/** Adds `user` and its verbs to `program`. */
export function registerUser(program: Command, deps: LoadDeps): void {
  const noun = { name: "user", description: NOUN_DESCRIPTIONS.user };
  addNoun(program, noun, [list, show, create, update, remove], deps);
}
