/**
 * The stored session token: `<configDir>/token`, folder 0700, file 0600,
 * replaced atomically (temporary file + rename) so a reader never sees half a
 * token.
 *
 * The token is never logged or printed.
 * @module
 */
import { join } from "node:path";

const TOKEN_FILE = "token";
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

  /** The stored token, or `null` when there is none. */
  async read(): Promise<string | null> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
    const token = text.trim();
    return token === "" ? null : token;
  }

  /**
   * Stores `token`, replacing any previous one atomically. Creates the folder
   * with mode 0700, or narrows an existing folder to 0700; the file is 0600.
   */
  async write(token: string): Promise<void> {
    await this.#ensurePrivateDir();
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
      throw error;
    }
  }

  /** Deletes the stored token; does nothing when there is none. */
  async remove(): Promise<void> {
    try {
      await Deno.remove(this.path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }

  async #ensurePrivateDir(): Promise<void> {
    await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    if (isWindows) return;
    const { mode } = await Deno.stat(this.#dir);
    if (mode !== null && (mode & 0o777) !== 0o700) await Deno.chmod(this.#dir, 0o700);
  }
}
