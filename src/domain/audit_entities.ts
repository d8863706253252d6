/** What the audit trail records changes of. @module */

/** Entities of the audit trail (`audit list --entity`). */
export const AUDIT_ENTITIES = ["user", "client", "contract", "event"] as const;
