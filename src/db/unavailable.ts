/**
 * Turns a driver's "cannot reach / open / write the database" failure into an
 * {@link UnavailableError} (exit 7) whose one line names `DATABASE_URL` (its
 * password masked), the host:port or file, and the cause. Anything else is
 * left alone (a constraint, a bug: not ours to reword).
 * @module
 */
import { type DatabaseTarget, DEFAULT_CONNECT_TIMEOUT_SECONDS } from "../config.ts";
import { type ErrorKey, type Message, msg, UnavailableError } from "../domain/errors.ts";

/** How a database is named in messages. */
export interface DatabaseLabel {
  /** `host:port` or the file path. */
  where: string;
  /** `DATABASE_URL=<url, password masked>`, or a note that the default file is used. */
  source: string | Message;
  /** `DATABASE_CONNECT_TIMEOUT` in seconds (PostgreSQL only). */
  connectTimeoutSeconds?: number;
}

/** A PostgreSQL URL with its password (and any password parameter) replaced by `***`. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
  }
  if (parsed.password !== "") parsed.password = "***";
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, "***");
  }
  return parsed.toString().replace("%2A%2A%2A", "***").replaceAll("=%2A%2A%2A", "=***");
}

/** The label of `target` for messages. */
export function labelOf(target: DatabaseTarget, connectTimeoutSeconds?: number): DatabaseLabel {
  if (target.kind === "sqlite") {
    return {
      where: target.path,
      source: target.isDefault ? msg("errors.db.default_file") : `DATABASE_URL=sqlite://${target.path}`,
    };
  }
  let where = "the server";
  try {
    const url = new URL(target.url);
    where = `${url.hostname || "localhost"}:${url.port || "5432"}`;
  } catch {
    // Checked by the configuration already.
  }
  return {
    where,
    source: `DATABASE_URL=${maskUrl(target.url)}`,
    connectTimeoutSeconds: connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
  };
}

interface DriverError {
  name?: string;
  code?: string | number;
  errcode?: number;
  errstr?: string;
  message?: string;
  severity?: string;
}

/** What went wrong, and whether the connection is gone with it. */
export interface Diagnosis {
  /** Starts the message: "Cannot connect to the database at" (a key of `errors.db.*`). */
  problem: ErrorKey;
  /** The cause, in a few words (the database's own words when it gave some). */
  cause: Message | string;
  /** The connection is unusable (no ROLLBACK can be sent on it). */
  connectionLost: boolean;
}

const SOCKET_CAUSES: Record<string, ErrorKey> = {
  ECONNREFUSED: "errors.remote.refused",
  ENOTFOUND: "errors.remote.unknown_host",
  EAI_NONAME: "errors.remote.unknown_host",
  EAI_AGAIN: "errors.db.dns",
  EAI_FAIL: "errors.db.dns",
  EHOSTUNREACH: "errors.db.host_unreachable",
  ENETUNREACH: "errors.db.network_unreachable",
  EADDRNOTAVAIL: "errors.db.address_not_available",
  ETIMEDOUT: "errors.db.timed_out",
  ECONNRESET: "errors.db.reset",
  ECONNABORTED: "errors.db.aborted",
  EPIPE: "errors.remote.closed",
  CONNECTION_CLOSED: "errors.remote.closed",
  CONNECTION_ENDED: "errors.remote.closed",
  CONNECTION_DESTROYED: "errors.remote.closed",
};

function isTlsFailure(e: DriverError): boolean {
  const code = String(e.code ?? "");
  return /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_INVALID_CERT)/.test(code) ||
    /\b(TLS|SSL|certificate|self[- ]signed)\b/i.test(e.message ?? "");
}

