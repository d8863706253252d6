/**
 * The explicit context every service function receives: the database, the
 * acting user (loaded from the database for this very command), the clock and
 * a reporter for business events. Services never print and never read the
 * environment.
 * @module
 */
import type { Database } from "../db/database.ts";
import type { Role } from "../domain/roles.ts";

/** The collaborator performing the action, as stored in the database now. */
export interface Actor {
  /** The collaborator's id. */
  id: number;
  /** Their email address. */
  email: string;
  /** Their role, as stored when the command started. */
  role: Role;
}

/** A business event worth reporting (Sentry, logs). Never carries a secret. */
export interface BusinessEvent {
  /** e.g. `user.created`, `contract.signed`. */
  action: string;
  /** Who did it, or null when nobody is logged in. */
  actorId: number | null;
  /** The kind of record, e.g. `user`, `contract`. */
  entity: string;
  /** The record, or null. */
  entityId: number | null;
  /** Names of the fields that changed (never their values). */
  changedFields?: string[];
}

/** Receives business events; the CLI plugs in Sentry and the log file. */
export interface Reporter {
  /** Reports `event` (must not throw, must not block the command). */
  businessEvent(event: BusinessEvent): void;
}

/** A reporter that drops everything. */
export const NULL_REPORTER: Reporter = { businessEvent: () => {} };

/** What a service function is given. */
export interface ServiceContext {
  /** The database to read and write (services open their own transactions). */
  db: Database;
  /** Who acts, or null for `init` and `login`. */
  actor: Actor | null;
  /** The clock (fixed in tests). */
  now: () => Date;
  /** Where business events go. */
  reporter: Reporter;
  /** bcrypt cost for new password hashes. */
  bcryptRounds: number;
  /** IANA zone of dates typed without one (the `TZ` variable), if set. */
  timeZone?: string;
}
