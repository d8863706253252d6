/**
 * Where the CLI keeps a test user's session token: one entry per server
 * origin or local database under the config folder
 * (`servers/<origin>/token`, `databases/<sha-256>/token`). A test user logs
 * in to one place, so their config folder has one entry.
 * @module
 */
import { join } from "node:path";
import { DATABASES_DIR, SERVERS_DIR, TOKEN_FILE } from "../../src/security/token_store.ts";

/** The entry folders of `configDir`. */
export async function tokenEntries(configDir: string): Promise<string[]> {
  const entries: string[] = [];
  for (const kind of [SERVERS_DIR, DATABASES_DIR]) {
    try {
      for await (const entry of Deno.readDir(join(configDir, kind))) {
        if (entry.isDirectory) entries.push(join(configDir, kind, entry.name));
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return entries.sort();
}

/** Path of the token file of the one entry of `configDir` (which may have been removed by `logout`). */
export async function tokenFile(configDir: string): Promise<string> {
  const entries = await tokenEntries(configDir);
  if (entries.length !== 1) throw new Error(`expected one token entry in ${configDir}, found ${entries.join(", ")}`);
  return join(entries[0], TOKEN_FILE);
}

/** The token stored in `configDir` (its one entry). */
export async function storedToken(configDir: string): Promise<string> {
  return (await Deno.readTextFile(await tokenFile(configDir))).trim();
}
