/**
 * SQL for the `clients` table. Lists join the sales contact's name in the same
 * query (no query per row) and carry the total count for paging.
 * @module
 */
import type { Dialect, Queryable, SqlValue } from "../db/database.ts";
import { forShare, forUpdate, pageClause, updateColumns } from "./sql.ts";

/** A client as stored, with its sales contact's name for tables. */
export interface Client {
  id: number;
  full_name: string;
  email: string;
  phone: string;
  company_name: string;
  sales_contact_id: number;
  created_at: string;
  last_updated: string;
  /** `First Last` of the sales contact (not part of the JSON shape). */
  sales_contact_name: string;
}

/** Filters of `client list`. */
export interface ClientFilter {
  salesContactId?: number;
  search?: string;
  limit?: number;
  offset?: number;
}

/** Columns a client update may change. */
export interface ClientChanges {
  full_name?: string;
  email?: string;
  phone?: string;
  company_name?: string;
  sales_contact_id?: number;
}

const SELECT = `SELECT c.id, c.full_name, c.email, c.phone, c.company_name, c.sales_contact_id, c.created_at,
  c.last_updated, u.first_name || ' ' || u.last_name AS sales_contact_name
FROM clients c JOIN users u ON u.id = c.sales_contact_id`;

/** The single-code-point case variants of a character (`é` → `é`, `É`). */
function caseVariants(ch: string): string[] {
  return [...new Set([ch, ch.toLowerCase(), ch.toUpperCase()])].filter((v) => [...v].length === 1);
}

/**
 * A pattern matching `text` anywhere, case-insensitively for every cased
 * letter (not only ASCII, and whatever the database's locale), with every
 * other character matched literally: a GLOB pattern for SQLite, a regular
 * expression for PostgreSQL. Each cased letter becomes a class of its
 * variants (`[eE]`, `[éÉ]`), so both backends fold case the same way.
 */
export function searchPattern(dialect: Dialect, text: string): string {
  let pattern = "";
  for (const ch of text) {
    const variants = caseVariants(ch);
    if (variants.length > 1) pattern += `[${variants.join("")}]`;
    else if (dialect === "sqlite") pattern += "*?[".includes(ch) ? `[${ch}]` : ch;
    else pattern += /[\p{L}\p{N}]/u.test(ch) ? ch : `\\${ch}`;
  }
  return dialect === "sqlite" ? `*${pattern}*` : pattern;
}

/** One client. */
export function findClient(db: Queryable, id: number): Promise<Client | undefined> {
  return db.one<Client>(`${SELECT} WHERE c.id = $1`, [id]);
}

/**
 * Locks a client row for the rest of the transaction (PostgreSQL; SQLite's
 * write transaction already excludes other writers): `update` before changing
 * or deleting it, `share` before adding a contract or an event to it. Returns
 * whether the client exists.
 */
export async function lockClient(db: Queryable, id: number, mode: "update" | "share"): Promise<boolean> {
  const lock = mode === "update" ? forUpdate(db) : forShare(db);
  return (await db.one(`SELECT id FROM clients WHERE id = $1${lock}`, [id])) !== undefined;
}

/** Clients matching every filter, by id, with the total count before paging. */
export async function listClients(db: Queryable, filter: ClientFilter): Promise<{ rows: Client[]; total: number }> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.salesContactId !== undefined) {
    params.push(filter.salesContactId);
    where.push(`c.sales_contact_id = $${params.length}`);
  }
  if (filter.search) {
    params.push(searchPattern(db.dialect, filter.search));
    const p = `$${params.length}`;
    const match = db.dialect === "sqlite" ? "GLOB" : "~";
    where.push(`(c.full_name ${match} ${p} OR c.email ${match} ${p} OR c.company_name ${match} ${p})`);
  }
  const rows = await db.query<Client & { total_count: number }>(
    `${SELECT.replace("SELECT ", "SELECT count(*) OVER () AS total_count, ")}${
      where.length ? ` WHERE ${where.join(" AND ")}` : ""
    } ORDER BY c.id${pageClause(filter, params)}`,
    params,
  );
  return { rows: rows.map(({ total_count: _, ...row }) => row), total: Number(rows[0]?.total_count ?? 0) };
}

/** Inserts a client and returns its id. */
export async function insertClient(
  db: Queryable,
  client: Omit<Client, "id" | "created_at" | "last_updated" | "sales_contact_name"> & { now: string },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
    [client.full_name, client.email, client.phone, client.company_name, client.sales_contact_id, client.now],
  );
  return row!.id;
}

/** Changes the given columns and moves `last_updated`. */
export async function updateClient(db: Queryable, id: number, changes: ClientChanges, now: string): Promise<boolean> {
  return (await updateColumns(db, "clients", id, { ...changes, last_updated: now })) > 0;
}

/** Deletes a client (its contracts and events must be gone). */
export async function deleteClient(db: Queryable, id: number): Promise<boolean> {
  return (await db.execute("DELETE FROM clients WHERE id = $1", [id])).changes > 0;
}

/** How many contracts and events a client has. */
export async function clientDependents(db: Queryable, id: number): Promise<{ contracts: number; events: number }> {
  const row = await db.one<{ contracts: number; events: number }>(
    `SELECT (SELECT count(*) FROM contracts WHERE client_id = $1) AS contracts,
            (SELECT count(*) FROM events WHERE client_id = $1) AS events`,
    [id],
  );
  return { contracts: Number(row!.contracts), events: Number(row!.events) };
}

/** Deletes every event and contract of a client (for `--cascade`). */
export async function deleteClientDependents(db: Queryable, id: number): Promise<void> {
  await db.execute("DELETE FROM events WHERE client_id = $1", [id]);
  await db.execute("DELETE FROM contracts WHERE client_id = $1", [id]);
}
