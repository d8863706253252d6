/**
 * Collaborators: list, show, create, update, delete (writes: MANAGEMENT).
 * @module
 */
import {
  ConflictError,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
} from "../domain/errors.ts";
import { type Message, msg } from "../domain/messages.ts";
import type { AnswerOf, InputOf } from "../contract/operations.ts";
import {
  type UserCreateInput,
  userCreateSchema,
  userDeleteSchema,
  userListSchema,
  type UserUpdateOutput,
  userUpdateSchema,
} from "../contract/users.ts";
import { type Action, authorize, roleCannot, roleName } from "../domain/policy.ts";
import { parseId, parseInput } from "../domain/schemas/mod.ts";
import { constraintError, type Rows } from "./common.ts";
import type { Queryable } from "../db/database.ts";
import {
  countUsers,
  deleteUser as deleteUserRow,
  findUserById,
  insertUser,
  listUsers as listUserRows,
  type LockedUser,
  lockUsers,
  lockUsersTable,
  type Ownership,
  ownershipOf,
  transferOwnership,
  updateUser as updateUserRow,
  type User,
} from "../repositories/users.ts";
import { transaction } from "../repositories/sql.ts";
import { hashPassword, validatePassword } from "../security/passwords.ts";
import { diff, recordAudit } from "./audit.ts";
import type { ServiceContext } from "./context.ts";
import { dryRunIf } from "./dry_run.ts";
import { requireActor } from "./session.ts";

export type { User };

/** What `init` gives {@link createFirstManager}: a collaborator without a role (it is MANAGEMENT). */
export type FirstManagerInput = Omit<UserCreateInput, "role">;

function duplicateEmail(error: unknown): never {
  constraintError(error, "collaborator");
}

async function mustFind(db: Queryable, id: number): Promise<User> {
  const user = await findUserById(db, id);
  if (!user) throw new NotFoundError("User", id);
  return user;
}

function describeOwnership(o: Ownership): Message {
  return msg("errors.user.ownership", { clients: o.clients, contracts: o.contracts, events: o.events });
}

function ownsSomething(o: Ownership): boolean {
  return o.clients + o.contracts + o.events > 0;
}

/**
 * Re-checks, under the row locks of the transaction, that the acting manager
 * still exists and is still MANAGEMENT: a manager demoted or deleted by a
 * concurrent command cannot go on acting as one.
 */
function assertStillManager(locked: readonly LockedUser[], actorId: number, what: Action): void {
  const actor = locked.find((u) => u.id === actorId);
  if (!actor) throw new NotAuthenticatedError(msg("errors.session.account_gone"));
  if (actor.role !== "MANAGEMENT") throw new PermissionDeniedError(roleCannot(actor.role, what));
}

function managerCount(db: Queryable): Promise<number> {
  return countUsers(db, "MANAGEMENT");
}

/** Every collaborator, by id (any authenticated collaborator; checked when called). */
export function listUsers(ctx: ServiceContext, input: InputOf<"listUsers">): Rows<User> {
  requireActor(ctx);
  const { role, limit, offset } = parseInput(userListSchema, input);
  return listUserRows(ctx.db, { role, limit, offset });
}

/** One collaborator (any authenticated collaborator). */
export function getUser(ctx: ServiceContext, input: InputOf<"getUser">): Promise<User> {
  requireActor(ctx);
  return mustFind(ctx.db, parseId(input.id));
}

/** Hashes a password after checking its length (8–72 bytes). */
async function hashChecked(password: string, rounds: number): Promise<string> {
  validatePassword(password);
  return await hashPassword(password, rounds);
}

async function insertWithAudit(
  tx: Queryable,
  ctx: ServiceContext,
  data: ReturnType<typeof userCreateSchema.parse>,
  passwordHash: string,
): Promise<User> {
  const user = await insertUser(tx, {
    first_name: data.first_name,
    last_name: data.last_name,
    email: data.email,
    phone: data.phone ?? null,
    role: data.role,
    password_hash: passwordHash,
    now: ctx.now().toISOString(),
  }).catch(duplicateEmail);
  const { id: _id, created_at: _c, updated_at: _u, ...fields } = user;
  await recordAudit(tx, ctx, {
    action: "user.created",
    entity: "user",
    entityId: user.id,
    changes: diff(null, { ...fields, password: "set" }),
    actorId: ctx.actor?.id ?? user.id,
  });
  return user;
}

