/**
 * Backups against real concurrent processes: a snapshot taken while another
 * process writes is consistent, and a restore killed with SIGKILL in the
 * middle leaves the target database exactly as it was.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Database } from "../../src/db/database.ts";
import { type Backend, backendTest, createBackend } from "../support/backends.ts";
import { DENO_DIR, MAIN } from "../support/cli.ts";
import { bodyOf, createBackupFile, headerOf, linesOf, seed } from "./helpers.ts";

const WRITER = new URL("./writer_fixture.ts", import.meta.url).pathname;

/** Reads lines of a child's stdout. */
function lineReader(stream: ReadableStream<Uint8Array>): () => Promise<string | null> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return async () => {
    for (;;) {
      const newline = buffer.indexOf("\n");
      if (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) return buffer === "" ? null : buffer;
      buffer += value;
    }
  };
}

/** Every event's contract and client, and every contract's client, are in the same backup. */
function assertReferencesHold(lines: string[]): void {
  const rows = lines.slice(1, -1).map((l) => JSON.parse(l) as { table: string; row: Record<string, number> });
  const ids = (table: string) => new Set(rows.filter((r) => r.table === table).map((r) => r.row.id));
  const [users, clients, contracts] = [ids("users"), ids("clients"), ids("contracts")];
  for (const { table, row } of rows) {
    if (table === "clients") assert.ok(users.has(row.sales_contact_id), `client ${row.id}: sales contact`);
    if (table === "contracts") assert.ok(clients.has(row.client_id), `contract ${row.id}: client ${row.client_id}`);
    if (table === "events") {
      assert.ok(contracts.has(row.contract_id), `event ${row.id}: contract ${row.contract_id}`);
      assert.ok(clients.has(row.client_id), `event ${row.id}: client ${row.client_id}`);
    }
  }
}

backendTest("a backup taken while another process writes is one consistent snapshot", async (b) => {
  assert.equal((await b.cli(["migrate", "up"])).code, 0);
  // Several keyset pages per table, so that the writer commits between pages.
  await seed(await b.db(), { clients: 3000, eventsPerClient: 2 });
  const stopFile = join(b.dir, "stop");
  const writer = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRITER, b.url, "2", stopFile],
    env: { DENO_DIR },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const readLine = lineReader(writer.stdout);
  const files: string[] = [];
  try {
    assert.equal(await readLine(), "ready");
    for (let i = 0; i < 3; i++) files.push(await createBackupFile(b, join(b.dir, "backups")));
  } finally {
    await Deno.writeTextFile(stopFile, "");
  }
  const done = await readLine();
  assert.equal((await writer.status).code, 0);
  assert.match(done ?? "", /^done \d+$/);

  const clientCounts: number[] = [];
  for (const file of files) {
    const lines = await linesOf(file); // the reader also checked counts against the header
    assertReferencesHold(lines);
    const header = await headerOf(file);
    clientCounts.push((header.tables as { name: string; rows: number }[]).find((t) => t.name === "clients")!.rows);
  }
  assert.ok(new Set(clientCounts).size > 1, `the writer changed the data between backups: ${clientCounts}`);

  // Foreign keys hold: the last backup restores into an empty database (constraints on).
  const target = await createBackend(b.name);
  try {
    const restored = await target.cli(["backup", "restore", files[2]]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await bodyOf(await createBackupFile(target, join(target.dir, "b"))), await bodyOf(files[2]));
  } finally {
    await target.dispose();
  }
});

/** Whether another connection holds the restore's write transaction on the target right now. */
async function restoreHoldsLock(target: Backend, db: Database): Promise<boolean> {
  if (target.name === "sqlite") {
    const probe = new DatabaseSync(join(target.dir, "test.db"));
    try {
      probe.exec("PRAGMA busy_timeout = 0");
      probe.exec("BEGIN IMMEDIATE");
      probe.exec("ROLLBACK");
      return false;
    } catch (error) {
      if (/locked|busy/i.test((error as Error).message)) return true;
      throw error;
    } finally {
      probe.close();
    }
  }
  try {
    await db.transaction(async (tx) => {
      await tx.execute("SET LOCAL lock_timeout = '50ms'");
      await tx.query("SELECT COUNT(*) AS n FROM users");
    });
    return false;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    if ((e.cause?.code ?? e.code) === "55P03") return true;
    throw error;
  }
}

backendTest("a restore killed with SIGKILL in the middle leaves the target database as it was", async (b) => {
  assert.equal((await b.cli(["migrate", "up"])).code, 0);
  await seed(await b.db(), { clients: 8000, eventsPerClient: 6 });
  const file = await createBackupFile(b, join(b.dir, "backups"));

  const target = await createBackend(b.name);
  try {
    assert.equal((await target.cli(["migrate", "up"])).code, 0);
    const targetDb = await target.db();
    await seed(targetDb, { clients: 4, eventsPerClient: 1 });
    const before = await bodyOf(await createBackupFile(target, join(target.dir, "before")));

    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "backup", "restore", file, "--replace", "--yes"],
      cwd: target.dir,
      env: { ...target.env, DENO_DIR },
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    let inside = false;
    for (let i = 0; i < 2000 && !inside; i++) {
      inside = await restoreHoldsLock(target, targetDb);
      if (!inside) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(inside, "the restore's transaction started");
    await new Promise((r) => setTimeout(r, 100)); // into the middle of the load
    child.kill("SIGKILL");
    const status = await child.status;
    assert.equal(status.signal, "SIGKILL", `killed before it finished (exit ${status.code}): ${await stderr}`);

    const after = await bodyOf(await createBackupFile(target, join(target.dir, "after")));
    assert.deepEqual(after, before, "the target is unchanged");
    // And the database is fine: a complete restore now works.
    const restored = await target.cli(["backup", "restore", file, "--replace", "--yes"]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await bodyOf(await createBackupFile(target, join(target.dir, "now"))), await bodyOf(file));
  } finally {
    await target.dispose();
  }
});
