/**
 * Turns a driver's "cannot reach / open / write the database" failure into an
 * {@link UnavailableError} (exit 7) whose one line names `DATABASE_URL` (its
 * password masked), the host:port or file, and the cause. Anything else is
 * left alone (a constraint, a bug: not ours to reword).
 * @module
 */
import { type DatabaseTarget, DEFAULT_CONNECT_TIMEOUT_SECONDS } from "../config.ts";
import { UnavailableError } from "../domain/errors.ts";

/** How a database is named in messages. */
export interface DatabaseLabel {
  /** `host:port` or the file path. */
  where: string;
  /** `DATABASE_URL=<url, password masked>`, or a note that the default file is used. */
  source: string;
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
      source: target.isDefault
        ? "DATABASE_URL unset: the default database file"
        : `DATABASE_URL=sqlite://${target.path}`,
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
  /** Starts the message: "Cannot connect to the database at". */
  problem: string;
  /** The cause, in a few words. */
  cause: string;
  /** The connection is unusable (no ROLLBACK can be sent on it). */
  connectionLost: boolean;
}

const SOCKET_CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "unknown host",
  EAI_NONAME: "unknown host",
  EAI_AGAIN: "the host name could not be resolved (DNS)",
  EAI_FAIL: "the host name could not be resolved (DNS)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EADDRNOTAVAIL: "address not available",
  ETIMEDOUT: "the connection timed out",
  ECONNRESET: "the connection was reset",
  ECONNABORTED: "the connection was aborted",
  EPIPE: "the connection was closed",
  CONNECTION_CLOSED: "the connection was closed",
  CONNECTION_ENDED: "the connection was closed",
  CONNECTION_DESTROYED: "the connection was closed",
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
  const connect = "Cannot connect to the database at";
  if (e.name === "PostgresError" || e.severity !== undefined) {
    const message = oneLine(e.message);
    switch (code) {
      case "28P01":
        return { problem: connect, cause: `wrong password (${message})`, connectionLost: true };
      case "28000":
        return { problem: connect, cause: `login refused (${message})`, connectionLost: true };
      case "3D000":
        return { problem: connect, cause: message, connectionLost: true };
      case "57P01":
      case "57P02":
      case "57P05":
        return { problem: "The database ended the connection at", cause: message, connectionLost: true };
      case "57P03":
        return { problem: connect, cause: message, connectionLost: true };
      case "57014":
        return { problem: "The database cancelled the query at", cause: message, connectionLost: false };
      case "55P03":
      case "25P03":
      case "25006":
        return { problem: "The database refused the work at", cause: message, connectionLost: code === "25P03" };
    }
    if (/^(08|53|58)/.test(code)) {
      return { problem: "The database is unavailable at", cause: message, connectionLost: code.startsWith("08") };
    }
    return undefined;
  }
  if (isTlsFailure(e)) {
    return { problem: connect, cause: `TLS failure (${oneLine(e.message)})`, connectionLost: true };
  }
  if (code === "CONNECT_TIMEOUT") {
    const seconds = label.connectTimeoutSeconds;
    return {
      problem: connect,
      cause: `no answer within ${seconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS} s (DATABASE_CONNECT_TIMEOUT)`,
      connectionLost: true,
    };
  }
  const socketCause = SOCKET_CAUSES[code];
  if (socketCause) {
    const problem = code.startsWith("CONNECTION_") || code === "ECONNRESET" || code === "EPIPE"
      ? "Lost the connection to the database at"
      : connect;
    return { problem, cause: socketCause, connectionLost: true };
  }
  return undefined;
}

/** SQLite primary result codes that mean the file cannot be used (see sqlite.org/rescode.html). */
const SQLITE_CAUSES: Record<number, string> = {
  5: "the database is locked by another process",
  6: "the database is locked",
  8: "the database is read-only (file or folder permissions, or a read-only disk)",
  10: "disk I/O error",
  11: "the database file is corrupt",
  13: "the disk is full",
  14: "the file cannot be opened",
  23: "access denied",
  26: "the file is not an SQLite database",
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
    return { problem: "Cannot use the database file", cause, connectionLost: false };
  }
  if ((error as DriverError).code === "ERR_SQLITE_ERROR") return undefined;
  const cause = fileSystemCause(error);
  return cause ? { problem: "Cannot open the database file", cause, connectionLost: false } : undefined;
}

/** A file-system error in a few words, or undefined when it is not one. */
export function fileSystemCause(error: unknown): string | undefined {
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return "permission denied";
  }
  if (error instanceof Deno.errors.NotADirectory) return "a part of the path is a file, not a folder";
  if (error instanceof Deno.errors.IsADirectory) return "it is a folder, not a file";
  if (error instanceof Deno.errors.NotFound) return "a folder of the path does not exist";
  if (error instanceof Deno.errors.AlreadyExists) return "a part of the path is a file, not a folder";
  const code = String((error as DriverError).code ?? "");
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOSPC") return "no space left on the disk";
  if (code === "EDQUOT") return "disk quota exceeded";
  if (code === "EIO") return "disk I/O error";
  if (code === "ENAMETOOLONG") return "the path is too long";
  if (code === "ELOOP") return "too many symbolic links";
  return undefined;
}

/** The exit-7 error for `diagnosis` on `label`. */
export function unavailable(label: DatabaseLabel, diagnosis: Diagnosis, cause: unknown): UnavailableError {
  return new UnavailableError(`${diagnosis.problem} ${label.where} (${label.source}): ${diagnosis.cause}.`, {
    field: "DATABASE_URL",
    cause,
  });
}
