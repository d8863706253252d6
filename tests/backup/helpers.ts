/**
 * Shared by the backup tests: reading a backup's lines, seeding rows straight
 * through SQL (fast, and possible at any schema version), listing tables.
 * @module
 */
import assert from "node:assert/strict";
import type { Database, SqlValue } from "../../src/db/database.ts";
import { BACKUP_TABLES, insertRows, resetIdentity } from "../../src/repositories/backup.ts";
import { BackupKey } from "../../src/security/backup_key.ts";
import { type Backend, TEST_SECRET_KEY } from "../support/backends.ts";

/** The backup key of every test backend (derived from its `SECRET_KEY`). */
export const TEST_BACKUP_KEY = new BackupKey(TEST_SECRET_KEY);

/** Reads backups as the test backends do: with {@link TEST_BACKUP_KEY}. */
export const TEST_AUTH = { key: TEST_BACKUP_KEY } as const;

/** Compresses text as a backup is (gzip). */
export async function gzipText(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The SHA-256 (hex) of a text, as a format-1 trailer holds it (anyone can compute it). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Header and row lines followed by a format-1 trailer (their row count and SHA-256): what an editor can write. */
export async function withSha256Trailer(lines: string[]): Promise<string> {
  const body = lines.join("\n") + "\n";
  return body + JSON.stringify({ rows: lines.length - 1, sha256: await sha256Hex(body) }) + "\n";
}

/** Every uncompressed line of a backup (header first, trailer last). */
export async function linesOf(path: string): Promise<string[]> {
  const file = await Deno.open(path);
  const text = await new Response(file.readable.pipeThrough(new DecompressionStream("gzip"))).text();
  assert.ok(text.endsWith("\n"), "a backup ends with a newline");
  return text.slice(0, -1).split("\n");
}

/**
 * The row lines of a backup (what must be identical between two backups of
 * the same data): not the header, the MAC checkpoints or the trailer.
 */
export async function bodyOf(path: string): Promise<string[]> {
  return (await linesOf(path)).slice(1, -1).filter((line) => !line.startsWith('{"mac":'));
}

/** The parsed header of a backup. */
export async function headerOf(path: string): Promise<Record<string, unknown>> {
  return JSON.parse((await linesOf(path))[0]);
}

/** Runs `backup create --json` into `dir` and returns the new file's path. */
export async function createBackupFile(b: Backend, dir: string): Promise<string> {
  const result = await b.cli(["backup", "create", "--dir", dir, "--json"]);
  assert.equal(result.code, 0, `backup create: ${result.stderr}`);
  return result.json<{ file: string }>().file;
}

/** Tables of the database (not schema_migrations' absence: everything but SQLite internals). */
export async function tablesOf(db: Database): Promise<string[]> {
  const rows = db.dialect === "sqlite"
    ? await db.query<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    : await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
  return rows.map((r) => r.name);
}

/** Row counts of the tables a backup covers that exist in `db`. */
export async function countsOf(db: Database): Promise<Record<string, number>> {
  const present = new Set(await tablesOf(db));
  const counts: Record<string, number> = {};
  for (const { name } of BACKUP_TABLES) {
    if (!present.has(name)) continue;
    const row = await db.one<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${name}`);
    counts[name] = Number(row!.n);
  }
  return counts;
}

function spec(name: string) {
  return BACKUP_TABLES.find((t) => t.name === name)!;
}

/**
 * Inserts (ids given) a manager, a sales and a support user, `clients`
 * clients each with one contract (odd ones signed) and `eventsPerClient`
 * events. Uses only columns of migration 0001, so it works at any version.
 * The database must be empty.
 */
export async function seed(
  db: Database,
  options: { clients: number; eventsPerClient: number; passwordHash?: string },
): Promise<void> {
  const hash = options.passwordHash ?? "$2b$04$abcdefghijklmnopqrstuu0123456789abcdefghijklmnopqrstu";
  const at = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString();
  const userColumns = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "password_hash",
    "role",
    "created_at",
    "updated_at",
  ];
  await db.transaction(async (tx) => {
    await insertRows(tx, spec("users"), userColumns, [
      [1, "Mia", "Manager", "mia@seed.test", null, hash, "MANAGEMENT", at(0), at(0)],
      [2, "Sal", "Seller", "sal@seed.test", "+33 1 23 45 67 89", hash, "SALES", at(1), at(2)],
      [3, "Sue", "Support", "sue@seed.test", null, hash, "SUPPORT", at(3), at(3)],
    ]);
    const batch = 500;
    for (let start = 1; start <= options.clients; start += batch) {
      const ids = Array.from({ length: Math.min(batch, options.clients - start + 1) }, (_, i) => start + i);
      await insertRows(
        tx,
        spec("clients"),
        ["id", "full_name", "email", "phone", "company_name", "sales_contact_id", "created_at", "last_updated"],
        ids.map((
          id,
        ) => [id, `Client ${id}`, `c${id}@seed.test`, "0102030405", `Co ${id} — Ünïcödé`, 2, at(id), at(id)]),
      );
      await insertRows(
        tx,
        spec("contracts"),
        [
          "id",
          "client_id",
          "sales_contact_id",
          "total_amount_cents",
          "amount_due_cents",
          "created_at",
          "signed_status",
        ],
        ids.map((id) => [id, id, 2, 100_000 + id, id % 5 === 0 ? 0 : 12_345, at(id), id % 2 === 1]),
      );
      const events: SqlValue[][] = [];
      for (const id of ids) {
        for (let e = 0; e < options.eventsPerClient; e++) {
          const eventId = (id - 1) * options.eventsPerClient + e + 1;
          events.push([
            eventId,
            `Event ${eventId}`,
            id,
            id,
            "Kate",
            at(eventId),
            at(eventId + 120),
            e % 2 === 0 ? 3 : null,
            "Paris",
            eventId % 300,
            e % 3 === 0 ? null : `notes "${eventId}"\nline two`,
          ]);
        }
      }
      await insertRows(
        tx,
        spec("events"),
        [
          "id",
          "name",
          "contract_id",
          "client_id",
          "client_contact",
          "start_date",
          "end_date",
          "support_contact_id",
          "location",
          "attendees",
          "notes",
        ],
        events,
      );
    }
    for (const table of BACKUP_TABLES) {
      if (["users", "clients", "contracts", "events"].includes(table.name)) await resetIdentity(tx, table);
    }
  });
}