function oneLine(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

/** Diagnoses a postgres.js error; `undefined` when it is not about reaching the server. */
export function diagnosePostgres(error: unknown, label: DatabaseLabel): Diagnosis | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as DriverError;
  const code = String(e.code ?? "");
  const connect: ErrorKey = "errors.db.cannot_connect";
  if (e.name === "PostgresError" || e.severity !== undefined) {
    const message = oneLine(e.message);
    switch (code) {
      case "28P01":
        return { problem: connect, cause: msg("errors.db.wrong_password", { message }), connectionLost: true };
      case "28000":
        return { problem: connect, cause: msg("errors.db.login_refused", { message }), connectionLost: true };
      case "3D000":
        return { problem: connect, cause: message, connectionLost: true };
      case "57P01":
      case "57P02":
      case "57P05":
        return { problem: "errors.db.ended", cause: message, connectionLost: true };
      case "57P03":
        return { problem: connect, cause: message, connectionLost: true };
      case "57014":
        return { problem: "errors.db.cancelled", cause: message, connectionLost: false };
      case "55P03":
      case "25P03":
      case "25006":
        return { problem: "errors.db.refused_work", cause: message, connectionLost: code === "25P03" };
    }
    if (/^(08|53|58)/.test(code)) {
      return { problem: "errors.db.unavailable", cause: message, connectionLost: code.startsWith("08") };
    }
    return undefined;
  }
  if (isTlsFailure(e)) {
    return { problem: connect, cause: msg("errors.db.tls", { message: oneLine(e.message) }), connectionLost: true };
  }
  if (code === "CONNECT_TIMEOUT") {
    const seconds = label.connectTimeoutSeconds;
    return {
      problem: connect,
      cause: msg("errors.db.connect_timeout", { seconds: seconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS }),
      connectionLost: true,
    };
  }
  const socketCause = SOCKET_CAUSES[code];
  if (socketCause) {
    const problem: ErrorKey = code.startsWith("CONNECTION_") || code === "ECONNRESET" || code === "EPIPE"
      ? "errors.db.lost"
      : connect;
    return { problem, cause: msg(socketCause), connectionLost: true };
  }
  return undefined;
}

/** SQLite primary result codes that mean the file cannot be used (see sqlite.org/rescode.html). */
const SQLITE_CAUSES: Record<number, ErrorKey> = {
  5: "errors.db.locked_elsewhere",
  6: "errors.db.locked",
  8: "errors.db.read_only",
  10: "errors.path.io",
  11: "errors.db.corrupt",
  13: "errors.db.disk_full",
  14: "errors.db.cannot_open",
  23: "errors.db.access_denied",
  26: "errors.db.not_sqlite",
};

/** SQLite's own messages of those codes (node:sqlite sets no `errcode` on `exec` and open errors). */
const SQLITE_MESSAGES: ReadonlyArray<[RegExp, number]> = [
  [/^database is locked/, 5],
  [/^database table is locked/, 6],
  [/^attempt to write a readonly database/, 8],
  [/^disk I\/O error/, 10],
  [/^database disk image is malformed/, 11],
  [/^database or disk is full/, 13],
  [/^unable to open database file/, 14],
  [/^file is not a database/, 26],
];

/** The primary SQLite result code of a node:sqlite error, when it has one. */
export function sqliteCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as DriverError;
  if (typeof e.errcode === "number") return e.errcode & 0xff;
  if (e.code !== "ERR_SQLITE_ERROR") return undefined;
  return SQLITE_MESSAGES.find(([pattern]) => pattern.test(e.message ?? ""))?.[1];
}

/** Diagnoses a node:sqlite or file-system error; `undefined` when it is not about the file. */
export function diagnoseSqlite(error: unknown): Diagnosis | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = sqliteCode(error);
  if (code !== undefined) {
    const cause = SQLITE_CAUSES[code];
    if (!cause) return undefined;
    return { problem: "errors.db.cannot_use_file", cause: msg(cause), connectionLost: false };
  }
  if ((error as DriverError).code === "ERR_SQLITE_ERROR") return undefined;
  const cause = fileSystemCause(error);
  return cause ? { problem: "errors.db.cannot_open_file", cause, connectionLost: false } : undefined;
}

/** A file-system error in a few words, or undefined when it is not one. */
export function fileSystemCause(error: unknown): Message | undefined {
  const key = fileSystemCauseKey(error);
  return key === undefined ? undefined : msg(key);
}

function fileSystemCauseKey(error: unknown): ErrorKey | undefined {
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return "errors.path.permission_denied";
  }
  if (error instanceof Deno.errors.NotADirectory) return "errors.path.part_is_file";
  if (error instanceof Deno.errors.IsADirectory) return "errors.path.is_folder";
  if (error instanceof Deno.errors.NotFound) return "errors.db.no_folder";
  if (error instanceof Deno.errors.AlreadyExists) return "errors.path.part_is_file";
  const code = String((error as DriverError).code ?? "");
  if (code === "EROFS") return "errors.path.read_only";
  if (code === "ENOSPC") return "errors.path.no_space";
  if (code === "EDQUOT") return "errors.path.quota";
  if (code === "EIO") return "errors.path.io";
  if (code === "ENAMETOOLONG") return "errors.db.path_too_long";
  if (code === "ELOOP") return "errors.db.symlinks";
  return undefined;
}

/** The exit-7 error for `diagnosis` on `label`. */
export function unavailable(label: DatabaseLabel, diagnosis: Diagnosis, cause: unknown): UnavailableError {
  return new UnavailableError(
    msg(diagnosis.problem, { where: label.where, source: label.source, cause: diagnosis.cause }),
    { field: "DATABASE_URL", cause },
  );
}
