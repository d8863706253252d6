/**
 * The explicit context every service function receives: the database, the
 * acting user (loaded from the database for this very command), the clock and
 * a reporter for business events. Services never print and never read the
 * environment.
 * @module
 */
import type { Lang } from "../domain/lang.ts";
export type { Lang };
import type { Database } from "../db/database.ts";
import type { Role } from "../domain/roles.ts";
import type { Reporter } from "../domain/reporting.ts";

/** The collaborator performing the action, as stored in the database now. */
export interface Actor {
  /** The collaborator's id. */
  id: number;
  /** Their email address. */
  email: string;
  /** Their role, as stored when the command started. */
  role: Role;
}

export type { BusinessEvent, LoginRefusal, Reporter } from "../domain/reporting.ts";
export { NULL_REPORTER } from "../domain/reporting.ts";

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
  /**
   * The reader's language, for what a service answers as text inside its data (an import's line errors);
   * errors thrown are said in it at the edge. English when absent.
   */
  lang?: Lang;
}
