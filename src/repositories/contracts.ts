/**
 * SQL for the `contracts` table. Money is integer cents; lists join the
 * client's and sales contact's names in one query.
 * @module
 */
import { type ContractRecord, contractRecord } from "../contract/contracts.ts";
import { columnsOf } from "../contract/meta.ts";
import type { Queryable, SqlValue } from "../db/database.ts";
import {
  forUpdate,
  type ListQuery,
  listQuery,
  mapRows,
  placeholders,
  rowLock,
  streamList,
  updateColumns,
} from "./sql.ts";
import { jsonListSelect, type JsonRow, recordJsonSql } from "./json_text.ts";

/**
 * A contract as stored: amounts in integer cents, the client's own sales
 * contact (who "owns" the contract), and the names tables show when they
 * are looked up (a list without display names has none).
 */
export type Contract = Omit<ContractRecord, "display" | "total_amount" | "amount_due"> & {
  total_amount_cents: number;
  amount_due_cents: number;
  client_sales_contact_id: number;
  client_name?: string;
  sales_contact_name?: string;
};

/** Filters of `contract list`. */
export interface ContractFilter {
  salesContactId?: number;
  /** Contracts of the clients of this sales contact (who may update and sign them). */
  clientSalesContactId?: number;
  unsigned?: boolean;
  unpaid?: boolean;
  clientId?: number;
  limit?: number;
  offset?: number;
  /** false: without `client_name` and `sales_contact_name` (not looked up). */
  display?: boolean;
}

/** Columns a contract update may change. */
export interface ContractChanges {
  total_amount_cents?: number;
  amount_due_cents?: number;
  signed_status?: boolean;
  /** When it was signed (with `signed_status: true`), or null (with `signed_status: false`): see migration 0007. */
  signed_at?: string | null;
}

/** The record's columns (amounts in cents), and the client's sales contact. */
const COLUMNS = `${columnsOf(contractRecord, "k")}, k.client_sales_contact_id`;

/** Names by scalar subqueries, for the rows returned only (see events.ts). */
const SELECT = `SELECT ${COLUMNS}, (SELECT c.full_name FROM clients c WHERE c.id = k.client_id) AS client_name,
  (SELECT u.first_name || ' ' || u.last_name FROM users u WHERE u.id = k.sales_contact_id) AS sales_contact_name
FROM contracts k`;

/** A list without the names tables show: the contracts alone (`client_name`, `sales_contact_name` absent). */
const SELECT_PLAIN = `SELECT ${COLUMNS} FROM contracts k`;

type ContractRow = Omit<Contract, "signed_status"> & { signed_status: unknown };

function toContract(db: Queryable, row: ContractRow): Contract {
  return {
    ...row,
    total_amount_cents: Number(row.total_amount_cents),
    amount_due_cents: Number(row.amount_due_cents),
    signed_status: db.sql.decodeBoolean(row.signed_status),
  };
}

/** One contract. */
export async function findContract(db: Queryable, id: number): Promise<Contract | undefined> {
  const row = await db.one<ContractRow>(`${SELECT} WHERE k.id = $1`, [id]);
  return row && toContract(db, row);
}

/**
 * The query of {@link listContracts}. Each filter has an index in id order:
 * `--mine` the contract's copy of its client's sales contact
 * (`client_sales_contact_id`, kept by triggers), `--client` `(client_id, id)`,
 * `--unsigned` and `--unpaid` partial indexes of ids.
 */
export function contractListQuery(
  filter: ContractFilter,
  select = filter.display === false ? SELECT_PLAIN : SELECT,
): ListQuery {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.salesContactId !== undefined) {
    params.push(filter.salesContactId);
    where.push(`k.sales_contact_id = $${params.length}`);
  }
  if (filter.clientSalesContactId !== undefined) {
    params.push(filter.clientSalesContactId);
    where.push(`k.client_sales_contact_id = $${params.length}`);
  }
  if (filter.clientId !== undefined) {
    params.push(filter.clientId);
    where.push(`k.client_id = $${params.length}`);
  }
  if (filter.unsigned) where.push("k.signed_status = FALSE");
  if (filter.unpaid) where.push("k.amount_due_cents > 0");
  // A sales contact or a client: planned for it; --unsigned and --unpaid bind nothing.
  return listQuery(select, { where, params }, "k.id", filter);
}

/** Contracts matching every filter, by id, streamed from the database. */
export function listContracts(db: Queryable, filter: ContractFilter): AsyncIterable<Contract> {
  const rows = streamList<ContractRow>(db, contractListQuery(filter), { rows: filter.limit });
  return mapRows(rows, (row) => toContract(db, row));
}

/** The contracts of {@link listContracts} as the text of their JSON elements (see `listEventsJson`). */
export function listContractsJson(db: Queryable, filter: ContractFilter): AsyncIterable<JsonRow> | undefined {
  const json = recordJsonSql(db.sql, contractRecord, "k");
  if (json === undefined) return undefined;
  const query = contractListQuery(filter, `SELECT ${jsonListSelect(json, "k")} FROM contracts k`);
  return streamList<JsonRow>(db, query, { rows: filter.limit, raw: true, oneText: true });
}

