/**
 * A gzip bomb shaped like a backup, for the bomb test and
 * `bench/backup_bomb.ts`.
 * @module
 */
import { createGzip } from "node:zlib";
import { FORMAT_NAME, FORMAT_VERSION } from "../../src/backup/format.ts";
import { TEST_BACKUP_KEY } from "./helpers.ts";

/** A valid header of the current format, naming the test key, for these tables. */
export function headerLike(tables: { name: string; columns: string[]; rows: number }[]): Record<string, unknown> {
  return {
    format: FORMAT_NAME,
    format_version: FORMAT_VERSION,
    key_id: TEST_BACKUP_KEY.id,
    program_version: "0.1.0",
    schema_version: "0005",
    backend: "sqlite",
    created_at: "2025-01-01T00:00:00.000Z",
    tables,
  };
}

/**
 * Writes a bomb: a valid header, then `lineMiB` MiB of one byte and no line
 * end, compressed at gzip's best ratio (about 1,000:1). Cheap: the same
 * buffer is fed to zlib again and again.
 */
export async function writeBomb(path: string, lineMiB = 1536): Promise<number> {
  const header = headerLike([{ name: "users", columns: ["id"], rows: 1 }]);
  const gzip = createGzip({ level: 9 });
  const chunks: Uint8Array[] = [];
  gzip.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => gzip.on("end", resolve).on("error", reject));
  const write = async (bytes: Uint8Array) => {
    if (!gzip.write(bytes)) await new Promise((resolve) => gzip.once("drain", resolve));
  };
  await write(new TextEncoder().encode(JSON.stringify(header) + '\n{"table":"users","row":{"id":1,"x":"'));
  const mebibyte = new Uint8Array(1 << 20).fill(0x61);
  for (let i = 0; i < lineMiB; i++) await write(mebibyte);
  gzip.end();
  await ended;
  // About 1.5 MiB in all: written at once.
  await Deno.writeFile(path, new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer()), { mode: 0o600 });
  return (await Deno.stat(path)).size;
}
