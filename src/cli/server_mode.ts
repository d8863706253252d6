/**
 * Server mode of the CLI: when a server is configured — `EPIC_EVENTS_SERVER`,
 * or the one remembered by `epic-events login --server URL` in the file
 * `server` next to the token — every command reaches the CRM through the
 * {@link RemoteCrm} instead of the local adapter, and the run reads neither
 * `DATABASE_URL` nor `SECRET_KEY` (they are blanked before the configuration
 * is read). Operator commands that need the database (`init`, `migrate`,
 * `serve`, `backup`) refuse to run in server mode.
 * @module
 */
import { join } from "node:path";
import { type Config, type Env, loadConfig, mergeDotEnv } from "../config.ts";
import { InvalidInputError } from "../domain/errors.ts";
import type { Crm } from "../port/crm.ts";
import { type LocalBackend, LocalCrm } from "../port/local.ts";
import { DEFAULT_SERVER_TIMEOUT_MS, RemoteCrm } from "../port/remote.ts";
import type { TokenStore } from "../security/token_store.ts";
import type { Io } from "./io.ts";

/**
 * What server mode needs of the run; the CLI's `Runtime` provides it (named
 * structurally, so that `runtime.ts` may use this module without a cycle).
 */
export interface RunState extends LocalBackend {
  readonly io: Io;
  commandName: string;
  config(): Config;
  tokenStore(): TokenStore;
}

/** The file, next to the token, that remembers `login --server`. */
export const SERVER_FILE = "server";

/** A configured server and where the setting came from (named in messages). */
export interface ServerSetting {
  url: URL;
  /** `EPIC_EVENTS_SERVER`, `--server` or the remembered file's path. */
  source: string;
}

const isWindows = Deno.build.os === "windows";

