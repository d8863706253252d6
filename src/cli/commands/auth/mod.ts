/** `epic-events init | login | logout | whoami`: setting up, and who is logged in. @module */
import type { Command } from "@commander-js/extra-typings";
import { addVerb, type LoadDeps } from "../../command.ts";
import type { OperatorDeps } from "../../operator.ts";
import * as init from "./init.ts";
import * as login from "./login.ts";
import * as logout from "./logout.ts";
import * as whoami from "./whoami.ts";

/** Adds `init` (an operator command), `login`, `logout` and `whoami` to `program`. */
export function registerAuth(program: Command, deps: LoadDeps, operatorDeps: LoadDeps<OperatorDeps>): void {
  addVerb(program, init, operatorDeps);
  addVerb(program, login, deps);
  addVerb(program, logout, deps);
  addVerb(program, whoami, deps);
}
