/**
 * SQL for the audit trail. Entries are written with the transaction of the
 * change they record, so a rolled-back change leaves none.
 * @module
 */
import type { Queryable } from "../db/database.ts";
import { pageClause } from "./sql.ts";

/** One audit entry, as printed. */
export interface AuditEntry {
  id: number;
  occurred_at: string;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  changes: Record<string, unknown> | null;
}

/** A new audit entry. */
export interface NewAuditEntry {
  occurred_at: string;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  changes?: Record<string, unknown> | null;
}

/** Writes one entry. */
export async function insertAuditEntry(db: Queryable, entry: NewAuditEntry): Promise<void> {
  await db.execute(
    `INSERT INTO audit_log (occurred_at, actor_id, action, entity, entity_id, changes)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      entry.occurred_at,
      entry.actor_id,
      entry.action,
      entry.entity,
      entry.entity_id,
      entry.changes ? JSON.stringify(entry.changes) : null,
    ],
  );
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

/** Entries matching every given filter, oldest first. */
export async function listAuditEntries(db: Queryable, filter: AuditFilter): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, value: string | number) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (filter.entity !== undefined) add("entity = ?", filter.entity);
  if (filter.entityId !== undefined) add("entity_id = ?", filter.entityId);
  if (filter.actorId !== undefined) add("actor_id = ?", filter.actorId);
  if (filter.since !== undefined) add("occurred_at >= ?", filter.since);
  const sql = `SELECT id, occurred_at, actor_id, action, entity, entity_id, changes FROM audit_log${
    where.length ? ` WHERE ${where.join(" AND ")}` : ""
  } ORDER BY id${pageClause(filter, params)}`;
  const rows = await db.query<AuditEntry & { changes: unknown }>(sql, params);
  return rows.map((r) => ({
    ...r,
    changes: typeof r.changes === "string" ? JSON.parse(r.changes) : (r.changes as AuditEntry["changes"]),
  }));
}
