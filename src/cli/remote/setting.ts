/**
 * Which server, if any, this CLI uses: `EPIC_EVENTS_SERVER` from the
 * environment (never from a `.env` file, which may not set it), or the one
 * remembered by `epic-events login --server URL` in the file `server` of the
 * config folder. Read without loading any adapter, so that the run can decide
 * early (and cheaply) whether it reads `DATABASE_URL` and `SECRET_KEY` at all.
 * @module
 */
import { join } from "node:path";
import { configDirOf, type Env } from "../../config.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import { checkPrivateDir } from "../../security/private_dir.ts";
import type { Io } from "../app/io.ts";
import { t } from "../../i18n/mod.ts";

/** The file of the config folder that remembers `login --server`. */
export const SERVER_FILE = "server";

/** A configured server and where the setting came from (named in messages). */
export interface ServerSetting {
  url: URL;
  /** `EPIC_EVENTS_SERVER`, `--server` or the remembered file's path. */
  source: string;
}

/** A trimmed value, or `undefined` when unset or blank. */
export function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function readServerFile(configDir: string): { text: string; path: string } | undefined {
  // A config folder that others could write to is refused (exit 2), as for the tokens.
  if (!checkPrivateDir(configDir, { variable: "EPIC_EVENTS_CONFIG_DIR" })) return undefined;
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
    throw new InvalidInputError(t("cli.server.not_url", { source }), source);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidInputError(t("cli.server.scheme", { source }), source);
  }
  if (url.username || url.password) {
    throw new InvalidInputError(t("cli.server.credentials", { source }), source);
  }
  if (url.search || url.hash) {
    throw new InvalidInputError(t("cli.server.query", { source }), source);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new InvalidInputError(t("cli.server.plain_http", { source }), source);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

/** The raw server setting of an environment: `EPIC_EVENTS_SERVER`, else the remembered file. */
function serverText(env: Env, cwd: string): { text: string; source: string } | undefined {
  const fromEnv = text(env.EPIC_EVENTS_SERVER);
  if (fromEnv) return { text: fromEnv, source: "EPIC_EVENTS_SERVER" };
  const file = readServerFile(configDirOf(env, cwd));
  return file ? { text: file.text, source: file.path } : undefined;
}

/** The server remembered by `login --server` (not `EPIC_EVENTS_SERVER`), if any and valid. */
export function rememberedServer(env: Env, cwd: string): URL | undefined {
  const file = readServerFile(configDirOf(env, cwd));
  if (!file) return undefined;
  try {
    return parseServerUrl(file.text, file.path);
  } catch {
    return undefined;
  }
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
export function serverOf(rt: { readonly io: Io }): ServerSetting | undefined {
  const found = serverText(rt.io.env, rt.io.cwd);
  return found ? { url: parseServerUrl(found.text, found.source), source: found.source } : undefined;
}

/**
 * Refuses an operator command that needs the database while a server is
 * configured (it would otherwise open a local database by mistake).
 *
 * @throws {InvalidInputError} (exit 2) saying how to run it
 */
export function refuseInServerMode(rt: { readonly io: Io; commandName: string }): void {
  const found = serverText(rt.io.env, rt.io.cwd);
  if (!found) return;
  const command = rt.commandName || t("cli.server.this_command");
  throw new InvalidInputError(
    t("cli.server.operator_command", { command, server: found.text, source: found.source }),
    found.source,
  );
}
