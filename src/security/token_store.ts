/**
 * The stored session token: `<configDir>/token`, file 0600, replaced
 * atomically (temporary file + rename) so a reader never sees half a token.
 * The folder is created 0700 when missing; an existing one keeps its mode,
 * but one that others can write to and that is not ours is refused (exit 2).
 *
 * The token is never logged or printed.
 * @module
 */
import { join } from "node:path";
import { InvalidInputError } from "../domain/errors.ts";
import { checkPrivateDir, ensurePrivateDir, pathError } from "./private_dir.ts";

const TOKEN_FILE = "token";
const VARIABLE = "EPIC_EVENTS_CONFIG_DIR";
const isWindows = Deno.build.os === "windows";

/** Reads, writes and removes the session token kept in a private folder. */
export class TokenStore {
  readonly #dir: string;

  /** A store in `configDir` (created on the first write). */
  constructor(configDir: string) {
    this.#dir = configDir;
  }

  /** Full path of the token file. */
  get path(): string {
    return join(this.#dir, TOKEN_FILE);
  }

  #isFolder(): InvalidInputError {
    return new InvalidInputError(`${VARIABLE}: the token path ${this.path} is a folder, not a file`, VARIABLE);
  }

  /**
   * The stored token, or `null` when there is none.
   * @throws {InvalidInputError} naming `EPIC_EVENTS_CONFIG_DIR` when the folder
   * is a file or not private, or the token path is a folder (exit 2).
   */
  async read(): Promise<string | null> {
    if (!checkPrivateDir(this.#dir, { variable: VARIABLE })) return null;
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      if (error instanceof Deno.errors.IsADirectory) throw this.#isFolder();
      throw pathError(error, VARIABLE, `read the token file ${this.path}`);
    }
    const token = text.trim();
    return token === "" ? null : token;
  }

  /**
   * Stores `token`, replacing any previous one atomically. Creates the folder
   * with mode 0700 when missing (an existing folder keeps its mode); the file
   * is 0600.
   */
  async write(token: string): Promise<void> {
    ensurePrivateDir(this.#dir, { variable: VARIABLE });
    if ((await this.#lstat())?.isDirectory) throw this.#isFolder();
    const temp = join(this.#dir, `.${TOKEN_FILE}.${crypto.randomUUID()}.tmp`);
    try {
      const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
      try {
        if (!isWindows) await Deno.chmod(temp, 0o600);
        let bytes = new TextEncoder().encode(`${token}\n`);
        while (bytes.length > 0) bytes = bytes.subarray(await file.write(bytes));
        await file.sync();
      } finally {
        file.close();
      }
      await Deno.rename(temp, this.path);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      if (error instanceof Deno.errors.IsADirectory) throw this.#isFolder();
      throw pathError(error, VARIABLE, `write the token file ${this.path}`);
    }
  }

  /** Deletes the stored token; does nothing when there is none. */
  async remove(): Promise<void> {
    if ((await this.#lstat())?.isDirectory) throw this.#isFolder();
    try {
      await Deno.remove(this.path);
    } catch (error) {
      // No token there (nor any folder): nothing to remove.
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return;
      throw pathError(error, VARIABLE, `remove the token file ${this.path}`);
    }
  }

  async #lstat(): Promise<Deno.FileInfo | null> {
    try {
      return await Deno.lstat(this.path);
    } catch {
      return null;
    }
  }
}
