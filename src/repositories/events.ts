/**
 * SQL for the `events` table. Lists join the client's, the support contact's
 * and the owning sales contact's data in one query.
 * @module
 */
import { type EventRecord, eventRecord } from "../contract/events.ts";
import { columnsOf } from "../contract/meta.ts";
import type { Queryable, SqlValue } from "../db/database.ts";
import { afterInstant, forUpdate, type ListQuery, listQuery, placeholders, streamList, updateColumns } from "./sql.ts";
import { jsonListSelect, type JsonRow, recordJsonSql } from "./json_text.ts";

/**
 * An event as stored: the record's columns, its client's sales contact (who
 * may create events for it), and the names tables show when they are looked
 * up (a list without display names has none).
 */
export type Event = Omit<EventRecord, "display"> & {
  client_sales_contact_id: number;
  client_name?: string;
  support_contact_name?: string | null;
};

/** Filters of `event list`. */
export interface EventFilter {
  supportContactId?: number;
  clientSalesContactId?: number;
  unassigned?: boolean;
  /** Only events whose end is after this instant. */
  endsAfter?: string;
  contractId?: number;
  limit?: number;
  offset?: number;
  /** false: without `client_name` and `support_contact_name` (not looked up). */
  display?: boolean;
}

/** Columns an event update may change. */
export type EventChanges = Partial<Omit<EventRecord, "id" | "contract_id" | "client_id" | "display">> & {
  /** When the event's fields last changed (its calendar entry's LAST-MODIFIED): see migration 0007. */
  updated_at?: string;
};

/** The record's columns, and the client's sales contact. */
const COLUMNS = `${columnsOf(eventRecord, "e")}, e.client_sales_contact_id`;

/**
 * The names come from scalar subqueries, not joins: they are looked up for
 * the rows returned only, so the planner never plans a join of every event
 * for a page (PostgreSQL then sized a Memoize cache for all of them, ~10 ms
 * a list at a million events). The client's sales contact is the event's
 * copy of it (kept by the triggers of migration 0005).
 */
const SELECT = `SELECT ${COLUMNS}, (SELECT c.full_name FROM clients c WHERE c.id = e.client_id) AS client_name,
  (SELECT s.first_name || ' ' || s.last_name FROM users s WHERE s.id = e.support_contact_id) AS support_contact_name
FROM events e`;

/** A list without the names tables show: the events alone (`client_name`, `support_contact_name` absent). */
const SELECT_PLAIN = `SELECT ${COLUMNS} FROM events e`;

/** One event. */
export function findEvent(db: Queryable, id: number): Promise<Event | undefined> {
  return db.one<Event>(`${SELECT} WHERE e.id = $1`, [id]);
}

/**
 * The query of {@link listEvents}. Each filter has an index in id order:
 * `(support_contact_id, id)`, `(client_sales_contact_id, id)` (the event's
 * copy of its client's sales contact, kept by triggers), `(contract_id, id)`,
 * and a partial index of unassigned ids; `--upcoming` also bounds the ids
 * from below with `id_days` (see {@link afterInstant}).
 */
export function eventListQuery(
  filter: EventFilter,
  select = filter.display === false ? SELECT_PLAIN : SELECT,
): ListQuery {
  const params: SqlValue[] = [];
  const where = eventConditions(filter, params);
  // Whose events, which contract's, or an instant: planned for it; --unassigned binds nothing.
  return listQuery(select, { where, params }, "e.id", filter);
}

/** The conditions of `filter` on events `e`, their values pushed on `params`. */
export function eventConditions(filter: EventFilter, params: SqlValue[]): string[] {
  const where: string[] = [];
  const add = (sql: string, value: SqlValue) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (filter.supportContactId !== undefined) add("e.support_contact_id = ?", filter.supportContactId);
  if (filter.clientSalesContactId !== undefined) add("e.client_sales_contact_id = ?", filter.clientSalesContactId);
  if (filter.contractId !== undefined) add("e.contract_id = ?", filter.contractId);
  if (filter.endsAfter !== undefined) {
    where.push(
      afterInstant({ alias: "e", column: "end_date", source: "events.end_date" }, filter.endsAfter, params, {
        strict: true,
      }),
    );
  }
  if (filter.unassigned) where.push("e.support_contact_id IS NULL");
  return where;
}

/** Events matching every filter, by id, streamed from the database. */
export function listEvents(db: Queryable, filter: EventFilter): AsyncIterable<Event> {
  return streamList<Event>(db, eventListQuery(filter), { rows: filter.limit });
}

/**
 * The events of {@link listEvents} (without display names), each as the text
 * of its element in a printed JSON array, built by the database (see
 * {@link recordJsonSql}); undefined when the database builds no JSON.
 */
export function listEventsJson(db: Queryable, filter: EventFilter): AsyncIterable<JsonRow> | undefined {
  const json = recordJsonSql(db.sql, eventRecord, "e");
  if (json === undefined) return undefined;
  const query = eventListQuery(filter, `SELECT ${jsonListSelect(json, "e")} FROM events e`);
  return streamList<JsonRow>(db, query, { rows: filter.limit, raw: true, oneText: true });
}

/** What identifies an event of a contract for an import: its name and start. */
export interface EventKey {
  id: number;
  contract_id: number;
  name: string;
  start_date: string;
}

/** The events of each of these contracts (their keys), in id order. */
export async function eventKeysByContract(
  db: Queryable,
  contractIds: readonly number[],
): Promise<Map<number, EventKey[]>> {
  const unique = [...new Set(contractIds)];
  const byContract = new Map<number, EventKey[]>(unique.map((id) => [id, []]));
  if (unique.length === 0) return byContract;
  const rows = await db.query<EventKey>(
    `SELECT id, contract_id, name, start_date FROM events WHERE contract_id IN (${
      placeholders(unique.length)
    }) ORDER BY id`,
    unique,
  );
  for (const row of rows) byContract.get(row.contract_id)!.push(row);
  return byContract;
}

/** Inserts an event and returns its id. */
export async function insertEvent(
  db: Queryable,
  event: Omit<EventRecord, "id" | "display"> & {
    /** The instant of the creation (see {@link EventChanges.updated_at}). */
    updated_at: string;
  },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO events (name, contract_id, client_id, client_contact, start_date, end_date, support_contact_id,
       location, attendees, notes, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      event.name,
      event.contract_id,
      event.client_id,
      event.client_contact,
      event.start_date,
      event.end_date,
      event.support_contact_id,
      event.location,
      event.attendees,
      event.notes,
      event.updated_at,
    ],
  );
  return row!.id;
}

/** Locks the event row for the rest of the transaction (PostgreSQL); returns whether it exists. */
export async function lockEvent(db: Queryable, id: number): Promise<boolean> {
  return (await db.one(`SELECT id FROM events WHERE id = $1${forUpdate(db)}`, [id])) !== undefined;
}

/** Changes the given columns. */
export async function updateEvent(db: Queryable, id: number, changes: EventChanges): Promise<boolean> {
  return (await updateColumns(db, "events", id, { ...changes })) > 0;
}

/** Deletes an event. */
export async function deleteEvent(db: Queryable, id: number): Promise<boolean> {
  return (await db.execute("DELETE FROM events WHERE id = $1", [id])).changes > 0;
}
