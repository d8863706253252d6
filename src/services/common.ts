/**
 * Pieces every CRM service shares: turning constraint violations into user
 * errors, and checking that a referenced collaborator has the right role.
 * @module
 */
import { ConflictError, InvalidInputError, NotFoundError } from "../domain/errors.ts";
import type { Role } from "../domain/roles.ts";
import { ConstraintViolation } from "../db/constraint_error.ts";
import type { Queryable } from "../db/database.ts";
import { findUserById, type User } from "../repositories/users.ts";

/** Rethrows a constraint violation as the error a user understands. */
export function constraintError(error: unknown, entity: string): never {
  if (error instanceof ConstraintViolation) {
    if (error.kind === "unique") throw new ConflictError(`email: a ${entity} with this email already exists`, "email");
    if (error.kind === "foreign_key") {
      throw new ConflictError(`The ${entity} is referenced by other records, or refers to one that no longer exists.`);
    }
    if (error.kind === "check") throw new InvalidInputError(`A value of the ${entity} is out of range.`);
  }
  throw error;
}

/** Loads a collaborator that must exist (exit 5) and have `role` (exit 2 naming `field`). */
export async function requireUserWithRole(db: Queryable, id: number, role: Role, field: string): Promise<User> {
  const user = await findUserById(db, id);
  if (!user) throw new NotFoundError("User", id);
  if (user.role !== role) {
    throw new InvalidInputError(`${field}: user ${id} is ${user.role}, not ${role}`, field);
  }
  return user;
}

/** A list page with the total count before paging. */
export interface Page<T> {
  rows: T[];
  total: number;
}
