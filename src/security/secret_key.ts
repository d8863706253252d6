/**
 * Where the JWT signing key comes from: `SECRET_KEY` when set; required with
 * PostgreSQL (many machines must share it); otherwise, for the embedded SQLite
 * default, a random key generated once into `<dataDir>/secret.key` (file 0600,
 * folder created 0700).
 *
 * The key is never logged or printed.
 * @module
 */
import { join } from "node:path";
import type { Config } from "../config.ts";
import { InvalidInputError } from "../domain/errors.ts";
import { checkPrivateDir, ensurePrivateDir, pathError } from "./private_dir.ts";
import { msg } from "../domain/messages.ts";

/** Name of the generated key file inside the data directory. */
export const SECRET_KEY_FILE = "secret.key";

const GENERATED_KEY_BYTES = 48;
const MIN_KEY_BYTES = 32;
const isWindows = Deno.build.os === "windows";

/**
 * Returns the signing key of this configuration: `config.secretKey` when set;
 * with PostgreSQL and no `SECRET_KEY`, an error; otherwise the content of
 * `<config.dataDir>/secret.key`, generated (48 random bytes, base64url) on the
 * first call. Two processes starting together agree on one key: the file is
 * written to a temporary name and published with an exclusive hard link, so it
 * appears complete or not at all, and the loser of the race reads the winner's.
 *
 * The data folder is created 0700 when missing and never changed when it
 * exists; a data folder that is a file, or that others can write to and is not
 * ours, is refused.
 *
 * @throws {InvalidInputError} naming `SECRET_KEY` with PostgreSQL and no key, or
 * when the key file exists but is too short or a folder; naming
 * `EPIC_EVENTS_DATA_DIR` when the data folder is refused or not writable.
 */
export function resolveSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  if (config.database.kind === "postgres") {
    throw new InvalidInputError(msg("errors.key.secret_required"), "SECRET_KEY");
  }
  const path = join(config.dataDir, SECRET_KEY_FILE);
  if (!checkPrivateDir(config.dataDir, { variable: DATA_DIR_VARIABLE })) return createKey(config.dataDir, path);
  return readKey(path) ?? createKey(config.dataDir, path);
}

const DATA_DIR_VARIABLE = "EPIC_EVENTS_DATA_DIR";

/** The key stored at `path`, or null when there is no file. */
function readKey(path: string): string | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    if (error instanceof Deno.errors.IsADirectory) {
      throw new InvalidInputError(msg("errors.key.file_is_folder", { path }), "SECRET_KEY");
    }
    throw pathError(error, DATA_DIR_VARIABLE, msg("errors.path.read_key", { path }));
  }
  const key = text.trim();
  if (new TextEncoder().encode(key).length < MIN_KEY_BYTES) {
    throw new InvalidInputError(msg("errors.key.file_short", { path, min: MIN_KEY_BYTES }), "SECRET_KEY");
  }
  tightenFile(path);
  return key;
}

function createKey(dir: string, path: string): string {
  ensurePrivateDir(dir, { variable: DATA_DIR_VARIABLE });
  const key = encodeBase64Url(crypto.getRandomValues(new Uint8Array(GENERATED_KEY_BYTES)));
  const temp = join(dir, `.${SECRET_KEY_FILE}.${crypto.randomUUID()}.tmp`);
  try {
    Deno.writeTextFileSync(temp, `${key}\n`, { createNew: true, mode: 0o600 });
    if (!isWindows) Deno.chmodSync(temp, 0o600);
    syncFile(temp);
    try {
      // link(2) fails when `path` exists: exactly one process publishes its key.
      Deno.linkSync(temp, path);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return readKey(path) ?? key;
      throw error;
    }
    return key;
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw pathError(error, DATA_DIR_VARIABLE, msg("errors.path.write_key", { path }));
  } finally {
    try {
      Deno.removeSync(temp);
    } catch {
      // Already gone.
    }
  }
}

/** Brings a key file with wider permissions back to 0600 (best effort). */
function tightenFile(path: string): void {
  if (isWindows) return;
  try {
    const mode = Deno.statSync(path).mode;
    if (mode !== null && (mode & 0o077) !== 0) Deno.chmodSync(path, 0o600);
  } catch {
    // Not ours to change: reading it was enough.
  }
}

function syncFile(path: string): void {
  const file = Deno.openSync(path, { read: true, write: true });
  try {
    file.syncSync();
  } finally {
    file.close();
  }
}

function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
