/**
 * Configuration from the environment, optionally completed by a `.env` file in
 * the working directory. A variable already set in the environment always wins
 * over `.env`, and a `.env` may not set the variables of {@link ENVIRONMENT_ONLY}
 * (where credentials go and are kept). Every variable is checked here, by a few plain rules (no
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
  /** The `.env` file read, and the variables taken from it (those the environment does not set). */
  dotEnv?: { path: string; names: readonly string[] };
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
  // Server mode: checked where they are used (src/cli/remote/mode.ts, src/cli/commands/serve.ts).
  "EPIC_EVENTS_SERVER",
  "EPIC_EVENTS_CA_CERT",
  "EPIC_EVENTS_SERVER_TIMEOUT",
  "EPIC_EVENTS_LISTEN",
  "EPIC_EVENTS_METRICS_LISTEN",
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
    | "METRICS_LISTEN"
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

/** Largest `.env` read: a bigger one is refused before it is read. */
export const DOTENV_MAX_BYTES = 64 * 1024;

/**
 * Variables a `.env` file may not set, and where they come from instead. A
 * `.env` can be planted (a shared folder, a cloned repository, an unpacked
 * archive): it may describe the project, never decide where credentials or
 * reports are sent, where the user's own credentials are kept, whom `serve`
 * trusts, or how strongly passwords are hashed. docs/environment.md gives
 * the reason of each.
 */
export const ENVIRONMENT_ONLY: Readonly<Record<string, string>> = {
  EPIC_EVENTS_SERVER: "the environment or `login --server`",
  EPIC_EVENTS_CA_CERT: "the environment or `login --server URL --ca-cert FILE`",
  EPIC_EVENTS_TOKEN: "the environment",
  EPIC_EVENTS_CONFIG_DIR: "the environment",
  XDG_CONFIG_HOME: "the environment",
  HOME: "the environment",
  SENTRY_DSN: "the environment",
  EPIC_EVENTS_TEST_MODE: "the environment",
  EPIC_EVENTS_LISTEN: "the environment or `serve --listen`",
  EPIC_EVENTS_METRICS_LISTEN: "the environment or `serve --metrics-listen`",
  EPIC_EVENTS_TLS_CERT: "the environment or `serve --tls-cert`",
  EPIC_EVENTS_TLS_KEY: "the environment or `serve --tls-key`",
  EPIC_EVENTS_TRUSTED_PROXY: "the environment",
  EPIC_EVENTS_LANG: "the environment or `--lang`",
};

/** A `.env` file read: its path and the variables it sets. */
export interface DotEnv {
  path: string;
  values: Readonly<Record<string, string>>;
}

function dotEnvError(path: string, reason: string, field = ".env"): InvalidInputError {
  return new InvalidInputError(`.env: ${path} ${reason}`, field);
}

function dotEnvIoError(path: string, error: unknown): InvalidInputError | UnavailableError {
  if (error instanceof Deno.errors.IsADirectory) return dotEnvError(path, "is a folder, not a file");
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return new InvalidInputError(`.env: cannot read ${path}: permission denied`, ".env");
  }
  return new UnavailableError(`.env: cannot read ${path}: ${(error as Error).message}`, {
    field: ".env",
    cause: error,
  });
}

/**
 * Refuses what is not a small regular text file that only its owner (you, or
 * the system) could have written: a folder, a device, a pipe, a file above
 * {@link DOTENV_MAX_BYTES}, another user's file, a file anyone may write.
 */
function checkDotEnvFile(path: string, info: Deno.FileInfo): void {
  if (info.isDirectory) throw dotEnvError(path, "is a folder, not a file");
  if (!info.isFile) throw dotEnvError(path, "is not a regular file (a device, a pipe or a socket)");
  if (info.uid !== null && info.uid !== 0 && info.uid !== Deno.uid()) {
    throw dotEnvError(path, `belongs to another user (uid ${info.uid}): it is not read; use your own copy`);
  }
  if (info.mode !== null && (info.mode & 0o002) !== 0) {
    throw dotEnvError(path, "can be written by any user: it is not read; make it yours alone (chmod o-w)");
  }
  if (info.size > DOTENV_MAX_BYTES) {
    throw dotEnvError(path, `is ${info.size} bytes; a .env file is at most ${DOTENV_MAX_BYTES} bytes`);
  }
}

