/**
 * The permission table of PRODUCT.md §2, in one place. Deny by default: an
 * action or role missing here is refused. "own" is decided by the services
 * from the database at the time of the action, never from the command line.
 * @module
 */
import { PermissionDeniedError } from "./errors.ts";
import { type ErrorKey, type Message, msg } from "./messages.ts";
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

const WHAT: Readonly<Record<Action, ErrorKey>> = {
  "user.create": "errors.action.user_create",
  "user.update": "errors.action.user_update",
  "user.delete": "errors.action.user_delete",
  "client.create": "errors.action.client_create",
  "client.update": "errors.action.client_update",
  "client.reassign": "errors.action.client_reassign",
  "client.delete": "errors.action.client_delete",
  "contract.create": "errors.action.contract_create",
  "contract.update": "errors.action.contract_update",
  "contract.sign": "errors.action.contract_sign",
  "contract.delete": "errors.action.contract_delete",
  "event.create": "errors.action.event_create",
  "event.assign": "errors.action.event_assign",
  "event.update": "errors.action.event_update",
  "event.delete": "errors.action.event_delete",
  "audit.read": "errors.action.audit_read",
  "calendar.subscribe": "errors.action.calendar_subscribe",
};

/** `A SALES collaborator cannot delete clients.`: what `role` may not do, `action` a key of `errors.action.*` or one. */
export function roleCannot(role: Role, action: Action | Message): Message {
  return msg("errors.permission.role_cannot", {
    role: roleName(role),
    action: typeof action === "string" ? msg(WHAT[action]) : action,
  });
}

/** `role` as named in messages (`SALES` in English, « Commercial » in French). */
export function roleName(role: Role): Message {
  return msg(ROLE_KEYS[role]);
}

/** How a role is named in messages. */
const ROLE_KEYS: Readonly<Record<Role, ErrorKey>> = {
  MANAGEMENT: "errors.role.management",
  SALES: "errors.role.sales",
  SUPPORT: "errors.role.support",
};

/** The acting collaborator as far as the policy cares. */
export interface Principal {
  /** The collaborator's id, compared with the owner's. */
  id: number;
  /** The collaborator's role, as stored now. */
  role: Role;
}

/**
 * How a collaborator's own events are found (`event list --mine`, their
 * calendar feed, their reports): a SALES collaborator's are the events of
 * the clients they are the sales contact of; anyone else's, the events they
 * support (PRODUCT.md §2).
 */
export type OwnEvents = "of_their_clients" | "they_support";

/** Which events `role` calls its own (see {@link OwnEvents}). */
export function ownEventsOf(role: Role): OwnEvents {
  return role === "SALES" ? "of_their_clients" : "they_support";
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
    throw new PermissionDeniedError(roleCannot(principal.role, action));
  }
  if (ownerId === undefined || scope === "any") return;
  if (ownerId !== principal.id) {
    throw new PermissionDeniedError(msg("errors.permission.not_yours", { action: msg(WHAT[action]) }));
  }
}