/**
 * Hashes the password and inserts the collaborator with its audit entry
 * (`first`: only into a database without any collaborator, exit 6
 * otherwise), then reports the creation.
 */
async function addUser(
  ctx: ServiceContext,
  data: ReturnType<typeof userCreateSchema.parse>,
  password: string,
  options: { first: boolean },
): Promise<User> {
  const hash = await hashChecked(password, ctx.bcryptRounds);
  const user = await transaction(ctx.db, async (tx) => {
    if (options.first) {
      await lockUsersTable(tx);
      const existing = await countUsers(tx);
      if (existing > 0) {
        throw new ConflictError(msg("errors.user.already_initialised", { count: existing }));
      }
    }
    return await insertWithAudit(tx, ctx, data, hash);
  });
  ctx.reporter.businessEvent({
    action: "user.created",
    actorId: ctx.actor?.id ?? user.id,
    entity: "user",
    entityId: user.id,
    changedFields: ["first_name", "last_name", "email", "phone", "role", "password"],
  });
  return user;
}

/** Creates a collaborator (MANAGEMENT). */
export async function createUser(ctx: ServiceContext, input: InputOf<"createUser">): Promise<User> {
  authorize(requireActor(ctx), "user.create");
  const { password, ...fields } = input;
  return await addUser(ctx, parseInput(userCreateSchema, fields), password, { first: false });
}

/**
 * `init`: creates the first MANAGEMENT user of an empty database. Refused
 * (exit 6) once any collaborator exists.
 */
export async function createFirstManager(
  ctx: ServiceContext,
  input: FirstManagerInput,
  password: string,
): Promise<User> {
  const data = parseInput(userCreateSchema, { ...input, role: "MANAGEMENT" } satisfies UserCreateInput);
  return await addUser(ctx, data, password, { first: true });
}

/**
 * Updates a collaborator (MANAGEMENT); only the given fields change. A new
 * password or a new role ends every session of that collaborator issued
 * before it. An update that changes nothing writes nothing (no audit entry,
 * `updated_at` kept, nothing reported).
 *
 * Concurrency: the rows of the collaborator and of the acting manager — and,
 * for a role change, of every manager — are locked in id order before
 * anything is checked, so two managers demoting each other cannot both
 * succeed, and a collaborator being made someone's contact (share lock)
 * cannot change role at the same time.
 */
export async function updateUser(ctx: ServiceContext, input: InputOf<"updateUser">): Promise<User> {
  const actor = requireActor(ctx);
  authorize(actor, "user.update");
  const { id: given, password, ...fields } = input;
  const id = parseId(given);
  const passwordOnly = password !== undefined && Object.values(fields).every((v) => v === undefined);
  const data: UserUpdateOutput = passwordOnly ? {} : parseInput(userUpdateSchema, fields);
  const hash = password === undefined ? undefined : await hashChecked(password, ctx.bcryptRounds);
  const { user, changes } = await transaction(ctx.db, async (tx) => {
    const locked = await lockUsers(tx, [id, actor.id], { managers: data.role !== undefined });
    assertStillManager(locked, actor.id, "user.update");
    const before = await mustFind(tx, id);
    if (data.role !== undefined && before.role === "MANAGEMENT" && data.role !== "MANAGEMENT") {
      if (await managerCount(tx) <= 1) {
        throw new ConflictError(msg("errors.user.last_manager_role", { id }), "role");
      }
    }
    if (data.role !== undefined && data.role !== before.role) {
      const owned = await ownershipOf(tx, id);
      if (ownsSomething(owned)) {
        throw new ConflictError(msg("errors.user.owns_role", { id, owned: describeOwnership(owned) }), "role");
      }
    }
    const changes = diff(before, {
      ...data,
      ...(hash ? { password: "changed" } : {}),
    });
    if (Object.keys(changes).length === 0) return { user: before, changes };
    // A new password or role ends the sessions in the same statement.
    await updateUserRow(tx, id, { ...data, password_hash: hash }, {
      now: ctx.now().toISOString(),
      endSessions: changes.password !== undefined || changes.role !== undefined,
    }).catch(duplicateEmail);
    await recordAudit(tx, ctx, { action: "user.updated", entity: "user", entityId: id, changes });
    return { user: (await findUserById(tx, id))!, changes };
  });
  if (Object.keys(changes).length > 0) {
    ctx.reporter.businessEvent({
      action: "user.updated",
      actorId: actor.id,
      entity: "user",
      entityId: id,
      changedFields: Object.keys(changes),
    });
  }
  return user;
}

