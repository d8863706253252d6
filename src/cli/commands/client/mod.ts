/** `epic-events client …`: list, show, create, update, delete. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import type { LoadDeps } from "../../verbs/verb.ts";
import { addNoun } from "../../verbs/standard.ts";
import * as create from "./create.ts";
import * as remove from "./delete.ts";
import * as list from "./list.ts";
import * as show from "./show.ts";
import * as update from "./update.ts";

/** Adds `client` and its verbs to `program`. */
export function registerClient(program: Command, deps: LoadDeps): void {
  addNoun(
    program,
    { name: "client", description: NOUN_DESCRIPTIONS.client },
    [list, show, create, update, remove],
    deps,
  );
}
