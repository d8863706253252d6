/**
 * SQL for the `users` table. The password hash is only ever read by
 * {@link findCredentials}; every other query leaves it out.
 * @module
 */
import type { UserRecord } from "../contract/users.ts";
import type { Queryable } from "../db/database.ts";
import type { Role } from "../domain/roles.ts";
import { forShare, forUpdate, type ListQuery, listQuery, lockTables, streamList, updateColumns } from "./sql.ts";

/** A collaborator, as printed (never with a secret). */
export type User = UserRecord;

/** What is needed to check a password and issue a token. */
export interface Credentials {
  id: number;
  email: string;
  role: Role;
  password_hash: string;
  /** The session epoch read with the hash: a token carries it. */
  session_epoch: number;
}

/** A collaborator row locked for the rest of the transaction. */
export interface LockedUser {
  id: number;
  role: Role;
}

/** Columns of a new collaborator. */
export type NewUser = Omit<User, "id" | "created_at" | "updated_at"> & { password_hash: string; now: string };

/** Columns a user update may change. */
export type UserChanges = Partial<Omit<NewUser, "now">>;

/** What a collaborator still owns. */
export interface Ownership {
  clients: number;
  contracts: number;
  events: number;
}

/**
 * The record's columns, in their order, written out rather than read from the
 * record schema: every command checks its token through this module, and
 * `whoami` must not load zod (tests/contract/records_test.ts checks that the
 * two agree).
 */
export const USER_COLUMNS = [
  "id",
  "first_name",
  "last_name",
  "email",
  "phone",
  "role",
  "created_at",
  "updated_at",
] as const;

const COLUMNS = USER_COLUMNS.join(", ");

/** One collaborator by id. */
export function findUserById(db: Queryable, id: number): Promise<User | undefined> {
  return db.one<User>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
}

/**
 * The credentials of the collaborator with this email (case-insensitive),
 * with the session epoch in the same read: a password change commits a new
 * hash and a new epoch together, so a token issued after checking the old
 * password carries the old epoch and is refused.
 */
export async function findCredentials(db: Queryable, email: string): Promise<Credentials | undefined> {
  const row = await db.one<Credentials>(
    "SELECT id, email, role, password_hash, session_epoch FROM users WHERE lower(email) = lower($1)",
    [email],
  );
  return row && { ...row, session_epoch: Number(row.session_epoch) };
}

/**
 * Replaces a password hash by one of the same password at another cost, only
 * if the stored hash is still `from` (a concurrent password change wins).
 * Sessions are not ended: the password did not change.
 */
export async function rehashPassword(
  db: Queryable,
  id: number,
  hashes: { from: string; to: string },
): Promise<boolean> {
  const result = await db.execute("UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2", [
    id,
    hashes.from,
    hashes.to,
  ]);
  return result.changes > 0;
}

/**
 * Locks collaborator rows for the rest of the transaction, always in id order
 * (the one order every transaction uses, so two of them never wait for each
 * other in a cycle): the rows of `ids`, and with `managers` every MANAGEMENT
 * row too. Returns the locked rows as they are now (missing ids are absent).
 */
export async function lockUsers(
  db: Queryable,
  ids: readonly number[],
  options: { managers?: boolean } = {},
): Promise<LockedUser[]> {
  const unique = [...new Set(ids)];
  const params: (string | number)[] = [...unique];
  const where: string[] = [];
  if (unique.length > 0) where.push(`id IN (${unique.map((_, i) => `$${i + 1}`).join(", ")})`);
  if (options.managers) {
    params.push("MANAGEMENT");
    where.push(`role = $${params.length}`);
  }
  if (where.length === 0) return [];
  return await db.query<LockedUser>(
    `SELECT id, role FROM users WHERE ${where.join(" OR ")} ORDER BY id${forUpdate(db)}`,
    params,
  );
}

/**
 * Collaborators share-locked for the rest of the transaction (PostgreSQL
 * `FOR SHARE`), in id order: their role cannot change and they cannot be
 * deleted until the transaction ends, while others may still read them. Used
 * before making someone a sales or support contact.
 */
export function lockUsersShared(db: Queryable, ids: readonly number[]): Promise<User[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return Promise.resolve([]);
  return db.query<User>(
    `SELECT ${COLUMNS} FROM users WHERE id IN (${unique.map((_, i) => `$${i + 1}`).join(", ")}) ORDER BY id${
      forShare(db)
    }`,
    unique,
  );
}

