/** Stand-in for commands that later work will implement. @module */
import type { Command } from "@commander-js/extra-typings";
import { InvalidInputError } from "../domain/errors.ts";

/** Adds `verbs` under `noun`, each exiting 2 with "not implemented yet". */
export function registerPlaceholders(
  program: Command,
  noun: string,
  description: string,
  verbs: ReadonlyArray<[usage: string, description: string]>,
): void {
  const parent = program.command(noun).description(description);
  for (const [usage, text] of verbs) {
    parent.command(usage).description(text).allowUnknownOption().allowExcessArguments().action(() => {
      throw new InvalidInputError(`${noun} ${usage.split(" ")[0]}: not implemented yet`);
    });
  }
}
