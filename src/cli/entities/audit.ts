/** An audit entry's fields, declared once. @module */
import type { AuditRecord } from "../../port/crm.ts";
import { columns, type Entity } from "../entity.ts";

function isChange(value: unknown): value is { old: unknown; new: unknown } {
  return value !== null && typeof value === "object" && "old" in value && "new" in value;
}

/** Changes spelled out for a table: `total_amount: "1000.00" → "1500.50"; phone: "+33 1 23"`. */
export function describeChanges(changes: Record<string, unknown> | null): string {
  if (changes === null) return "";
  return Object.entries(changes).map(([field, change]) => {
    if (!isChange(change)) return `${field}: ${JSON.stringify(change)}`;
    if (change.old === null) return `${field}: ${JSON.stringify(change.new)}`;
    return `${field}: ${JSON.stringify(change.old)} → ${JSON.stringify(change.new)}`;
  }).join("; ");
}

/** Audit entries. */
export const AUDIT: Entity<AuditRecord> = {
  noun: "audit entry",
  fields: [
    { name: "id", title: "ID", show: "number" },
    { name: "occurred_at", title: "AT", show: "date" },
    { name: "actor_id", title: "ACTOR", show: "number" },
    { name: "action", title: "ACTION" },
    { name: "entity", title: "ENTITY" },
    { name: "entity_id", title: "ENTITY ID", show: "number" },
    {
      name: "changes",
      title: "CHANGES",
      value: (a) => (a.changes ? JSON.stringify(a.changes) : ""),
      human: (a) => describeChanges(a.changes),
    },
  ],
  list: ["id", "occurred_at", "actor_id", "action", "entity", "entity_id", "changes"],
  more: [],
};

/** Columns of `audit list`. */
export const AUDIT_LIST = columns(AUDIT, "list");
