/**
 * The check of a new password at its prompt: the use case's own rule (8
 * characters to 72 bytes), so that a bad answer is refused as it is typed.
 * The other fields are checked by their entity's schema (see `entities/fields.ts`).
 * @module
 */
import { InvalidInputError } from "../../domain/errors.ts";
import { validatePassword } from "../../security/passwords.ts";

/** A check of a new password at its prompt (8 characters to 72 bytes). */
export function checkPassword(value: string): string | true {
  try {
    validatePassword(value);
    return true;
  } catch (error) {
    if (error instanceof InvalidInputError) return error.message.replace(/^password[\s\u00a0]*: /, "");
    throw error;
  }
}
