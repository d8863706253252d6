/**
 * The use cases' own field rules, applied to one answer at a prompt (lengths,
 * emails, phones …) so that a bad answer is refused as it is typed. The one
 * place the command line reads the domain's validation schemas.
 *
 * The schemas (and zod behind them) are loaded by {@link loadChecks} only
 * when a command is about to ask something, never when the entities are
 * declared: `--help` and commands that ask nothing do not pay for them.
 * @module
 */
import { InvalidInputError } from "../../domain/errors.ts";
import { validatePassword } from "../../security/passwords.ts";

type Schemas = typeof import("../../domain/schemas/mod.ts");

let schemas: Schemas | undefined;

/** Loads the schemas the checks read; awaited before the first prompt (see `Entity.prepare`). */
export async function loadChecks(): Promise<void> {
  schemas ??= await import("../../domain/schemas/mod.ts");
}

function loaded(): Schemas {
  if (schemas === undefined) throw new Error("a field check ran before loadChecks()");
  return schemas;
}

/** A check of one field of a new user. */
export function checkUser(field: string, value: string): string | undefined {
  const s = loaded();
  return s.fieldError(s.userCreateSchema, field, value);
}

/** A check of one field of a new client. */
export function checkClient(field: string, value: string): string | undefined {
  const s = loaded();
  return s.fieldError(s.clientCreateSchema, field, value);
}

/** A check of one field of a new contract. */
export function checkContract(field: string, value: string): string | undefined {
  const s = loaded();
  return s.fieldError(s.contractCreateSchema, field, value);
}

/** A check of one field of a new event (local dates in `timeZone`). */
export function checkEvent(field: string, value: string, timeZone?: string): string | undefined {
  const s = loaded();
  return s.fieldError(s.eventCreateSchema(timeZone), field, value);
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
