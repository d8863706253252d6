/**
 * Configuration from the environment, optionally completed by a `.env` file in
 * the working directory. A variable already set in the environment always wins
 * over `.env`. Every variable is checked here, by a few plain rules (no
 * schema library: the configuration is read by every command, so it is kept
 * cheap to load); a bad value is an {@link InvalidInputError} naming the
 * variable (exit 2).
 * @module
 */
import { parseEnv } from "node:util";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { InvalidInputError, UnavailableError } from "./domain/errors.ts";

/** Where the database lives, parsed from `DATABASE_URL`. */
export type DatabaseTarget =
  | { kind: "sqlite"; path: string | ":memory:"; isDefault: boolean }
  | { kind: "postgres"; url: string };

/** Default of `DATABASE_CONNECT_TIMEOUT`, in seconds. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

/** Values of `sslmode` in a postgres URL (libpq's list). */
export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;

/** The validated configuration of one run. */
export interface Config {
  database: DatabaseTarget;
  /** `SECRET_KEY` when set (already checked to be ≥ 32 bytes). */
  secretKey?: string;
  /** `BACKUP_KEY` when set (≥ 32 bytes): what authenticates backups instead of `SECRET_KEY`. */
  backupKey?: string;
  tokenLifetimeMinutes: number;
  configDir: string;
  dataDir: string;
  logDir: string;
  /** `EPIC_EVENTS_BACKUP_DIR`: where `backup create` writes (default `<dataDir>/backups`). */
  backupDir: string;
  /** `EPIC_EVENTS_TOKEN`, used instead of the stored token. */
  tokenOverride?: string;
  sentryDsn?: string;
  sentryEnvironment: string;
  logLevel: "debug" | "info" | "warning" | "error";
  bcryptRounds: number;
  /** `TZ`: the zone of dates typed without one (default: the system's). */
  timeZone?: string;
  /** `DATABASE_CONNECT_TIMEOUT`: seconds before an unreachable database is exit 7. */
  connectTimeoutSeconds: number;
}

/** Environment variables read by the program, as a plain record. */
export type Env = Record<string, string | undefined>;

const LOG_LEVELS = {
  DEBUG: "debug",
  INFO: "info",
  WARNING: "warning",
  WARN: "warning",
  ERROR: "error",
} as const;

/** Every variable the configuration reads, in the order they are checked. */
export const VARIABLES = [
  "DATABASE_URL",
  "DATABASE_CONNECT_TIMEOUT",
  "SECRET_KEY",
  "BACKUP_KEY",
  "ACCESS_TOKEN_EXPIRE_MINUTES",
  "EPIC_EVENTS_CONFIG_DIR",
  "EPIC_EVENTS_DATA_DIR",
  "EPIC_EVENTS_LOG_DIR",
  "EPIC_EVENTS_BACKUP_DIR",
  "EPIC_EVENTS_TOKEN",
  "SENTRY_DSN",
  "SENTRY_ENVIRONMENT",
  "LOG_LEVEL",
  "BCRYPT_ROUNDS",
  "EPIC_EVENTS_TEST_MODE",
  // Server mode: checked where they are used (src/cli/server_mode.ts, src/cli/commands/serve.ts).
  "EPIC_EVENTS_SERVER",
  "EPIC_EVENTS_CA_CERT",
  "EPIC_EVENTS_SERVER_TIMEOUT",
  "EPIC_EVENTS_LISTEN",
  "EPIC_EVENTS_TLS_CERT",
  "EPIC_EVENTS_TLS_KEY",
  "EPIC_EVENTS_REQUEST_TIMEOUT",
  "EPIC_EVENTS_TRUSTED_PROXY",
  "HOME",
  "TZ",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "XDG_STATE_HOME",
] as const;

type Variable = typeof VARIABLES[number];

/** Variables of server mode, read and checked where they are used (not part of {@link Config}). */
type ServerVariable = Extract<
  Variable,
  `EPIC_EVENTS_${
    | "SERVER"
    | "CA_CERT"
    | "SERVER_TIMEOUT"
    | "LISTEN"
    | "TLS_CERT"
    | "TLS_KEY"
    | "REQUEST_TIMEOUT"
    | "TRUSTED_PROXY"}`
>;

function invalid(name: Variable, reason: string): InvalidInputError {
  return new InvalidInputError(`${name}: ${reason}`, name);
}

/** An optional text variable, trimmed; set but blank counts as unset. */
function optionalText(env: Env, name: Variable): string | undefined {
  const value = env[name]?.trim();
  return value === "" ? undefined : value;
}

/** A number variable (`Number()` of its text), or `fallback` when unset. */
function numberOf(env: Env, name: Variable, fallback: number, blankIsUnset = false): number {
  const value = env[name];
  if (value === undefined || (blankIsUnset && value.trim() === "")) return fallback;
  return Number(value);
}

/** A whole number from `min` to `max`, or `fallback` when unset. */
function wholeNumber(env: Env, name: Variable, range: { min: number; max: number; fallback: number }): number {
  const n = numberOf(env, name, range.fallback);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw invalid(name, `must be a whole number from ${range.min} to ${range.max}`);
  }
  return n;
}

