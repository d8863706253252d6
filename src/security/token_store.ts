/**
 * The session tokens kept on this machine: one per place that issued it, as
 * `gh` keeps one entry per host, so that a token is only ever read for (and so
 * sent to) the place that issued it:
 *
 * ```text
 * <configDir>/servers/https_crm.example.com_443/token    a server's token, by origin (and its ca.pem)
 * <configDir>/databases/<SHA-256 of the database>/token  a local database's token
 * ```
 *
 * A server entry is named by the server's origin (scheme, host, port); a
 * database entry by {@link databaseKey} (the SQLite file's real path, or the
 * PostgreSQL host, port, database, user and schema, never the password).
 *
 * Files are 0600 and replaced atomically (temporary file + rename) so a
 * reader never sees half a token; folders are created 0700. The config folder
 * itself is used as it is, but one that others can write to and that is not
 * ours is refused (exit 2).
 *
 * `<configDir>/token`, the single token of older versions, is the "legacy"
 * token: its owner is unknown, so it is never read as an entry's token; the
 * CLI decides when it may be adopted (moved into an entry), see
 * {@link TokenStore.adoptLegacy}.
 *
 * A token is never logged or printed.
 * @module
 */
import { basename, dirname, join } from "node:path";
import type { DatabaseTarget } from "../config.ts";
import { InvalidInputError } from "../domain/errors.ts";
import { checkPrivateDir, ensurePrivateDir, pathError } from "./private_dir.ts";
import { msg } from "../domain/messages.ts";

/** Name of the token file in an entry (and of the legacy token in the config folder). */
export const TOKEN_FILE = "token";
/** Folder of the server entries. */
export const SERVERS_DIR = "servers";
/** Folder of the local database entries. */
export const DATABASES_DIR = "databases";

const VARIABLE = "EPIC_EVENTS_CONFIG_DIR";
const isWindows = Deno.build.os === "windows";

/**
 * The entry of a server: `servers/<scheme>_<host>_<port>` of its origin, the
 * port always written (`https_crm.example.com_443`), the colons of an IPv6
 * address written `-` (`http_[--1]_8080`). One entry per origin: the same
 * host on another port or scheme is another entry.
 */
export function serverEntry(server: URL): string {
  const scheme = server.protocol.replace(/:$/, "");
  const port = server.port || (scheme === "https" ? "443" : "80");
  return join(SERVERS_DIR, `${scheme}_${server.hostname.replaceAll(":", "-")}_${port}`);
}

/**
 * What identifies a database for its token, without any secret:
 * `sqlite <real path of the file>` (symbolic links resolved, so two paths to
 * one file are one database), or `postgres <user>@<host>:<port>/<database>`
 * with the `search_path` and `options` parameters (they choose the tables).
 */
export async function databaseKey(target: DatabaseTarget): Promise<string> {
  if (target.kind === "sqlite") {
    return target.path === ":memory:" ? "sqlite :memory:" : `sqlite ${await realPath(target.path)}`;
  }
  const url = new URL(target.url);
  const host = url.hostname.toLowerCase() || "localhost";
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || user;
  const params = ["search_path", "options"].flatMap((name) => {
    const value = url.searchParams.get(name);
    return value === null ? [] : [`${name}=${value}`];
  });
  return `postgres ${user}@${host}:${url.port || "5432"}/${database}${params.length ? `?${params.join("&")}` : ""}`;
}

