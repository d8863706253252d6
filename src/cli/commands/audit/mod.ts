/** `epic-events audit list` (MANAGEMENT). @module */
import type { Command } from "@commander-js/extra-typings";
import type { Deps } from "../../command.ts";
import { addNoun } from "../../verbs.ts";
import * as list from "./list.ts";

/** Adds `audit` and its verb to `program`. */
export function registerAudit(program: Command, deps: () => Deps): void {
  addNoun(program, { name: "audit", description: "read the audit trail (MANAGEMENT)" }, [list], deps);
}