function mergedEnv(env: Env, cwd: string): Env {
  try {
    return mergeDotEnv(env, cwd);
  } catch {
    // An unreadable .env is reported by the configuration itself.
    return env;
  }
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readServerFile(configDir: string): { text: string; path: string } | undefined {
  const path = join(configDir, SERVER_FILE);
  try {
    const found = text(Deno.readTextFileSync(path));
    return found ? { text: found, path } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `hostname` (as `URL` spells it) is a loopback address. */
export function isLoopback(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  const octets = hostname.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/**
 * Checks a server URL: `https://host[:port][/path]`, or `http://` for a
 * loopback address only (a password and a token must never cross a network
 * in clear text).
 *
 * @throws {InvalidInputError} naming `source` (exit 2)
 */
export function parseServerUrl(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(`${source}: not a URL; expected https://host[:port]`, source);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidInputError(`${source}: must start with https:// (or http:// for a loopback address)`, source);
  }
  if (url.username || url.password) {
    throw new InvalidInputError(`${source}: must not contain a user name or password`, source);
  }
  if (url.search || url.hash) {
    throw new InvalidInputError(`${source}: must not contain a query (?) or fragment (#)`, source);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new InvalidInputError(
      `${source}: plain http:// is only accepted for a loopback address (127.0.0.1, ::1, localhost), ` +
        "because passwords and tokens would cross the network unencrypted; use https://",
      source,
    );
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/** The raw server setting of an environment: `EPIC_EVENTS_SERVER`, else the remembered file. */
function serverText(env: Env, cwd: string): { text: string; source: string } | undefined {
  const merged = mergedEnv(env, cwd);
  const fromEnv = text(merged.EPIC_EVENTS_SERVER);
  if (fromEnv) return { text: fromEnv, source: "EPIC_EVENTS_SERVER" };
  let configDir: string;
  try {
    configDir = loadConfig({ ...env, DATABASE_URL: "", SECRET_KEY: "" }, cwd).configDir;
  } catch {
    return undefined;
  }
  const file = readServerFile(configDir);
  return file ? { text: file.text, source: file.path } : undefined;
}

/**
 * The environment the configuration is read from: in server mode, with
 * `DATABASE_URL` and `SECRET_KEY` blanked (a blank value wins over `.env`),
 * so that neither is read, checked or used.
 */
export function clientEnv(env: Env, cwd: string): Env {
  return serverText(env, cwd) ? { ...env, DATABASE_URL: "", SECRET_KEY: "" } : env;
}

/** The server this run uses, if any (exit 2 for a bad URL). */
export function serverOf(rt: RunState): ServerSetting | undefined {
  const found = serverText(rt.io.env, rt.io.cwd);
  return found ? { url: parseServerUrl(found.text, found.source), source: found.source } : undefined;
}

/**
 * Refuses an operator command that needs the database while a server is
 * configured (it would otherwise open a local database by mistake).
 *
 * @throws {InvalidInputError} (exit 2) saying how to run it
 */
export function refuseInServerMode(rt: RunState): void {
  const found = serverText(rt.io.env, rt.io.cwd);
  if (!found) return;
  throw new InvalidInputError(
    `${rt.commandName || "this command"} needs the database, but this CLI uses the server ${found.text} ` +
      `(${found.source}); run it on the server host, where DATABASE_URL is`,
    found.source,
  );
}

function positiveSeconds(env: Env, name: string, fallbackMs: number): number {
  const value = text(env[name]);
  if (value === undefined) return fallbackMs;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 3600) {
    throw new InvalidInputError(`${name}: must be a whole number of seconds, 1 to 3600`, name);
  }
  return Number(value) * 1000;
}

function caCerts(env: Env): string[] | undefined {
  const file = text(env.EPIC_EVENTS_CA_CERT);
  if (file === undefined) return undefined;
  let pem: string;
  try {
    pem = Deno.readTextFileSync(file);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
    throw new InvalidInputError(`EPIC_EVENTS_CA_CERT: cannot read ${file}: ${why}`, "EPIC_EVENTS_CA_CERT");
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new InvalidInputError(
      `EPIC_EVENTS_CA_CERT: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      "EPIC_EVENTS_CA_CERT",
    );
  }
  return [pem];
}

/** The remote adapter for `server`, with this run's token store and settings. */
export function remoteCrm(rt: RunState, server: URL): RemoteCrm {
  const env = mergedEnv(rt.io.env, rt.io.cwd);
  return new RemoteCrm({
    server,
    tokens: rt.tokenStore(),
    tokenOverride: rt.config().tokenOverride,
    caCerts: caCerts(env),
    timeoutMs: positiveSeconds(env, "EPIC_EVENTS_SERVER_TIMEOUT", DEFAULT_SERVER_TIMEOUT_MS),
    onUser: (id) => {
      rt.userId = id;
    },
  });
}

/** The port of this run: remote when a server is configured, local otherwise. */
export function crmFor(rt: RunState): Crm {
  const server = serverOf(rt);
  return server ? remoteCrm(rt, server.url) : new LocalCrm(rt);
}

/**
 * The port `login` uses: the server of `--server` (remembered once the login
 * succeeds), else the configured one, else the local database — whose key
 * and database are checked before any prompt, as before server mode existed.
 */
export async function loginCrm(rt: RunState, serverFlag: string | undefined): Promise<Crm> {
  if (serverFlag !== undefined) {
    const url = parseServerUrl(serverFlag, "--server");
    // From here on this run is in server mode: the configuration (if not
    // read yet) is read without DATABASE_URL and SECRET_KEY.
    rt.io.env = { ...rt.io.env, EPIC_EVENTS_SERVER: url.href };
    return remoteCrm(rt, url);
  }
  const server = serverOf(rt);
  if (server) return remoteCrm(rt, server.url);
  rt.tokenSettings();
  await rt.anonymousContext();
  return new LocalCrm(rt);
}

/** Remembers `server` next to the token (folder 0700, file 0600, replaced atomically). */
export async function rememberServer(rt: RunState, server: URL): Promise<void> {
  const dir = rt.config().configDir;
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, SERVER_FILE);
  const temp = join(dir, `.${SERVER_FILE}.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(temp, `${server.href.replace(/\/$/, "")}\n`, { createNew: true, mode: 0o600 });
    if (!isWindows) await Deno.chmod(temp, 0o600);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
