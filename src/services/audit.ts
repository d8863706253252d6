/**
 * The audit trail: entries written inside the transaction of the change they
 * record, and `audit list` for MANAGEMENT.
 * @module
 */
import type { Queryable } from "../db/database.ts";
import { authorize } from "../domain/policy.ts";
import {
  type AuditEntry,
  type AuditFilter,
  insertAuditEntries,
  insertAuditEntry,
  listAuditEntries,
  type NewAuditEntry,
} from "../repositories/audit.ts";
import type { Rows } from "./common.ts";
import { requireActor } from "./session.ts";
import type { ServiceContext } from "./context.ts";

export type { AuditEntry, AuditFilter };

/** Fields whose values never reach the audit trail. */
const SECRET_FIELDS = new Set(["password", "password_hash"]);

/** One field's change, old → new. */
export type Change = { old: unknown; new: unknown };

/**
 * The fields of `after` that differ from `before`, as old → new, with secret
 * values redacted.
 */
export function diff(
  before: Readonly<Record<string, unknown>> | null,
  after: Readonly<Record<string, unknown>>,
): Record<string, Change> {
  const changes: Record<string, Change> = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before ? before[field] ?? null : null;
    if (before && old === value) continue;
    changes[field] = SECRET_FIELDS.has(field)
      ? { old: before ? "[redacted]" : null, new: "[redacted]" }
      : { old, new: value };
  }
  return changes;
}

/** What an audit entry records: the action, on what, what changed; the actor is the context's unless given. */
export interface AuditRecord {
  action: string;
  entity: string;
  entityId: number | null;
  changes?: Record<string, unknown> | null;
  actorId?: number | null;
}

/** The stored entry of `entry` made now by the context's actor (or `entry.actorId`). */
function auditEntry(ctx: ServiceContext, entry: AuditRecord, now: string): NewAuditEntry {
  return {
    occurred_at: now,
    actor_id: entry.actorId !== undefined ? entry.actorId : ctx.actor?.id ?? null,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    changes: entry.changes ?? null,
  };
}

/** Writes an audit entry with the transaction `tx`. */
export async function recordAudit(tx: Queryable, ctx: ServiceContext, entry: AuditRecord): Promise<void> {
  await insertAuditEntry(tx, auditEntry(ctx, entry, ctx.now().toISOString()));
}

/** Writes many audit entries with the transaction `tx`, in few statements (imports). */
export async function recordAudits(tx: Queryable, ctx: ServiceContext, entries: readonly AuditRecord[]): Promise<void> {
  const now = ctx.now().toISOString();
  await insertAuditEntries(tx, entries.map((entry) => auditEntry(ctx, entry, now)));
}

/** `audit list`: MANAGEMENT only (checked when called, before any row is read). */
export function listAudit(ctx: ServiceContext, filter: AuditFilter): Rows<AuditEntry> {
  authorize(requireActor(ctx), "audit.read");
  return listAuditEntries(ctx.db, filter);
}
