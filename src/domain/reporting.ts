/**
 * Business events and who receives them: the services report, the
 * observability modules (Sentry, the log files) receive. Declared here so
 * that neither has to import the other.
 * @module
 */

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
  /**
   * A login refused: wrong credentials, or an email or client address locked
   * by the throttle (`serve --metrics-listen` counts them). Optional; must not throw.
   */
  loginRefused?(reason: LoginRefusal): void;
}

/** Why a login was refused (never told to the client: all three answer alike). */
export type LoginRefusal = "credentials" | "email_locked" | "address_locked";

/** A reporter that drops everything. */
export const NULL_REPORTER: Reporter = { businessEvent: () => {} };
