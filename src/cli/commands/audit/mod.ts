/** `epic-events audit list` (MANAGEMENT). @module */
import type { Command } from "@commander-js/extra-typings";
import { addVerb, type Deps } from "../../command.ts";
import * as list from "./list.ts";

/** Adds `audit` and its verb to `program`. */
export function registerAudit(program: Command, deps: () => Deps): void {
  const noun = program.command("audit").description("read the audit trail (MANAGEMENT)");
  addVerb(noun, list, deps);
}
