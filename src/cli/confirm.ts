/** Confirmation of deletions. @module */
import { InvalidInputError } from "../domain/errors.ts";
import { promptConfirm } from "./prompts.ts";
import type { Runtime } from "./runtime.ts";

/**
 * `--yes` confirms; otherwise asks on a terminal, and without one refuses
 * (exit 2). Returns false when the user says no (nothing is deleted).
 */
export async function confirmDeletion(rt: Runtime, what: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!rt.interactive) {
    throw new InvalidInputError(`refusing to delete ${what} without confirmation: add --yes`, "yes");
  }
  const ok = await promptConfirm(rt, `Delete ${what}? This cannot be undone.`);
  if (!ok) rt.io.writeErr("Cancelled; nothing was deleted.\n");
  return ok;
}