/** The variables, checked; the first bad one is refused, in the order of {@link VARIABLES}. */
function readVariables(env: Env) {
  const timeout = numberOf(env, "DATABASE_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT_SECONDS, true);
  if (Number.isNaN(timeout)) throw invalid("DATABASE_CONNECT_TIMEOUT", "must be a number of seconds");
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) {
    throw invalid("DATABASE_CONNECT_TIMEOUT", "must be a number of seconds above 0, at most 3600");
  }
  const secretKey = env.SECRET_KEY;
  if (secretKey !== undefined && secretKey !== "" && new TextEncoder().encode(secretKey).length < 32) {
    throw invalid("SECRET_KEY", "must be at least 32 bytes long");
  }
  const backupKey = env.BACKUP_KEY?.trim();
  if (backupKey !== undefined && backupKey !== "" && new TextEncoder().encode(backupKey).length < 32) {
    throw invalid("BACKUP_KEY", "must be at least 32 bytes long");
  }
  const tokenMinutes = wholeNumber(env, "ACCESS_TOKEN_EXPIRE_MINUTES", { min: 1, max: 525_600, fallback: 1440 });
  let sentryDsn = env.SENTRY_DSN;
  if (sentryDsn !== undefined && sentryDsn !== "") {
    sentryDsn = sentryDsn.trim();
    if (!URL.canParse(sentryDsn)) throw invalid("SENTRY_DSN", "must be a URL (the DSN of your Sentry project)");
    // As the URL parser reads it: without tabs and line breaks.
    sentryDsn = sentryDsn.replace(/[\t\n\r]/g, "");
  }
  const sentryEnvironment = env.SENTRY_ENVIRONMENT?.trim() ?? "production";
  if (sentryEnvironment === "") throw invalid("SENTRY_ENVIRONMENT", "must not be empty");
  const level = env.LOG_LEVEL?.trim().toUpperCase() ?? "INFO";
  if (!Object.hasOwn(LOG_LEVELS, level)) {
    throw invalid("LOG_LEVEL", `must be one of ${Object.keys(LOG_LEVELS).join(", ")} (any case)`);
  }
  const bcryptRounds = wholeNumber(env, "BCRYPT_ROUNDS", { min: 4, max: 31, fallback: 12 });
  const testMode = env.EPIC_EVENTS_TEST_MODE;
  if (testMode !== undefined && !["0", "1", "true", "false"].includes(testMode)) {
    throw invalid("EPIC_EVENTS_TEST_MODE", "must be one of 0, 1, true, false");
  }
  return {
    DATABASE_URL: optionalText(env, "DATABASE_URL"),
    DATABASE_CONNECT_TIMEOUT: timeout,
    SECRET_KEY: secretKey,
    BACKUP_KEY: backupKey,
    ACCESS_TOKEN_EXPIRE_MINUTES: tokenMinutes,
    EPIC_EVENTS_CONFIG_DIR: optionalText(env, "EPIC_EVENTS_CONFIG_DIR"),
    EPIC_EVENTS_DATA_DIR: optionalText(env, "EPIC_EVENTS_DATA_DIR"),
    EPIC_EVENTS_LOG_DIR: optionalText(env, "EPIC_EVENTS_LOG_DIR"),
    EPIC_EVENTS_BACKUP_DIR: optionalText(env, "EPIC_EVENTS_BACKUP_DIR"),
    EPIC_EVENTS_TOKEN: optionalText(env, "EPIC_EVENTS_TOKEN"),
    SENTRY_DSN: sentryDsn,
    SENTRY_ENVIRONMENT: sentryEnvironment,
    LOG_LEVEL: level as keyof typeof LOG_LEVELS,
    BCRYPT_ROUNDS: bcryptRounds,
    EPIC_EVENTS_TEST_MODE: testMode,
    HOME: env.HOME,
    TZ: optionalText(env, "TZ"),
    XDG_CONFIG_HOME: optionalText(env, "XDG_CONFIG_HOME"),
    XDG_DATA_HOME: optionalText(env, "XDG_DATA_HOME"),
    XDG_STATE_HOME: optionalText(env, "XDG_STATE_HOME"),
  } satisfies Record<Exclude<Variable, ServerVariable>, unknown>;
}

/**
 * Reads `.env` in `cwd` (when present) and merges it under `env`: a variable
 * set in `env` always wins. A leading UTF-8 byte-order mark is ignored.
 *
 * @throws {InvalidInputError} naming `.env` when it is a folder, unreadable or
 * not UTF-8 text (exit 2); {@link UnavailableError} for another I/O failure (exit 7).
 */
export function mergeDotEnv(env: Env, cwd: string): Env {
  const path = join(cwd, ".env");
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return env;
    if (error instanceof Deno.errors.IsADirectory) {
      throw new InvalidInputError(`.env: ${path} is a folder, not a file`, ".env");
    }
    if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
      throw new InvalidInputError(`.env: cannot read ${path}: permission denied`, ".env");
    }
    throw new UnavailableError(`.env: cannot read ${path}: ${(error as Error).message}`, {
      field: ".env",
      cause: error,
    });
  }
  let text: string;
  try {
    // The decoder drops a leading byte-order mark (ignoreBOM defaults to false).
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInputError(`.env: ${path} is not valid UTF-8 text`, ".env");
  }
  const fromFile = parseEnv(text) as Record<string, string>;
  const merged: Env = { ...fromFile };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

