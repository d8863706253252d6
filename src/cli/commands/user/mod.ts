/** `epic-events user …`: list, show, create, update, delete. @module */
import type { Command } from "@commander-js/extra-typings";
import { addVerb, type Deps } from "../../command.ts";
import * as create from "./create.ts";
import * as remove from "./delete.ts";
import * as list from "./list.ts";
import * as show from "./show.ts";
import * as update from "./update.ts";

/** Adds `user` and its verbs to `program`. */
export function registerUser(program: Command, deps: () => Deps): void {
  const noun = program.command("user").description("manage collaborators (changes: MANAGEMENT)");
  addVerb(noun, list, deps);
  addVerb(noun, show, deps);
  addVerb(noun, create, deps);
  addVerb(noun, update, deps);
  addVerb(noun, remove, deps);
}
