/**
 * The one error hierarchy of the program. Every expected failure is an
 * {@link AppError} whose kind maps to exactly one exit code (PRODUCT.md §3).
 * @module
 */
import { english, type ErrorKey, type Message, type MessageValues, msg } from "./messages.ts";

export {
  english,
  ERROR_MESSAGES,
  type ErrorKey,
  isMessage,
  type Message,
  type MessageValue,
  type MessageValues,
  msg,
  type PluralSuffix,
} from "./messages.ts";

/**
 * What an error says: a {@link Message} of the `errors.*` catalog (rendered
 * in the reader's language at the edge, in English in `error.message`), or
 * text already in its final form (an answer of a server, which rendered it in
 * the language asked for; text of the CLI already rendered with `t`).
 */
export type ErrorText = Message | string;

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

/**
 * An expected failure, shown to the user as one line. Its `message` is
 * English (logs and Sentry stay English); `key` and `values` let the edge
 * say it in the reader's language (`errorText` of `src/i18n/errors.ts`).
 */
export class AppError extends Error {
  /** The kind of failure. */
  readonly code: ErrorCode;
  /** The field at fault, when there is one. */
  readonly field?: string;
  /** The message's key in the `errors.*` catalog; none when the text came ready-made (see {@link ErrorText}). */
  readonly key?: ErrorKey;
  /** The values of the message's placeholders. */
  readonly values?: MessageValues;

  /**
   * An expected failure of kind `code`.
   *
   * @param code the kind of failure (it decides the exit code)
   * @param text one line for the user, e.g. `msg("errors.input.field", { field: "email", reason })`
   * @param options the field at fault, and the error that caused this one
   */
  constructor(code: ErrorCode, text: ErrorText, options?: { field?: string; cause?: unknown }) {
    super(typeof text === "string" ? text : english(text), { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.field = options?.field;
    if (typeof text !== "string") {
      this.key = text.key;
      if (text.values !== undefined) this.values = text.values;
    }
  }

  /** What this error says: its message (key and values), or its ready-made text. */
  get text(): ErrorText {
    if (this.key === undefined) return this.message;
    return this.values === undefined ? { key: this.key } : { key: this.key, values: this.values };
  }

  /** The process exit code of this error. */
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  #rewrites: ((text: string) => string)[] = [];

  /**
   * Rewrites what this error says, in every language: `message` now, and
   * the text in the reader's language when it is rendered ({@link reworded}).
   * The CLI names the flag typed instead of the field.
   */
  reword(rewrite: (text: string) => string): void {
    this.message = rewrite(this.message);
    this.#rewrites.push(rewrite);
  }

  /** `text` (this error's message in some language) with the rewrites of {@link reword} applied. */
  reworded(text: string): string {
    return this.#rewrites.reduce((done, rewrite) => rewrite(done), text);
  }
}

/** Bad flag, bad value, missing field without a terminal (exit 2). */
export class InvalidInputError extends AppError {
  /** A refusal of `field` (a flag or JSON field name), said in `text`. */
  constructor(text: ErrorText, field?: string) {
    super("invalid_input", text, { field });
    this.name = "InvalidInputError";
  }
}

/** No token, expired, tampered, or its user no longer exists (exit 3). */
export class NotAuthenticatedError extends AppError {
  /** Not logged in, or `text` saying why the session is not valid. */
  constructor(text: ErrorText = msg("errors.session.not_logged_in")) {
    super("not_authenticated", text);
    this.name = "NotAuthenticatedError";
  }
}

/** The role or ownership rule forbids the action (exit 4). */
export class PermissionDeniedError extends AppError {
  /** A refusal saying what the collaborator may not do, and why. */
  constructor(text: ErrorText) {
    super("permission_denied", text);
    this.name = "PermissionDeniedError";
  }
}

/** The id does not exist (exit 5). */
export class NotFoundError extends AppError {
  /**
   * `Client 12 not found.` for `("Client", 12)` (`Client`, `Contract`,
   * `Event`, `User`); or `text` as it is, with no id (an answer of a server).
   */
  constructor(entity: string | Message, id?: number | string) {
    super("not_found", id === undefined ? entity : notFound(entity as string, id));
    this.name = "NotFoundError";
  }
}

/** The records people look up by id, as named in messages. */
const ENTITY_KEYS: Readonly<Record<string, ErrorKey>> = {
  Client: "errors.not_found.client",
  Contract: "errors.not_found.contract",
  Event: "errors.not_found.event",
  User: "errors.not_found.user",
};

function notFound(entity: string, id: number | string): Message {
  const key = ENTITY_KEYS[entity];
  return key ? msg(key, { id }) : msg("errors.not_found.other", { entity, id });
}

/** Duplicate, unsigned contract, stale update, user still owning data (exit 6). */
export class ConflictError extends AppError {
  /** A conflict with the data as stored, said in `text`, about `field` when there is one. */
  constructor(text: ErrorText, field?: string) {
    super("conflict", text, { field });
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
  constructor(text: ErrorText, options?: { field?: string; cause?: unknown }) {
    super("unavailable", text, options);
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
    super(english(msg("errors.cancelled")));
    this.name = "CancelledError";
    this.signal = signal;
  }

  /** 130 for SIGINT / Ctrl-C, 143 for SIGTERM (128 + the signal number). */
  get exitCode(): number {
    return this.signal === "SIGTERM" ? 143 : 130;
  }
}
