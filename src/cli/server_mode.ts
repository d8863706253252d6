/**
 * Server mode of the CLI: when a server is configured (see
 * `server_setting.ts`) every command reaches the CRM through the
 * {@link RemoteCrm} instead of the local adapter, and the run reads neither
 * `DATABASE_URL` nor `SECRET_KEY` (they are blanked before the configuration
 * is read). Operator commands that need the database (`init`, `migrate`,
 * `serve`, `backup`) refuse to run in server mode.
 * @module
 */
import { join } from "node:path";
import type { Config, Env } from "../config.ts";
import { InvalidInputError } from "../domain/errors.ts";
import type { Crm } from "../port/crm.ts";
import { type LocalBackend, LocalCrm } from "../port/local.ts";
import { DEFAULT_SERVER_TIMEOUT_MS, RemoteCrm } from "../port/remote.ts";
import { ensurePrivateDir } from "../security/private_dir.ts";
import type { TokenStore } from "../security/token_store.ts";
import type { Io } from "./io.ts";
import { mergedEnv, parseServerUrl, SERVER_FILE, serverOf, text } from "./server_setting.ts";

export { parseServerUrl, refuseInServerMode, serverOf } from "./server_setting.ts";

const isWindows = Deno.build.os === "windows";

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
  ensurePrivateDir(dir, { variable: "EPIC_EVENTS_CONFIG_DIR" });
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
