/** `epic-events client …`: list, show, create, update, delete. @module */
import type { Command } from "@commander-js/extra-typings";
import { addVerb, type Deps } from "../../command.ts";
import * as create from "./create.ts";
import * as remove from "./delete.ts";
import * as list from "./list.ts";
import * as show from "./show.ts";
import * as update from "./update.ts";

/** Adds `client` and its verbs to `program`. */
export function registerClient(program: Command, deps: () => Deps): void {
  const noun = program.command("client").description("manage clients");
  addVerb(noun, list, deps);
  addVerb(noun, show, deps);
  addVerb(noun, create, deps);
  addVerb(noun, update, deps);
  addVerb(noun, remove, deps);
}
