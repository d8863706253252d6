/** Confirmation of deletions and other changes that destroy data. @module */
import { InvalidInputError } from "../domain/errors.ts";
import { promptConfirm } from "./prompts.ts";
import type { Runtime } from "./runtime.ts";

/** What to ask, and what to say without a terminal. */
export interface DestructiveChange {
  /** The question asked on a terminal (default answer: no). */
  question: string;
  /** Without a terminal and without `--yes`: the exit-2 message (ends with "add --yes"). */
  refusal: string;
  /** Printed on stderr when the answer is no. */
  cancelled?: string;
}

/**
 * `--yes` confirms; otherwise asks on a terminal, and without one refuses
 * (exit 2, field `yes`). Returns false when the user says no (nothing must
 * then be changed).
 */
export async function confirmDestructive(
  rt: Runtime,
  change: DestructiveChange,
  yes: boolean | undefined,
): Promise<boolean> {
  if (yes) return true;
  if (!rt.interactive) throw new InvalidInputError(change.refusal, "yes");
  const ok = await promptConfirm(rt, change.question);
  if (!ok) rt.io.writeErr(`${change.cancelled ?? "Cancelled; nothing was changed."}\n`);
  return ok;
}
