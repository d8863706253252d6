/** Confirmation of changes that destroy data (`migrate down`, `backup restore --replace`). @module */
import { InvalidInputError } from "../../domain/errors.ts";
import type { Deps } from "../verbs/verb.ts";
import { tell } from "../output/record.ts";
import { t } from "../../i18n/mod.ts";

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
  deps: Pick<Deps, "io" | "prompter">,
  change: DestructiveChange,
  yes: boolean,
): Promise<boolean> {
  if (yes) return true;
  if (!deps.prompter.interactive) throw new InvalidInputError(change.refusal, "yes");
  const ok = await deps.prompter.confirm(change.question);
  if (!ok) tell(deps, change.cancelled ?? t("cli.confirm.cancelled"));
  return ok;
}