/**
 * Every collaborator, share-locked in id order until the transaction ends
 * (an import, which may name any of them: none changes role or disappears
 * meanwhile, and the lock order — collaborators first — holds).
 */
export function lockAllUsersShared(db: Queryable): Promise<User[]> {
  return db.query<User>(`SELECT ${COLUMNS} FROM users ORDER BY id${forShare(db)}`);
}

/** One collaborator, share-locked (see {@link lockUsersShared}). */
export async function findUserForShare(db: Queryable, id: number): Promise<User | undefined> {
  return (await lockUsersShared(db, [id]))[0];
}

/** Number of collaborators (of one role, when given). */
export async function countUsers(db: Queryable, role?: Role): Promise<number> {
  const row = role === undefined
    ? await db.one<{ n: number }>("SELECT count(*) AS n FROM users")
    : await db.one<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = $1", [role]);
  return Number(row?.n ?? 0);
}

/** Filters of `user list`. */
export interface UserFilter {
  role?: Role;
  limit?: number;
  offset?: number;
}

/** The query of {@link listUsers} (`--role` reads the `(role, id)` index). */
export function userListQuery(filter: UserFilter): ListQuery {
  // A role: planned for it.
  const conditions = filter.role ? { where: ["role = $1"], params: [filter.role] } : { where: [], params: [] };
  return listQuery(`SELECT ${COLUMNS} FROM users`, conditions, "id", filter);
}

/** Collaborators ordered by id, optionally of one role, streamed from the database. */
export function listUsers(db: Queryable, filter: UserFilter = {}): AsyncIterable<User> {
  return streamList<User>(db, userListQuery(filter), { rows: filter.limit });
}

/** Inserts a collaborator and returns it. */
export async function insertUser(db: Queryable, user: NewUser): Promise<User> {
  const row = await db.one<User>(
    `INSERT INTO users (first_name, last_name, email, phone, role, password_hash, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${COLUMNS}`,
    [user.first_name, user.last_name, user.email, user.phone, user.role, user.password_hash, user.now],
  );
  return row!;
}

/**
 * Changes the given columns (and updated_at); with `endSessions`, also moves
 * the session epoch in the same statement, ending every session issued so
 * far. Returns whether the row existed.
 */
export async function updateUser(
  db: Queryable,
  id: number,
  changes: UserChanges,
  options: { now: string; endSessions?: boolean },
): Promise<boolean> {
  const increment = options.endSessions ? ["session_epoch"] : [];
  return (await updateColumns(db, "users", id, { ...changes, updated_at: options.now }, { increment })) > 0;
}

/** Deletes a collaborator; returns whether the row existed. */
export async function deleteUser(db: Queryable, id: number): Promise<boolean> {
  return (await db.execute("DELETE FROM users WHERE id = $1", [id])).changes > 0;
}

/**
 * Statements that read rows by owner: planned for the owner at every run
 * (`QueryOptions.customPlan`), since an owner may have none of the rows or
 * most of them (as `--mine`'s lists).
 */
const OWNER_BOUND = { customPlan: true } as const;

/** Counts what a collaborator still owns, in one query. */
export async function ownershipOf(db: Queryable, id: number): Promise<Ownership> {
  const row = await db.one<Ownership>(
    `SELECT (SELECT count(*) FROM clients WHERE sales_contact_id = $1) AS clients,
            (SELECT count(*) FROM contracts WHERE sales_contact_id = $1) AS contracts,
            (SELECT count(*) FROM events WHERE support_contact_id = $1) AS events`,
    [id],
    OWNER_BOUND,
  );
  return { clients: Number(row!.clients), contracts: Number(row!.contracts), events: Number(row!.events) };
}

/** Moves everything `from` owns to `to`. */
export async function transferOwnership(db: Queryable, from: number, to: number, now: string): Promise<void> {
  await db.execute("UPDATE clients SET sales_contact_id = $1, last_updated = $3 WHERE sales_contact_id = $2", [
    to,
    from,
    now,
  ], OWNER_BOUND);
  await db.execute("UPDATE contracts SET sales_contact_id = $1 WHERE sales_contact_id = $2", [to, from], OWNER_BOUND);
  await db.execute("UPDATE events SET support_contact_id = $1 WHERE support_contact_id = $2", [to, from], OWNER_BOUND);
}

/**
 * Serialises `init` against itself: the users table is locked against other
 * writers until the transaction ends (SQLite's `BEGIN IMMEDIATE` already
 * holds the write lock).
 */
export function lockUsersTable(db: Queryable): Promise<void> {
  return lockTables(db, ["users"], "writers");
}