/** The real path of `path`, or of its folder when the file does not exist yet. */
async function realPath(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    try {
      return join(await Deno.realPath(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/** The entry of a local database: `databases/<SHA-256 of its key>` (see {@link databaseKey}). */
export async function databaseEntry(target: DatabaseTarget): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(await databaseKey(target)));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return join(DATABASES_DIR, hex);
}

/** Reads, writes and removes the token (and private files) of one entry of the config folder. */
export class TokenStore {
  readonly #configDir: string;
  readonly #entryOf: () => Promise<string>;
  #entry?: Promise<string>;

  /**
   * The store of `entry` (a path relative to `configDir`, or how to compute
   * it when first needed); nothing is created before the first write.
   */
  constructor(configDir: string, entry: string | (() => Promise<string>)) {
    this.#configDir = configDir;
    this.#entryOf = typeof entry === "string" ? () => Promise.resolve(entry) : entry;
  }

  /** Full path of the file `name` of the entry (its token by default). */
  async path(name = TOKEN_FILE): Promise<string> {
    return join(this.#configDir, await this.#entryName(), name);
  }

  #entryName(): Promise<string> {
    return this.#entry ??= this.#entryOf();
  }

  /** Full path of the token of older versions, `<configDir>/token`. */
  get legacyPath(): string {
    return join(this.#configDir, TOKEN_FILE);
  }

  /**
   * The stored token, or `null` when there is none.
   * @throws {InvalidInputError} naming `EPIC_EVENTS_CONFIG_DIR` when the folder
   * is a file or not private, or the token path is a folder (exit 2).
   */
  async read(): Promise<string | null> {
    return await this.#readText(await this.path());
  }

  /** A private file of the entry (`ca.pem` …), or `null` when there is none. */
  async readFile(name: string): Promise<string | null> {
    return await this.#readText(await this.path(name), false);
  }

  /**
   * Stores `token`, replacing any previous one atomically. Creates the
   * missing folders with mode 0700 (an existing folder keeps its mode); the
   * file is 0600.
   */
  async write(token: string): Promise<void> {
    await this.writeFile(TOKEN_FILE, `${token}\n`);
  }

  /** Writes a private file of the entry (0600, replaced atomically). */
  async writeFile(name: string, text: string): Promise<void> {
    const path = await this.path(name);
    await this.#ensureDirs();
    if ((await lstat(path))?.isDirectory) throw isFolder(path);
    const temp = join(dirname(path), `.${name}.${crypto.randomUUID()}.tmp`);
    try {
      const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
      try {
        if (!isWindows) await Deno.chmod(temp, 0o600);
        let bytes = new TextEncoder().encode(text);
        while (bytes.length > 0) bytes = bytes.subarray(await file.write(bytes));
        await file.sync();
      } finally {
        file.close();
      }
      await Deno.rename(temp, path);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      if (error instanceof Deno.errors.IsADirectory) throw isFolder(path);
      throw pathError(error, VARIABLE, msg("errors.path.write", { path }));
    }
  }

  /** Deletes the stored token; does nothing when there is none. */
  async remove(): Promise<void> {
    await removeFile(await this.path());
  }

  /** The token of older versions (`<configDir>/token`), or `null`; never sent anywhere by itself. */
  async readLegacy(): Promise<string | null> {
    return await this.#readText(this.legacyPath);
  }

  /**
   * Moves the token of older versions into this entry, once the caller knows
   * it was issued here: only when it still holds `token` and the entry has no
   * token of its own (a hard link, which never replaces a file, then the
   * removal of the old name). Returns whether it moved.
   */
  async adoptLegacy(token: string): Promise<boolean> {
    if (await this.readLegacy() !== token) return false;
    const path = await this.path();
    await this.#ensureDirs();
    try {
      await Deno.link(this.legacyPath, path);
    } catch {
      // The entry has its own token meanwhile, or links are not possible here: leave both as they are.
      return false;
    }
    await removeFile(this.legacyPath);
    return true;
  }

  /** The config folder checked (or created) 0700, then each folder of the entry. */
  async #ensureDirs(): Promise<void> {
    ensurePrivateDir(this.#configDir, { variable: VARIABLE });
    const parts = (await this.#entryName()).split(/[\\/]/).filter((part) => part !== "");
    let current = this.#configDir;
    for (const part of parts) {
      current = join(current, part);
      ensurePrivateDir(current, { variable: VARIABLE });
    }
  }

  async #readText(path: string, trim = true): Promise<string | null> {
    if (!checkPrivateDir(this.#configDir, { variable: VARIABLE })) return null;
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return null;
      if (error instanceof Deno.errors.IsADirectory) throw isFolder(path);
      throw pathError(error, VARIABLE, msg("errors.path.read", { path }));
    }
    const found = trim ? text.trim() : text;
    return found.trim() === "" ? null : found;
  }
}

function isFolder(path: string): InvalidInputError {
  return new InvalidInputError(`${VARIABLE}: ${path} is a folder, not a file`, VARIABLE);
}

async function lstat(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch {
    return null;
  }
}

async function removeFile(path: string): Promise<void> {
  if ((await lstat(path))?.isDirectory) throw isFolder(path);
  try {
    await Deno.remove(path);
  } catch (error) {
    // Nothing there (nor any folder): nothing to remove.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return;
    throw pathError(error, VARIABLE, msg("errors.path.remove", { path }));
  }
}
