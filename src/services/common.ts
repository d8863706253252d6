/**
 * Pieces every CRM service shares: turning constraint violations into user
 * errors, and checking that a referenced collaborator has the right role.
 * @module
 */
import { ConflictError, InvalidInputError, NotFoundError } from "../domain/errors.ts";
import type { Role } from "../domain/roles.ts";
import { type ErrorKey, msg } from "../domain/messages.ts";
import { roleName } from "../domain/policy.ts";
import { ConstraintViolation } from "../db/constraint_error.ts";
import type { Queryable } from "../db/database.ts";
import { findUserForShare, lockUsersShared, type User } from "../repositories/users.ts";
import type { JsonRow } from "../repositories/json_text.ts";
import { batched, batchesOf } from "../domain/batches.ts";

/** The records a constraint may be about, as named in messages. */
const ENTITIES = {
  client: "errors.entity.client",
  collaborator: "errors.entity.collaborator",
  contract: "errors.entity.contract",
  event: "errors.entity.event",
} as const satisfies Readonly<Record<string, ErrorKey>>;

/** Rethrows a constraint violation as the error a user understands. */
export function constraintError(error: unknown, entity: keyof typeof ENTITIES): never {
  if (error instanceof ConstraintViolation) {
    const name = msg(ENTITIES[entity]);
    if (error.kind === "unique") {
      throw new ConflictError(msg("errors.constraint.unique_email", { entity: name }), "email");
    }
    if (error.kind === "foreign_key") throw new ConflictError(msg("errors.constraint.foreign_key", { entity: name }));
    if (error.kind === "check") throw new InvalidInputError(msg("errors.constraint.check", { entity: name }));
  }
  throw error;
}

/**
 * Loads a collaborator that must exist (exit 5) and have `role` (exit 2
 * naming `field`), share-locking the row (PostgreSQL) so that their role
 * cannot change and they cannot be deleted before the transaction ends.
 * Collaborators are locked before clients, contracts and events
 * (docs/concurrency.md): call it before locking those.
 */
export async function requireUserWithRole(db: Queryable, id: number, role: Role, field: string): Promise<User> {
  return checkUserRole(await findUserForShare(db, id), { id, role, field });
}

/** Share-locks a collaborator (see {@link requireUserWithRole}) without checking yet. */
export function lockUserShared(db: Queryable, id: number): Promise<User | undefined> {
  return findUserForShare(db, id);
}

/** Share-locks several collaborators in id order; returns them by id (missing ones absent). */
export async function lockUsersSharedById(db: Queryable, ids: readonly number[]): Promise<Map<number, User>> {
  return new Map((await lockUsersShared(db, ids)).map((u) => [u.id, u]));
}

/** Checks a collaborator loaded by {@link lockUserShared}: exists (exit 5), has `role` (exit 2). */
export function checkUserRole(
  user: User | undefined,
  expected: { id: number; role: Role; field: string },
): User {
  if (!user) throw new NotFoundError("User", expected.id);
  if (user.role !== expected.role) {
    throw new InvalidInputError(
      msg("errors.user.wrong_role", {
        field: expected.field,
        id: expected.id,
        role: roleName(user.role),
        expected: roleName(expected.role),
      }),
      expected.field,
    );
  }
  return user;
}

/**
 * The rows of a list, streamed from the database in id order: a list function
 * checks the caller and the filters when it is called, before any row is read;
 * the query runs as the rows are iterated, and ending the loop early ends it.
 * No total is counted (a caller that wants to know whether more rows exist
 * asks for one row more than it shows).
 */
export type Rows<T> = AsyncIterable<T>;

/** The first byte of an element's JSON text (`{`): any other starts the id of a row without one. */
const OPEN_BRACE = 0x7b;
const decoder = new TextDecoder();

/**
 * A list read as JSON text (see `recordJsonSql`): each row's text as the
 * database built it (its UTF-8 bytes), or, for a row it could not (a value
 * without an exact text in SQL, which the program never writes itself), its
 * row read by `find` and printed from its record (`toRecord`) — left out when it was
 * deleted since the list's query began (as a list begun a moment later would
 * not show it), rather than ending the list halfway. Still streamed, batch by
 * batch.
 */
export function jsonOrRecords<T, R>(
  rows: AsyncIterable<JsonRow>,
  find: (id: number) => Promise<T | undefined>,
  toRecord: (row: T) => R,
): Rows<Uint8Array | R> {
  return batched(async function* () {
    const batches = batchesOf(rows);
    try {
      for (;;) {
        const next = await batches.next();
        if (next.done) return;
        const batch = next.value;
        const out: (Uint8Array | R)[] = [];
        for (let i = 0; i < batch.length; i++) {
          const text = batch[i][0];
          if (text[0] === OPEN_BRACE) {
            out.push(text);
            continue;
          }
          const found = await find(Number(decoder.decode(text)));
          if (found !== undefined) out.push(toRecord(found));
        }
        if (out.length > 0) yield out;
      }
    } finally {
      await batches.return?.();
    }
  });
}
