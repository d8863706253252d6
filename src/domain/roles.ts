/** Roles of collaborators. @module */

/** Every role, in display order. */
export const ROLES = ["MANAGEMENT", "SALES", "SUPPORT"] as const;

/** A collaborator's role. */
export type Role = typeof ROLES[number];

/** Whether `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
