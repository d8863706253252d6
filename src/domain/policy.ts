/**
 * The permission table of PRODUCT.md §2, in one place. Deny by default: an
 * action or role missing here is refused. "own" is decided by the services
 * from the database at the time of the action, never from the command line.
 * @module
 */
import { PermissionDeniedError } from "./errors.ts";
import type { Role } from "./roles.ts";

/** Who may act on what: every role's scope for an action. */
export type Scope = "any" | "own";

/** Every guarded action. Reads are open to every authenticated collaborator. */
export type Action =
  | "user.create"
  | "user.update"
  | "user.delete"
  | "client.create"
  | "client.update"
  | "client.reassign"
  | "client.delete"
  | "contract.create"
  | "contract.update"
  | "contract.sign"
  | "contract.delete"
  | "event.create"
  | "event.assign"
  | "event.update"
  | "event.delete"
  | "audit.read"
  | "calendar.subscribe";

/** PRODUCT.md §2 as data. A missing role means "no". */
export const POLICY: Readonly<Record<Action, Partial<Record<Role, Scope>>>> = {
  "user.create": { MANAGEMENT: "any" },
  "user.update": { MANAGEMENT: "any" },
  "user.delete": { MANAGEMENT: "any" },
  "client.create": { MANAGEMENT: "any", SALES: "own" },
  "client.update": { MANAGEMENT: "any", SALES: "own" },
  "client.reassign": { MANAGEMENT: "any" },
  "client.delete": { MANAGEMENT: "any" },
  "contract.create": { MANAGEMENT: "any", SALES: "own" },
  "contract.update": { MANAGEMENT: "any", SALES: "own" },
  "contract.sign": { MANAGEMENT: "any", SALES: "own" },
  "contract.delete": { MANAGEMENT: "any" },
  "event.create": { MANAGEMENT: "any", SALES: "own" },
  "event.assign": { MANAGEMENT: "any" },
  "event.update": { MANAGEMENT: "any", SUPPORT: "own" },
  "event.delete": { MANAGEMENT: "any" },
  "audit.read": { MANAGEMENT: "any" },
  // A private feed of one's own events (`event list --mine`): a manager has none.
  "calendar.subscribe": { SALES: "own", SUPPORT: "own" },
};

const WHAT: Readonly<Record<Action, string>> = {
  "user.create": "create collaborators",
  "user.update": "update collaborators",
  "user.delete": "delete collaborators",
  "client.create": "create clients",
  "client.update": "update this client",
  "client.reassign": "change a client's sales contact",
  "client.delete": "delete clients",
  "contract.create": "create a contract for this client",
  "contract.update": "update this contract",
  "contract.sign": "sign this contract",
  "contract.delete": "delete contracts",
  "event.create": "create an event for this contract",
  "event.assign": "assign support contacts",
  "event.update": "update this event",
  "event.delete": "delete events",
  "audit.read": "read the audit trail",
  "calendar.subscribe":
    "subscribe to a calendar of their own events (they support none; `event list --format ics` exports any)",
};

/** The acting collaborator as far as the policy cares. */
export interface Principal {
  /** The collaborator's id, compared with the owner's. */
  id: number;
  /** The collaborator's role, as stored now. */
  role: Role;
}

/**
 * The scope `principal` has for `action`, or null. Callers with an "own"
 * scope must then check ownership with {@link authorize}.
 */
export function scopeOf(principal: Principal, action: Action): Scope | null {
  return POLICY[action]?.[principal.role] ?? null;
}

/** Whether `principal` may do `action` on a resource owned by `ownerId`. */
export function isAllowed(principal: Principal, action: Action, ownerId?: number | null): boolean {
  const scope = scopeOf(principal, action);
  if (scope === "any") return true;
  if (scope === "own") return ownerId !== undefined && ownerId !== null && ownerId === principal.id;
  return false;
}

/**
 * Throws {@link PermissionDeniedError} unless `principal` may do `action`.
 * Pass `ownerId` (the collaborator owning the resource, read from the
 * database now) for actions on an existing resource; omit it to ask only
 * whether the role may do the action at all.
 */
export function authorize(principal: Principal, action: Action, ownerId?: number | null): void {
  const scope = scopeOf(principal, action);
  if (scope === null) {
    throw new PermissionDeniedError(`A ${principal.role} collaborator cannot ${WHAT[action]}.`);
  }
  if (ownerId === undefined || scope === "any") return;
  if (ownerId !== principal.id) {
    throw new PermissionDeniedError(`You cannot ${WHAT[action]}: it is not yours.`);
  }
}