/** The ids of the contracts of each of these clients, in id order (their creation order). */
export async function contractIdsByClient(db: Queryable, clientIds: readonly number[]): Promise<Map<number, number[]>> {
  const unique = [...new Set(clientIds)];
  const byClient = new Map<number, number[]>(unique.map((id) => [id, []]));
  if (unique.length === 0) return byClient;
  const rows = await db.query<{ id: number; client_id: number }>(
    `SELECT id, client_id FROM contracts WHERE client_id IN (${placeholders(unique.length)}) ORDER BY id`,
    unique,
  );
  for (const row of rows) byClient.get(row.client_id)!.push(row.id);
  return byClient;
}

/** What an import needs of a contract it adds events to. */
export type ContractKey = Pick<Contract, "id" | "client_id" | "client_sales_contact_id" | "signed_status">;

/** The contracts of these ids, share-locked in id order until the transaction ends (see {@link lockContract}). */
export async function lockContractsShared(db: Queryable, ids: readonly number[]): Promise<ContractKey[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await db.query<Omit<ContractKey, "signed_status"> & { signed_status: unknown }>(
    `SELECT id, client_id, client_sales_contact_id, signed_status FROM contracts WHERE id IN (${
      placeholders(unique.length)
    }) ORDER BY id${rowLock(db, "share")}`,
    unique,
  );
  return rows.map((row) => ({ ...row, signed_status: db.sql.decodeBoolean(row.signed_status) }));
}

/** The client of each of these contracts (unlocked: to lock the clients first). */
export async function clientsOfContracts(db: Queryable, ids: readonly number[]): Promise<Map<number, number>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.query<{ id: number; client_id: number }>(
    `SELECT id, client_id FROM contracts WHERE id IN (${placeholders(unique.length)})`,
    unique,
  );
  return new Map(rows.map((row) => [row.id, row.client_id]));
}

/** Inserts a contract and returns its id. */
export async function insertContract(
  db: Queryable,
  contract: {
    client_id: number;
    sales_contact_id: number;
    total_amount_cents: number;
    amount_due_cents: number;
    signed_status: boolean;
    now: string;
  },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO contracts (client_id, sales_contact_id, total_amount_cents, amount_due_cents, created_at, signed_status,
       signed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      contract.client_id,
      contract.sales_contact_id,
      contract.total_amount_cents,
      contract.amount_due_cents,
      contract.now,
      contract.signed_status,
      // A contract created signed (an import) was signed when it was created.
      contract.signed_status ? contract.now : null,
    ],
  );
  return row!.id;
}

/**
 * Locks the contract row for the rest of the transaction (PostgreSQL; SQLite
 * already holds the write lock): `update` before changing or deleting it,
 * `share` before adding an event to it. Returns whether it exists.
 */
export async function lockContract(db: Queryable, id: number, mode: "update" | "share" = "update"): Promise<boolean> {
  return (await db.one(`SELECT id FROM contracts WHERE id = $1${rowLock(db, mode)}`, [id])) !== undefined;
}

/**
 * Gives every contract of a client the sales contact `to` (when a client is
 * reassigned, its contracts follow). Locks them first; returns each moved
 * contract with its previous sales contact, by id.
 */
export async function moveClientContracts(
  db: Queryable,
  clientId: number,
  to: number,
): Promise<{ id: number; sales_contact_id: number }[]> {
  const moved = await db.query<{ id: number; sales_contact_id: number }>(
    `SELECT id, sales_contact_id FROM contracts WHERE client_id = $1 AND sales_contact_id <> $2 ORDER BY id${
      forUpdate(db)
    }`,
    [clientId, to],
  );
  if (moved.length > 0) {
    await db.execute("UPDATE contracts SET sales_contact_id = $2 WHERE client_id = $1 AND sales_contact_id <> $2", [
      clientId,
      to,
    ]);
  }
  return moved;
}

/** Changes the given columns. */
export async function updateContract(db: Queryable, id: number, changes: ContractChanges): Promise<boolean> {
  return (await updateColumns(db, "contracts", id, { ...changes })) > 0;
}

/** Number of events of a contract. */
export async function contractEventCount(db: Queryable, id: number): Promise<number> {
  const row = await db.one<{ n: number }>("SELECT count(*) AS n FROM events WHERE contract_id = $1", [id]);
  return Number(row!.n);
}

/** Deletes a contract, and with `cascade` its events first. */
export async function deleteContract(db: Queryable, id: number, cascade: boolean): Promise<boolean> {
  if (cascade) await db.execute("DELETE FROM events WHERE contract_id = $1", [id]);
  return (await db.execute("DELETE FROM contracts WHERE id = $1", [id])).changes > 0;
}