/**
 * Deletes a collaborator (MANAGEMENT). Someone who still owns clients,
 * contracts or events is kept (exit 6, with the counts) unless `reassign_to`
 * names a collaborator of the same role, who takes everything over in the
 * same transaction. `dry_run` runs every check and changes nothing.
 */
export async function deleteUser(ctx: ServiceContext, input: InputOf<"deleteUser">): Promise<AnswerOf<"deleteUser">> {
  const actor = requireActor(ctx);
  authorize(actor, "user.delete");
  const { id: given, ...rest } = input;
  const id = parseId(given);
  const { reassign_to: reassignTo, dry_run } = parseInput(userDeleteSchema, rest);
  if (id === actor.id) throw new ConflictError(msg("errors.user.delete_self"));
  if (reassignTo === id) throw new InvalidInputError(msg("errors.user.reassign_to_self"), "reassign_to");
  return await dryRunIf(ctx, dry_run, (ctx) => removeUser(ctx, id, reassignTo));
}

async function removeUser(
  ctx: ServiceContext,
  id: number,
  reassignTo: number | undefined,
): Promise<AnswerOf<"deleteUser">> {
  const actor = requireActor(ctx);
  const result = await transaction(ctx.db, async (tx) => {
    // Collaborators first, in id order: the one deleted, the one taking over,
    // the acting manager and every manager (docs/concurrency.md).
    const locked = await lockUsers(
      tx,
      [id, actor.id, ...(reassignTo !== undefined ? [reassignTo] : [])],
      { managers: true },
    );
    assertStillManager(locked, actor.id, "user.delete");
    const user = await mustFind(tx, id);
    if (user.role === "MANAGEMENT" && await managerCount(tx) <= 1) {
      throw new ConflictError(msg("errors.user.last_manager", { id }));
    }
    const owned = await ownershipOf(tx, id);
    if (ownsSomething(owned)) {
      if (reassignTo === undefined) {
        throw new ConflictError(msg("errors.user.owns_delete", { id, owned: describeOwnership(owned) }));
      }
      const target = await findUserById(tx, reassignTo);
      if (!target) throw new NotFoundError("User", reassignTo);
      if (target.role !== user.role) {
        throw new InvalidInputError(
          msg("errors.user.reassign_role", {
            target: target.id,
            role: roleName(target.role),
            expected: roleName(user.role),
            id,
          }),
          "reassign_to",
        );
      }
      await transferOwnership(tx, id, target.id, ctx.now().toISOString());
    }
    await deleteUserRow(tx, id);
    const { id: _id, created_at: _c, updated_at: _u, ...fields } = user;
    await recordAudit(tx, ctx, {
      action: "user.deleted",
      entity: "user",
      entityId: id,
      changes: {
        ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { old: v, new: null }])),
        ...(ownsSomething(owned) ? { reassigned_to: { old: null, new: reassignTo } } : {}),
      },
    });
    return { id, reassigned_to: ownsSomething(owned) ? reassignTo! : null, reassigned: owned };
  });
  ctx.reporter.businessEvent({
    action: "user.deleted",
    actorId: actor.id,
    entity: "user",
    entityId: id,
    changedFields: [],
  });
  return result;
}
