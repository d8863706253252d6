/** Audit entries: their fields come from the contract's record; changes are spelled out in tables. @module */
import { type AuditRecord, auditRecord } from "../../contract/audit.ts";
import { entityOf } from "./fields.ts";

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
export const AUDIT = entityOf<AuditRecord>(auditRecord, {
  overrides: {
    changes: {
      value: (a) => (a.changes ? JSON.stringify(a.changes) : ""),
      human: (a) => describeChanges(a.changes),
    },
  },
});
