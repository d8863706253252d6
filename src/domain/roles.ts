/** Roles of collaborators. @module */

/** Every role, in display order. */
export const ROLES = ["MANAGEMENT", "SALES", "SUPPORT"] as const;

/** A collaborator's role. */
export type Role = typeof ROLES[number];

/** Whether `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * The words people type for each role, lower case: the values themselves
 * and the roles' names in English and in French (Gestion, Commercial,
 * Support), whatever the language in use.
 */
export const ROLE_WORDS: Readonly<Record<string, Role>> = {
  management: "MANAGEMENT",
  gestion: "MANAGEMENT",
  sales: "SALES",
  commercial: "SALES",
  commerciale: "SALES",
  support: "SUPPORT",
};

/** The role a typed word names, any case, in either language (`commercial`, `Gestion`, `SALES`), or undefined. */
export function roleOfWord(text: string): Role | undefined {
  return Object.hasOwn(ROLE_WORDS, text.trim().toLowerCase()) ? ROLE_WORDS[text.trim().toLowerCase()] : undefined;
}
