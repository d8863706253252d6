/**
 * SQL for the audit trail. Entries are written with the transaction of the
 * change they record, so a rolled-back change leaves none.
 * @module
 */
import type { AuditRecord } from "../contract/audit.ts";
import type { Queryable, SqlValue } from "../db/database.ts";
import { afterInstant, type ListQuery, listQuery, mapRows, streamList } from "./sql.ts";

/** One audit entry as stored: its `changes` keep the stored names and units (`total_amount_cents`). */
export type AuditEntry = AuditRecord;

/**
 * The record's columns, written out rather than read from the record schema:
 * a login writes its audit entry through this module, and `whoami` must not
 * load zod (tests/contract/records_test.ts checks that the two agree).
 */
export const AUDIT_COLUMNS = "a.id, a.occurred_at, a.actor_id, a.action, a.entity, a.entity_id, a.changes";

/** A new audit entry. */
export type NewAuditEntry = Omit<AuditEntry, "id" | "changes"> & { changes?: AuditEntry["changes"] };

const COLUMNS = ["occurred_at", "actor_id", "action", "entity", "entity_id", "changes"] as const;

/** An entry's values, in the order of {@link COLUMNS}. */
function values(entry: NewAuditEntry): SqlValue[] {
  return [
    entry.occurred_at,
    entry.actor_id,
    entry.action,
    entry.entity,
    entry.entity_id,
    entry.changes ? JSON.stringify(entry.changes) : null,
  ];
}

/** Writes one entry. */
export async function insertAuditEntry(db: Queryable, entry: NewAuditEntry): Promise<void> {
  await db.execute(`INSERT INTO audit_log (${COLUMNS.join(", ")}) VALUES ($1, $2, $3, $4, $5, $6)`, values(entry));
}

/** Writes many entries in as few statements as the dialect does best (imports). */
export async function insertAuditEntries(db: Queryable, entries: readonly NewAuditEntry[]): Promise<void> {
  if (entries.length > 0) await db.insertMany("audit_log", COLUMNS, entries.map(values));
}

/** Filters of `audit list`. */
export interface AuditFilter {
  entity?: string;
  entityId?: number;
  actorId?: number;
  since?: string;
  limit?: number;
  offset?: number;
}

/**
 * The query of {@link listAuditEntries}. Each filter has an index in id
 * order: `(entity, id)`, `(entity, entity_id, id)`, `(actor_id, id)`; `since`
 * also bounds the ids from below with `id_days` (see {@link afterInstant}).
 */
export function auditListQuery(filter: AuditFilter): ListQuery {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, value: string | number) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (filter.entity !== undefined) add("a.entity = ?", filter.entity);
  if (filter.entityId !== undefined) add("a.entity_id = ?", filter.entityId);
  if (filter.actorId !== undefined) add("a.actor_id = ?", filter.actorId);
  if (filter.since !== undefined) {
    where.push(
      afterInstant({ alias: "a", column: "occurred_at", source: "audit_log.occurred_at" }, filter.since, params, {
        strict: false,
      }),
    );
  }
  // An entity, an actor or an instant: planned for it.
  return listQuery(`SELECT ${AUDIT_COLUMNS} FROM audit_log a`, { where, params }, "a.id", filter);
}

/** Entries matching every given filter, oldest first, streamed from the database. */
export function listAuditEntries(db: Queryable, filter: AuditFilter): AsyncIterable<AuditEntry> {
  const rows = streamList<AuditEntry & { changes: unknown }>(db, auditListQuery(filter), { rows: filter.limit });
  return mapRows(rows, (r) => ({
    ...r,
    changes: typeof r.changes === "string" ? JSON.parse(r.changes) : (r.changes as AuditEntry["changes"]),
  }));
}
