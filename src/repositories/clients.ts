/**
 * SQL for the `clients` table. Lists look the sales contact's name up in the
 * same query (no query per row) and stream their rows in id order.
 * @module
 */
import { type ClientRecord, clientRecord } from "../contract/clients.ts";
import { columnsOf } from "../contract/meta.ts";
import type { Queryable, SqlValue, TextSearch } from "../db/database.ts";
import { type ListQuery, listQuery, placeholders, rowLock, streamList, updateColumns } from "./sql.ts";
import { jsonListSelect, type JsonRow, recordJsonSql } from "./json_text.ts";

/**
 * A client as stored: the record's columns, and its sales contact's name
 * when it is looked up (a list without display names has none).
 */
export type Client = Omit<ClientRecord, "display"> & { sales_contact_name?: string };

/** Filters of `client list`. */
export interface ClientFilter {
  salesContactId?: number;
  search?: string;
  limit?: number;
  offset?: number;
  /** false: without `sales_contact_name` (not looked up). */
  display?: boolean;
}

/** Columns a client update may change. */
export type ClientChanges = Partial<
  Pick<Client, "full_name" | "email" | "phone" | "company_name" | "sales_contact_id">
>;

/** The record's columns. */
const COLUMNS = columnsOf(clientRecord, "c");

/** The sales contact's name by a scalar subquery, for the rows returned only (see events.ts). */
const SELECT = `SELECT ${COLUMNS},
  (SELECT u.first_name || ' ' || u.last_name FROM users u WHERE u.id = c.sales_contact_id) AS sales_contact_name
FROM clients c`;

/** A list without the names tables show: the clients alone (`sales_contact_name` absent). */
const SELECT_PLAIN = `SELECT ${COLUMNS} FROM clients c`;

/** What `--search` looks in: names, emails, companies (and the trigram index over them). */
const SEARCH: TextSearch = {
  alias: "c",
  key: "id",
  columns: ["full_name", "email", "company_name"],
  index: "clients_search",
};

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
  return (await db.one(`SELECT id FROM clients WHERE id = $1${rowLock(db, mode)}`, [id])) !== undefined;
}

/**
 * The query of {@link listClients}: `--mine` reads the `(sales_contact_id, id)`
 * index, `--search` the dialect's case-insensitive literal substring match
 * (a trigram index finds the candidates), always in id order.
 */
export function clientListQuery(
  db: Queryable,
  filter: ClientFilter,
  select = filter.display === false ? SELECT_PLAIN : SELECT,
): ListQuery {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.salesContactId !== undefined) {
    params.push(filter.salesContactId);
    where.push(`c.sales_contact_id = $${params.length}`);
  }
  if (filter.search) where.push(db.sql.containsText(SEARCH, filter.search, params));
  // Whose clients, or a text: planned for it, which index pays off depends on the value.
  return listQuery(select, { where, params }, "c.id", filter);
}

/** Clients matching every filter, by id, streamed from the database. */
export function listClients(db: Queryable, filter: ClientFilter): AsyncIterable<Client> {
  return streamList<Client>(db, clientListQuery(db, filter), { rows: filter.limit });
}

/** The clients of {@link listClients} as the text of their JSON elements (see `listEventsJson`). */
export function listClientsJson(db: Queryable, filter: ClientFilter): AsyncIterable<JsonRow> | undefined {
  const json = recordJsonSql(db.sql, clientRecord, "c");
  if (json === undefined) return undefined;
  const query = clientListQuery(db, filter, `SELECT ${jsonListSelect(json, "c")} FROM clients c`);
  return streamList<JsonRow>(db, query, { rows: filter.limit, raw: true, oneText: true });
}

/** What an import needs of a client: its keys, its owner, when it last changed. */
export interface ClientKey {
  id: number;
  email: string;
  sales_contact_id: number;
  last_updated: string;
}

const KEY_COLUMNS = "id, email, sales_contact_id, last_updated";

/** The clients of these emails (stored lower-case), through the unique index on `lower(email)`. */
export function findClientsByEmails(db: Queryable, emails: readonly string[]): Promise<ClientKey[]> {
  if (emails.length === 0) return Promise.resolve([]);
  return db.query<ClientKey>(
    `SELECT ${KEY_COLUMNS} FROM clients WHERE lower(email) IN (${placeholders(emails.length)})`,
    emails,
  );
}

/** The clients of these full names (exactly as stored), with their names. */
export function findClientsByNames(
  db: Queryable,
  names: readonly string[],
): Promise<{ id: number; full_name: string }[]> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return Promise.resolve([]);
  return db.query<{ id: number; full_name: string }>(
    `SELECT id, full_name FROM clients WHERE full_name IN (${placeholders(unique.length)}) ORDER BY id`,
    unique,
  );
}

/** The clients of these ids, share-locked in id order until the transaction ends (see {@link lockClient}). */
export function lockClientsShared(db: Queryable, ids: readonly number[]): Promise<ClientKey[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return Promise.resolve([]);
  return db.query<ClientKey>(
    `SELECT ${KEY_COLUMNS} FROM clients WHERE id IN (${placeholders(unique.length)}) ORDER BY id${
      rowLock(db, "share")
    }`,
    unique,
  );
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

/**
 * Inserts many clients in few statements (imports) and returns their ids by
 * email (emails are unique).
 */
export async function insertClients(
  db: Queryable,
  clients: readonly Omit<Client, "id" | "created_at" | "last_updated" | "sales_contact_name">[],
  now: string,
): Promise<Map<string, number>> {
  if (clients.length === 0) return new Map();
  await db.insertMany(
    "clients",
    ["full_name", "email", "phone", "company_name", "sales_contact_id", "created_at", "last_updated"],
    clients.map((c) => [c.full_name, c.email, c.phone, c.company_name, c.sales_contact_id, now, now]),
  );
  const found = await findClientsByEmails(db, clients.map((c) => c.email));
  return new Map(found.map((c) => [c.email, c.id]));
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