/** At most `limit + 1` bytes of `file` (enough to tell that it is too big). */
function readAtMost(file: Deno.FsFile, limit: number): Uint8Array {
  const buffer = new Uint8Array(limit + 1);
  let length = 0;
  while (length < buffer.length) {
    const read = file.readSync(buffer.subarray(length));
    if (read === null) break;
    length += read;
  }
  return buffer.subarray(0, length);
}

/**
 * Reads `.env` in `cwd`, or `undefined` when there is none. Bounded: the file
 * is checked (a regular file of yours, at most {@link DOTENV_MAX_BYTES}) before
 * it is opened and again once open, and never more than that is read. A
 * leading UTF-8 byte-order mark is ignored.
 *
 * @throws {InvalidInputError} naming `.env` and its path when it is a folder,
 * not a regular file, too big, not yours or writable by anyone, unreadable,
 * binary or not UTF-8 (exit 2); naming the variable when it sets one of
 * {@link ENVIRONMENT_ONLY}; {@link UnavailableError} for another I/O failure (exit 7).
 */
export function readDotEnv(cwd: string): DotEnv | undefined {
  const path = join(cwd, ".env");
  let bytes: Uint8Array;
  try {
    // Checked before opening: opening a pipe would wait for a writer.
    checkDotEnvFile(path, Deno.statSync(path));
    using file = Deno.openSync(path, { read: true });
    checkDotEnvFile(path, file.statSync());
    bytes = readAtMost(file, DOTENV_MAX_BYTES);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof InvalidInputError) throw error;
    throw dotEnvIoError(path, error);
  }
  if (bytes.length > DOTENV_MAX_BYTES) {
    throw dotEnvError(path, `is more than ${DOTENV_MAX_BYTES} bytes; a .env file is at most that`);
  }
  if (bytes.includes(0)) throw dotEnvError(path, "is binary (it holds NUL bytes), not text");
  let text: string;
  try {
    // The decoder drops a leading byte-order mark (ignoreBOM defaults to false).
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw dotEnvError(path, "is not valid UTF-8 text");
  }
  const values = parseEnv(text) as Record<string, string>;
  for (const [name, from] of Object.entries(ENVIRONMENT_ONLY)) {
    if (Object.hasOwn(values, name)) {
      throw dotEnvError(
        path,
        `sets ${name}, which is taken only from ${from}, never from a .env file; remove that line ` +
          "(docs/environment.md says why)",
        name,
      );
    }
  }
  return { path, values };
}

/** `dotEnv` under `env`: a variable set in `env` always wins. */
function mergeUnder(env: Env, dotEnv: DotEnv | undefined): Env {
  if (!dotEnv) return env;
  const merged: Env = { ...dotEnv.values };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/**
 * Reads `.env` in `cwd` (when present, see {@link readDotEnv}) and merges it
 * under `env`: a variable set in `env` always wins.
 *
 * @throws what {@link readDotEnv} throws.
 */
export function mergeDotEnv(env: Env, cwd: string): Env {
  return mergeUnder(env, readDotEnv(cwd));
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

/**
 * The config folder (tokens, the remembered server): `EPIC_EVENTS_CONFIG_DIR`,
 * else `$XDG_CONFIG_HOME/epic-events`, else `~/.config/epic-events`. Read from
 * `env` alone: a `.env` may set none of these (see {@link ENVIRONMENT_ONLY}).
 */
export function configDirOf(env: Env, cwd: string): string {
  const explicit = optionalText(env, "EPIC_EVENTS_CONFIG_DIR");
  if (explicit) return explicit;
  const home = env.HOME ?? systemHome() ?? cwd;
  return join(optionalText(env, "XDG_CONFIG_HOME") ?? join(home, ".config"), "epic-events");
}

/** Loads and validates the configuration from `env` (plus `.env` in `cwd`). */
export function loadConfig(rawEnv: Env, cwd: string): Config {
  const dotEnv = readDotEnv(cwd);
  const v = readVariables(mergeUnder(rawEnv, dotEnv));
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
    configDir: configDirOf(rawEnv, cwd),
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
    dotEnv: dotEnv && {
      path: dotEnv.path,
      names: Object.keys(dotEnv.values).filter((name) => rawEnv[name] === undefined),
    },
  };
}