function badUrl(reason: string): InvalidInputError {
  // The URL itself is never echoed: it may hold a password.
  return new InvalidInputError(`DATABASE_URL: ${reason}`, "DATABASE_URL");
}

/** `decodeURIComponent` that names `part` of DATABASE_URL on a bad escape or a NUL. */
function decodePart(value: string, part: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw badUrl(`bad percent-escape in the ${part} (a % must be followed by two hex digits; write %25 for %)`);
  }
  if (decoded.includes("\0")) throw badUrl(`the ${part} contains a NUL character`);
  return decoded;
}

function checkPostgresUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUrl("not a valid postgres:// URL");
  }
  // postgres.js decodes each of these itself and would fail later with a bare URIError.
  const authority = url.slice(url.indexOf("://") + 3).split(/[/?#]/)[0];
  decodePart(authority.slice(authority.lastIndexOf("@") + 1), "host");
  decodePart(parsed.username, "user name");
  decodePart(parsed.password, "password");
  decodePart(parsed.pathname, "database name");
  for (const [key, value] of parsed.searchParams) {
    if (key.includes("\0") || value.includes("\0")) throw badUrl(`the parameter ${key} contains a NUL character`);
  }
  const sslmode = parsed.searchParams.get("sslmode");
  if (sslmode !== null && !(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw badUrl(`unknown sslmode "${sslmode.slice(0, 40)}" (expected one of ${SSL_MODES.join(", ")})`);
  }
}

/** Parses `DATABASE_URL` into a target; `dataDir` holds the default file. */
export function parseDatabaseUrl(url: string | undefined, dataDir: string, cwd: string): DatabaseTarget {
  if (url?.includes("\0")) throw badUrl("contains a NUL character");
  if (url === undefined) {
    return { kind: "sqlite", path: join(dataDir, "epic-events.db"), isDefault: true };
  }
  if (url === "sqlite::memory:" || url === "sqlite://:memory:") {
    return { kind: "sqlite", path: ":memory:", isDefault: false };
  }
  if (url.startsWith("sqlite:")) {
    let rest = url.slice("sqlite:".length);
    if (rest.startsWith("//")) rest = rest.slice(2);
    if (rest === "") throw badUrl("an sqlite URL needs a file path");
    return { kind: "sqlite", path: resolve(cwd, decodePart(rest, "path")), isDefault: false };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    checkPostgresUrl(url);
    return { kind: "postgres", url };
  }
  throw new InvalidInputError(
    "DATABASE_URL: expected sqlite:///path/to.db, sqlite::memory: or postgres://user:pass@host:5432/db",
    "DATABASE_URL",
  );
}

/** The user's home from the system when HOME is unset (none without permission). */
function systemHome(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

/** Loads and validates the configuration from `env` (plus `.env` in `cwd`). */
export function loadConfig(rawEnv: Env, cwd: string): Config {
  const v = readVariables(mergeDotEnv(rawEnv, cwd));
  const testMode = v.EPIC_EVENTS_TEST_MODE === "1" || v.EPIC_EVENTS_TEST_MODE === "true";
  if (v.BCRYPT_ROUNDS < 10 && !testMode) {
    throw new InvalidInputError("BCRYPT_ROUNDS: must be at least 10", "BCRYPT_ROUNDS");
  }
  const home = v.HOME ?? systemHome() ?? cwd;
  const dataDir = v.EPIC_EVENTS_DATA_DIR ?? join(v.XDG_DATA_HOME ?? join(home, ".local", "share"), "epic-events");
  return {
    database: parseDatabaseUrl(v.DATABASE_URL, dataDir, cwd),
    secretKey: v.SECRET_KEY || undefined,
    backupKey: v.BACKUP_KEY || undefined,
    tokenLifetimeMinutes: v.ACCESS_TOKEN_EXPIRE_MINUTES,
    configDir: v.EPIC_EVENTS_CONFIG_DIR ?? join(v.XDG_CONFIG_HOME ?? join(home, ".config"), "epic-events"),
    dataDir,
    logDir: v.EPIC_EVENTS_LOG_DIR ??
      join(v.XDG_STATE_HOME ?? join(home, ".local", "state"), "epic-events", "logs"),
    backupDir: v.EPIC_EVENTS_BACKUP_DIR ?? join(dataDir, "backups"),
    tokenOverride: v.EPIC_EVENTS_TOKEN,
    sentryDsn: v.SENTRY_DSN || undefined,
    sentryEnvironment: v.SENTRY_ENVIRONMENT,
    logLevel: LOG_LEVELS[v.LOG_LEVEL],
    bcryptRounds: v.BCRYPT_ROUNDS,
    timeZone: v.TZ?.replace(/^:/, ""),
    connectTimeoutSeconds: v.DATABASE_CONNECT_TIMEOUT,
  };
}
