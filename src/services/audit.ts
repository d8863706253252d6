/**
 * The audit trail: entries written inside the transaction of the change they
 * record, and `audit list` for MANAGEMENT.
 * @module
 */
import { auditListSchema, type AuditRecord } from "../contract/audit.ts";
import { clientRecord } from "../contract/clients.ts";
import { contractRecord } from "../contract/contracts.ts";
import { eventRecord } from "../contract/events.ts";
import { userRecord } from "../contract/users.ts";
import { centsFieldsOf } from "../contract/meta.ts";
import type { InputOf } from "../contract/operations.ts";
import type { Queryable } from "../db/database.ts";
import { formatMoney } from "../domain/money.ts";
import { authorize } from "../domain/policy.ts";
import { parseInput } from "../domain/schemas/mod.ts";
import {
  type AuditEntry,
  insertAuditEntries,
  insertAuditEntry,
  listAuditEntries,
  type NewAuditEntry,
} from "../repositories/audit.ts";
import { mapRows } from "../repositories/sql.ts";
import type { Rows } from "./common.ts";
import { requireActor } from "./session.ts";
import type { ServiceContext } from "./context.ts";

export type { AuditEntry };

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
export interface AuditNote {
  action: string;
  entity: string;
  entityId: number | null;
  changes?: Record<string, unknown> | null;
  actorId?: number | null;
}

/** The stored entry of `entry` made now by the context's actor (or `entry.actorId`). */
function auditEntry(ctx: ServiceContext, entry: AuditNote, now: string): NewAuditEntry {
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
export async function recordAudit(tx: Queryable, ctx: ServiceContext, entry: AuditNote): Promise<void> {
  await insertAuditEntry(tx, auditEntry(ctx, entry, ctx.now().toISOString()));
}

/** Writes many audit entries with the transaction `tx`, in few statements (imports). */
export async function recordAudits(tx: Queryable, ctx: ServiceContext, entries: readonly AuditNote[]): Promise<void> {
  const now = ctx.now().toISOString();
  await insertAuditEntries(tx, entries.map((entry) => auditEntry(ctx, entry, now)));
}

/** `audit list`: MANAGEMENT only (checked when called, before any row is read); `changes` in public units. */
export function listAudit(ctx: ServiceContext, input: InputOf<"listAudit">): Rows<AuditRecord> {
  authorize(requireActor(ctx), "audit.read");
  const filter = parseInput(auditListSchema(ctx.timeZone), input);
  const rows = listAuditEntries(ctx.db, {
    entity: filter.entity,
    entityId: filter.id,
    actorId: filter.actor,
    since: filter.since?.toISOString(),
    limit: filter.limit,
    offset: filter.offset,
  });
  return mapRows(rows, (entry) => ({ ...entry, changes: publicChanges(entry.changes) }));
}

/** Audit fields stored in cents, in every record, and their public names: `total_amount_cents` → `total_amount`. */
const CENTS_FIELDS: ReadonlyMap<string, string> = new Map(
  [userRecord, clientRecord, contractRecord, eventRecord].flatMap(centsFieldsOf).map((
    [name, column],
  ) => [column, name]),
);

function publicValue(value: unknown): unknown {
  return typeof value === "number" && Number.isSafeInteger(value) ? formatMoney(value) : value;
}

/** Audit changes in public units: `total_amount_cents: 150050` → `total_amount: "1500.50"`. */
export function publicChanges(changes: Record<string, unknown> | null): Record<string, unknown> | null {
  if (changes === null) return null;
  const out: Record<string, unknown> = {};
  for (const [field, change] of Object.entries(changes)) {
    const name = CENTS_FIELDS.get(field);
    if (name === undefined) {
      out[field] = change;
    } else if (change !== null && typeof change === "object" && "old" in change && "new" in change) {
      out[name] = { old: publicValue(change.old), new: publicValue(change.new) };
    } else {
      out[name] = publicValue(change);
    }
  }
  return out;
}
