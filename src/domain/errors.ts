/**
 * The one error hierarchy of the program. Every expected failure is an
 * {@link AppError} whose kind maps to exactly one exit code (PRODUCT.md §3).
 * @module
 */

/** Error kinds, as printed in `error.code` of the JSON error shape. */
export type ErrorCode =
  | "internal"
  | "invalid_input"
  | "not_authenticated"
  | "permission_denied"
  | "not_found"
  | "conflict"
  | "unavailable";

/** Exit code of each error kind. */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  internal: 1,
  invalid_input: 2,
  not_authenticated: 3,
  permission_denied: 4,
  not_found: 5,
  conflict: 6,
  unavailable: 7,
};

/** An expected failure, shown to the user as one line. */
export class AppError extends Error {
  /** The kind of failure. */
  readonly code: ErrorCode;
  /** The field at fault, when there is one. */
  readonly field?: string;

  /**
   * An expected failure of kind `code`.
   *
   * @param code the kind of failure (it decides the exit code)
   * @param message one line for the user, e.g. `email: must be a valid email address`
   * @param options the field at fault, and the error that caused this one
   */
  constructor(code: ErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.field = options?.field;
  }

  /** The process exit code of this error. */
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

/** Bad flag, bad value, missing field without a terminal (exit 2). */
export class InvalidInputError extends AppError {
  /** A refusal of `field` (a flag or JSON field name), said in `message`. */
  constructor(message: string, field?: string) {
    super("invalid_input", message, { field });
    this.name = "InvalidInputError";
  }
}

/** No token, expired, tampered, or its user no longer exists (exit 3). */
export class NotAuthenticatedError extends AppError {
  /** Not logged in, or `message` saying why the session is not valid. */
  constructor(message = "Not logged in: run `epic-events login`.") {
    super("not_authenticated", message);
    this.name = "NotAuthenticatedError";
  }
}

/** The role or ownership rule forbids the action (exit 4). */
export class PermissionDeniedError extends AppError {
  /** A refusal saying what the collaborator may not do, and why. */
  constructor(message: string) {
    super("permission_denied", message);
    this.name = "PermissionDeniedError";
  }
}

/** The id does not exist (exit 5). */
export class NotFoundError extends AppError {
  /** `Client 12 not found.` for `("Client", 12)`. */
  constructor(entity: string, id: number | string) {
    super("not_found", `${entity} ${id} not found.`);
    this.name = "NotFoundError";
  }
}

/** Duplicate, unsigned contract, stale update, user still owning data (exit 6). */
export class ConflictError extends AppError {
  /** A conflict with the data as stored, said in `message`, about `field` when there is one. */
  constructor(message: string, field?: string) {
    super("conflict", message, { field });
    this.name = "ConflictError";
  }
}

/**
 * The database (or server) cannot be reached or opened: refused, unknown
 * host, timeout, bad credentials, unopenable file, read-only or full disk, a
 * connection ended by the server (exit 7). Scripts may retry.
 */
export class UnavailableError extends AppError {
  /** What could not be reached, about `options.field` (e.g. `DATABASE_URL`), caused by `options.cause`. */
  constructor(message: string, options?: { field?: string; cause?: unknown }) {
    super("unavailable", message, options);
    this.name = "UnavailableError";
  }
}

/** What ended a cancelled run: Ctrl-C (at a prompt or as a signal), or SIGTERM. */
export type CancelSignal = "SIGINT" | "SIGTERM";

/**
 * The user cancelled (Ctrl-C at a prompt, SIGINT) or the process was asked to
 * stop (SIGTERM). Not an error kind: it is never reported, and exits 130
 * (SIGINT) or 143 (SIGTERM) with "Cancelled."; nothing was changed.
 */
export class CancelledError extends Error {
  /** The signal (or key) that cancelled the run. */
  readonly signal: CancelSignal;

  /** A run cancelled by `signal` (Ctrl-C by default). */
  constructor(signal: CancelSignal = "SIGINT") {
    super("Cancelled.");
    this.name = "CancelledError";
    this.signal = signal;
  }

  /** 130 for SIGINT / Ctrl-C, 143 for SIGTERM (128 + the signal number). */
  get exitCode(): number {
    return this.signal === "SIGTERM" ? 143 : 130;
  }
}
