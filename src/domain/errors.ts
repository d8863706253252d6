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
  constructor(message: string, field?: string) {
    super("invalid_input", message, { field });
    this.name = "InvalidInputError";
  }
}

/** No token, expired, tampered, or its user no longer exists (exit 3). */
export class NotAuthenticatedError extends AppError {
  constructor(message = "Not logged in: run `epic-events login`.") {
    super("not_authenticated", message);
    this.name = "NotAuthenticatedError";
  }
}

/** The role or ownership rule forbids the action (exit 4). */
export class PermissionDeniedError extends AppError {
  constructor(message: string) {
    super("permission_denied", message);
    this.name = "PermissionDeniedError";
  }
}

/** The id does not exist (exit 5). */
export class NotFoundError extends AppError {
  constructor(entity: string, id: number | string) {
    super("not_found", `${entity} ${id} not found.`);
    this.name = "NotFoundError";
  }
}

/** Duplicate, unsigned contract, stale update, user still owning data (exit 6). */
export class ConflictError extends AppError {
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
  constructor(message: string, options?: { field?: string; cause?: unknown }) {
    super("unavailable", message, options);
    this.name = "UnavailableError";
  }
}
