/**
 * `epic-events login | logout | whoami`: who is logged in. (`init`, which
 * sets up, is loaded on use: see `app/program.ts`.)
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { addVerb, type LoadDeps } from "../../verbs/verb.ts";
import * as login from "./login.ts";
import * as logout from "./logout.ts";
import * as whoami from "./whoami.ts";

/** Adds `login`, `logout` and `whoami` to `program`. */
export function registerAuth(program: Command, deps: LoadDeps): void {
  addVerb(program, login, deps);
  addVerb(program, logout, deps);
  addVerb(program, whoami, deps);
}
