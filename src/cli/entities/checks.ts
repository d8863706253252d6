/**
 * The use cases' own field rules, applied to one answer at a prompt (lengths,
 * emails, phones …) so that a bad answer is refused as it is typed. The one
 * place the command line reads the domain's validation schemas.
 * @module
 */
import {
  clientCreateSchema,
  contractCreateSchema,
  eventCreateSchema,
  fieldError,
  userCreateSchema,
} from "../../domain/schemas/mod.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import { validatePassword } from "../../security/passwords.ts";

/** A check of one field of a new user. */
export function checkUser(field: string, value: string): string | undefined {
  return fieldError(userCreateSchema, field, value);
}

/** A check of one field of a new client. */
export function checkClient(field: string, value: string): string | undefined {
  return fieldError(clientCreateSchema, field, value);
}

/** A check of one field of a new contract. */
export function checkContract(field: string, value: string): string | undefined {
  return fieldError(contractCreateSchema, field, value);
}

/** A check of one field of a new event (local dates in `timeZone`). */
export function checkEvent(field: string, value: string, timeZone?: string): string | undefined {
  return fieldError(eventCreateSchema(timeZone), field, value);
}

/** A check of a new password at its prompt (8 characters to 72 bytes). */
export function checkPassword(value: string): string | true {
  try {
    validatePassword(value);
    return true;
  } catch (error) {
    if (error instanceof InvalidInputError) return error.message.replace(/^password: /, "");
    throw error;
  }
}
