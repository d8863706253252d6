/**
 * Configuration from the environment, optionally completed by a `.env` file in
 * the working directory. A variable already set in the environment always wins
 * over `.env`. Everything is validated with zod; a bad value is an
 * {@link InvalidInputError} naming the variable (exit 2).
 * @module
 */
import { parseEnv } from "node:util";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { InvalidInputError } from "./domain/errors.ts";

/** Where the database lives, parsed from `DATABASE_URL`. */
export type DatabaseTarget =
  | { kind: "sqlite"; path: string | ":memory:"; isDefault: boolean }
  | { kind: "postgres"; url: string };

/** The validated configuration of one run. */
export interface Config {
  database: DatabaseTarget;
  /** `SECRET_KEY` when set (already checked to be ≥ 32 bytes). */
  secretKey?: string;
  tokenLifetimeMinutes: number;
  configDir: string;
  dataDir: string;
  logDir: string;
  /** `EPIC_EVENTS_TOKEN`, used instead of the stored token. */
  tokenOverride?: string;
  sentryDsn?: string;
  sentryEnvironment: string;
  logLevel: "debug" | "info" | "warning" | "error";
  bcryptRounds: number;
  /** `TZ`: the zone of dates typed without one (default: the system's). */
  timeZone?: string;
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

/** An optional text variable; set but empty counts as unset. */
const optionalText = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.string().trim().optional(),
);

const schema = z.object({
  DATABASE_URL: optionalText,
  SECRET_KEY: z.string().optional().refine(
    (v) => v === undefined || v === "" || new TextEncoder().encode(v).length >= 32,
    "must be at least 32 bytes long",
  ),
  ACCESS_TOKEN_EXPIRE_MINUTES: z.coerce.number().int().min(1).max(525_600).default(1440),
  EPIC_EVENTS_CONFIG_DIR: optionalText,
  EPIC_EVENTS_DATA_DIR: optionalText,
  EPIC_EVENTS_LOG_DIR: optionalText,
  EPIC_EVENTS_TOKEN: optionalText,
  SENTRY_DSN: z.url().optional().or(z.literal("")),
  SENTRY_ENVIRONMENT: z.string().trim().min(1).default("production"),
  LOG_LEVEL: z.string().trim().toUpperCase().pipe(z.enum(["DEBUG", "INFO", "WARNING", "WARN", "ERROR"]))
    .default("INFO"),
  BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(31).default(12),
  EPIC_EVENTS_TEST_MODE: z.enum(["0", "1", "true", "false"]).optional(),
  // Server mode: checked where they are used (src/cli/server_mode.ts, src/cli/commands/serve.ts).
  EPIC_EVENTS_SERVER: optionalText,
  EPIC_EVENTS_CA_CERT: optionalText,
  EPIC_EVENTS_SERVER_TIMEOUT: optionalText,
  EPIC_EVENTS_LISTEN: optionalText,
  EPIC_EVENTS_TLS_CERT: optionalText,
  EPIC_EVENTS_TLS_KEY: optionalText,
  EPIC_EVENTS_REQUEST_TIMEOUT: optionalText,
  EPIC_EVENTS_TRUSTED_PROXY: optionalText,
  HOME: z.string().optional(),
  TZ: optionalText,
  XDG_CONFIG_HOME: optionalText,
  XDG_DATA_HOME: optionalText,
  XDG_STATE_HOME: optionalText,
});

/**
 * Reads `.env` in `cwd` (when present) and merges it under `env`: a variable
 * set in `env` always wins.
 */
export function mergeDotEnv(env: Env, cwd: string): Env {
  let text: string;
  try {
    text = Deno.readTextFileSync(join(cwd, ".env"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return env;
    throw error;
  }
  const fromFile = parseEnv(text) as Record<string, string>;
  const merged: Env = { ...fromFile };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Parses `DATABASE_URL` into a target; `dataDir` holds the default file. */
export function parseDatabaseUrl(url: string | undefined, dataDir: string, cwd: string): DatabaseTarget {
  if (url === undefined) {
    return { kind: "sqlite", path: join(dataDir, "epic-events.db"), isDefault: true };
  }
  if (url === "sqlite::memory:" || url === "sqlite://:memory:") {
    return { kind: "sqlite", path: ":memory:", isDefault: false };
  }
  if (url.startsWith("sqlite:")) {
    let rest = url.slice("sqlite:".length);
    if (rest.startsWith("//")) rest = rest.slice(2);
    if (rest === "") throw new InvalidInputError("DATABASE_URL: an sqlite URL needs a file path", "DATABASE_URL");
    return { kind: "sqlite", path: resolve(cwd, decodeURIComponent(rest)), isDefault: false };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new InvalidInputError("DATABASE_URL: not a valid postgres:// URL", "DATABASE_URL");
    }
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
  const env = mergeDotEnv(rawEnv, cwd);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    throw new InvalidInputError(`${name}: ${issue.message}`, name);
  }
  const v = parsed.data;
  const testMode = v.EPIC_EVENTS_TEST_MODE === "1" || v.EPIC_EVENTS_TEST_MODE === "true";
  if (v.BCRYPT_ROUNDS < 10 && !testMode) {
    throw new InvalidInputError("BCRYPT_ROUNDS: must be at least 10", "BCRYPT_ROUNDS");
  }
  const home = v.HOME ?? systemHome() ?? cwd;
  const dataDir = v.EPIC_EVENTS_DATA_DIR ?? join(v.XDG_DATA_HOME ?? join(home, ".local", "share"), "epic-events");
  return {
    database: parseDatabaseUrl(v.DATABASE_URL, dataDir, cwd),
    secretKey: v.SECRET_KEY || undefined,
    tokenLifetimeMinutes: v.ACCESS_TOKEN_EXPIRE_MINUTES,
    configDir: v.EPIC_EVENTS_CONFIG_DIR ?? join(v.XDG_CONFIG_HOME ?? join(home, ".config"), "epic-events"),
    dataDir,
    logDir: v.EPIC_EVENTS_LOG_DIR ??
      join(v.XDG_STATE_HOME ?? join(home, ".local", "state"), "epic-events", "logs"),
    tokenOverride: v.EPIC_EVENTS_TOKEN,
    sentryDsn: v.SENTRY_DSN || undefined,
    sentryEnvironment: v.SENTRY_ENVIRONMENT,
    logLevel: LOG_LEVELS[v.LOG_LEVEL],
    bcryptRounds: v.BCRYPT_ROUNDS,
    timeZone: v.TZ?.replace(/^:/, ""),
  };
}
