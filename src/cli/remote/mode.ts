/**
 * Server mode of the CLI: when a server is configured (see
^ * `setting.ts`) every command reaches the CRM through the
 * {@link RemoteCrm} instead of the local adapter, and the run reads neither
 * `DATABASE_URL` nor `SECRET_KEY` (they are blanked before the configuration
 * is read). Operator commands that need the database (`init`, `migrate`,
 * `serve`, `backup`) refuse to run in server mode.
 * @module
 */
import { join } from "node:path";
import { type Config, type Env, mergeDotEnv } from "../../config.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import type { Lang } from "../../domain/lang.ts";
import type { Crm } from "../../port/crm.ts";
import { type LocalBackend, LocalCrm } from "../../port/local.ts";
import { DEFAULT_SERVER_TIMEOUT_MS, RemoteCrm, type RemoteTokens } from "../../port/remote.ts";
import { ensurePrivateDir } from "../../security/private_dir.ts";
import { serverEntry, TokenStore } from "../../security/token_store.ts";
import type { Io } from "../app/io.ts";
import { rememberedServer, SERVER_FILE, serverOf, text } from "./setting.ts";
import { t } from "../../i18n/mod.ts";

export { parseServerUrl, refuseInServerMode, serverOf } from "./setting.ts";

/** The copy of the CA given to `login --server URL --ca-cert FILE`, in the server's entry. */
export const CA_FILE = "ca.pem";

/** Largest CA file read (a bundle of a few certificates is a few kilobytes). */
const MAX_PEM_BYTES = 1024 * 1024;

const isWindows = Deno.build.os === "windows";

/**
 * What server mode needs of the run; the CLI's `Runtime` provides it (named
 * structurally, so that `app/runtime.ts` may use this module without a cycle).
 */
export interface RunState extends LocalBackend {
  readonly io: Io;
  commandName: string;
  config(): Config;
  tokenStore(): TokenStore;
  /** The language of this run, asked of the server for its errors (`Accept-Language`). */
  readonly lang?: Lang;
}

function positiveSeconds(env: Env, name: string, fallbackMs: number): number {
  const value = text(env[name]);
  if (value === undefined) return fallbackMs;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 3600) {
    throw new InvalidInputError(t("cli.serve.seconds", { name }), name);
  }
  return Number(value) * 1000;
}

/**
 * The PEM certificate(s) in `file`, named `source` in messages (exit 2 when
 * missing, unreadable, above 1 MiB or holding no certificate).
 */
export function readCaCert(file: string, source: string): string {
  let pem: string;
  try {
    if (Deno.statSync(file).size > MAX_PEM_BYTES) {
      throw new InvalidInputError(t("cli.ca.too_large", { source, file }), source);
    }
    pem = Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const why = error instanceof Deno.errors.NotFound ? t("cli.file.missing") : (error as Error).message;
    throw new InvalidInputError(t("cli.file.unreadable", { what: source, file, why }), source);
  }
  // i18n-ignore: the PEM marker looked for, not prose
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new InvalidInputError(t("cli.ca.no_certificate", { source, file }), source);
  }
  return pem;
}

/**
 * The private CAs trusted for `server`: `EPIC_EVENTS_CA_CERT` from the
 * environment (a `.env` may not set it), else the copy kept by
 * `login --server URL --ca-cert FILE` for this origin, else none.
 */
function trustedCas(rt: RunState, server: URL): string[] | undefined {
  const file = text(rt.io.env.EPIC_EVENTS_CA_CERT);
  if (file !== undefined) return [readCaCert(file, "EPIC_EVENTS_CA_CERT")];
  const kept = join(rt.config().configDir, serverEntry(server), CA_FILE);
  try {
    Deno.statSync(kept);
  } catch {
    return undefined;
  }
  return [readCaCert(kept, "EPIC_EVENTS_CONFIG_DIR")];
}

/**
 * The token store of `server`'s origin. The token of an older version
 * (`<configDir>/token`, whose issuer was not written down) is adopted only
 * by the server remembered by `login --server`: that version sent it there,
 * and nowhere else unless `EPIC_EVENTS_SERVER` said so for one command.
 */
function serverTokens(rt: RunState, server: URL): RemoteTokens {
  const store = new TokenStore(rt.config().configDir, serverEntry(server));
  const adopts = rememberedServer(rt.io.env, rt.io.cwd)?.origin === server.origin;
  return {
    async read() {
      const token = await store.read();
      if (token !== null || !adopts) return token;
      const legacy = await store.readLegacy();
      if (legacy === null || await store.adoptLegacy(legacy)) return legacy;
      return await store.read() ?? legacy;
    },
    write: (token) => store.write(token),
    remove: () => store.remove(),
  };
}

/**
 * The remote adapter for `server`, with this run's settings and the token of
 * that server's origin alone; `caPem` (from `login --ca-cert`) replaces the
 * trusted CAs.
 */
export function remoteCrm(rt: RunState, server: URL, caPem?: string): RemoteCrm {
  // The configuration first: a refused .env (or any bad setting) ends the run before anything is sent.
  const config = rt.config();
  return new RemoteCrm({
    server,
    tokens: serverTokens(rt, server),
    tokenOverride: config.tokenOverride,
    caCerts: caPem === undefined ? trustedCas(rt, server) : [caPem],
    timeoutMs: positiveSeconds(
      mergeDotEnv(rt.io.env, rt.io.cwd),
      "EPIC_EVENTS_SERVER_TIMEOUT",
      DEFAULT_SERVER_TIMEOUT_MS,
    ),
    onUser: (id) => {
      rt.userId = id;
    },
    lang: rt.lang,
  });
}

/** The port of this run: remote when a server is configured, local otherwise. */
export function crmFor(rt: RunState): Crm {
  const server = serverOf(rt);
  return server ? remoteCrm(rt, server.url) : new LocalCrm(rt);
}

/**
 * Remembers `server` in the config folder (folder 0700, file 0600, replaced
 * atomically), and `caPem` in its entry: a copy, not the path, so that what
 * is trusted is what the user chose at login, even if the file at that path
 * is later replaced, moved or deleted.
 */
export async function rememberServer(rt: RunState, server: URL, caPem?: string): Promise<void> {
  const dir = rt.config().configDir;
  if (caPem !== undefined) await new TokenStore(dir, serverEntry(server)).writeFile(CA_FILE, caPem);
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
