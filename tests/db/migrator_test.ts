import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { spawnCli } from "../support/cli.ts";
import { assertUpToDate, migrateDown, migrateUp, migrationStatus } from "../../src/db/migrator.ts";
import { MIGRATIONS } from "../../migrations/mod.ts";
import type { Migration } from "../../src/db/migration.ts";
import { AppError } from "../../src/domain/errors.ts";
import type { Database } from "../../src/db/database.ts";

const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;

async function tableExists(db: Database, table: string): Promise<boolean> {
  try {
    await db.query(`SELECT 1 FROM ${table} WHERE 1 = 0`);
    return true;
  } catch {
    return false;
  }
}

async function appliedVersions(db: Database): Promise<string[]> {
  const rows = await db.query<{ version: string }>("SELECT version FROM schema_migrations ORDER BY version");
  return rows.map((r) => r.version);
}

backendTest("migrate up applies every migration once, records it, and status shows it", async (b) => {
  const up = await b.cli(["migrate", "up", "--json"]);
  assert.equal(up.code, 0, up.stderr);
  const body = up.json<{ direction: string; migrations: { version: string }[] }>();
  assert.equal(body.direction, "up");
  assert.deepEqual(body.migrations.map((m) => m.version), MIGRATIONS.map((m) => m.version));

  const again = await b.cli(["migrate", "up", "--json"]);
  assert.equal(again.code, 0);
  assert.deepEqual(again.json<{ migrations: unknown[] }>().migrations, []);

  const status = await b.cli(["migrate", "status", "--json"]);
  assert.equal(status.code, 0);
  const states = status.json<{ version: string; state: string; applied_at: string; checksum: string }[]>();
  assert.equal(states.length, MIGRATIONS.length);
  for (const s of states) {
    assert.equal(s.state, "applied");
    assert.match(s.applied_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(s.checksum, /^[0-9a-f]{64}$/);
  }
  const db = await b.db();
  const rows = await db.query<{ version: string; name: string; duration_ms: number }>(
    "SELECT version, name, duration_ms FROM schema_migrations",
  );
  assert.deepEqual(rows.map((r) => r.name), MIGRATIONS.map((m) => m.name));
  assert.ok(rows.every((r) => typeof r.duration_ms === "number" && r.duration_ms >= 0));
  for (const table of ["users", "clients", "contracts", "events"]) assert.ok(await tableExists(db, table), table);
});

backendTest("migrate status on a fresh database lists everything as pending (piped: tab-separated)", async (b) => {
  const status = await b.cli(["migrate", "status"]);
  assert.equal(status.code, 0, status.stderr);
  const lines = status.stdout.split("\n").filter((line) => line !== "");
  assert.equal(lines.length, MIGRATIONS.length);
  assert.deepEqual(lines[0].split("\t"), [MIGRATIONS[0].version, MIGRATIONS[0].name, "pending", ""]);
});

backendTest("bare `migrate` means up", async (b) => {
  const result = await b.cli(["migrate"]);
  assert.equal(result.code, 0, result.stderr);
  // "Applied …" is a human line: on stderr; stdout carries only data (issue 9, point 8).
  assert.match(result.stderr, new RegExp(`Applied ${MIGRATIONS[0].version}_${MIGRATIONS[0].name}`));
  assert.equal(result.stdout, "");
  assert.deepEqual(await appliedVersions(await b.db()), MIGRATIONS.map((m) => m.version));
});

backendTest("--dry-run prints the SQL and changes nothing, up and down", async (b) => {
  const dry = await b.cli(["migrate", "up", "--dry-run"]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /-- 0001_initial_schema \(up, dry run\)/);
  assert.match(dry.stdout, /CREATE TABLE users/);
  const db = await b.db();
  assert.equal(await tableExists(db, "users"), false);
  assert.equal(await tableExists(db, "schema_migrations"), false);

  assert.equal((await b.cli(["migrate", "up"])).code, 0);
  const dryDown = await b.cli(["migrate", "down", "--dry-run", "--json"]);
  assert.equal(dryDown.code, 0);
  const plan = dryDown.json<{ dry_run: boolean; migrations: { version: string; statements: string[] }[] }>();
  assert.equal(plan.dry_run, true);
  assert.deepEqual(plan.migrations.map((m) => m.version), [LATEST]);
  // Down to 0: every migration, newest first, with its SQL (a migration may have none on a dialect).
  const dryAll = await b.cli(["migrate", "down", "--to", "0", "--dry-run", "--json"]);
  assert.equal(dryAll.code, 0, dryAll.stderr);
  const all = dryAll.json<{ migrations: { version: string; statements: string[] }[] }>().migrations;
  assert.deepEqual(all.map((m) => m.version), MIGRATIONS.map((m) => m.version).reverse());
  assert.ok(all.at(-1)!.statements.some((s) => s.startsWith("DROP TABLE")));
  assert.deepEqual(await appliedVersions(db), MIGRATIONS.map((m) => m.version));
});

backendTest("down reverts the newest migration; --to 0 reverts all; unknown --to is exit 2", async (b) => {
  assert.equal((await b.cli(["migrate", "up"])).code, 0);
  const db = await b.db();
  const down = await b.cli(["migrate", "down", "--yes", "--json"]);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(down.json<{ migrations: { version: string }[] }>().migrations.map((m) => m.version), [LATEST]);
  assert.deepEqual(await appliedVersions(db), MIGRATIONS.slice(0, -1).map((m) => m.version));

  const bad = await b.cli(["migrate", "down", "--to", "9999", "--json"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, "");
  assert.equal(JSON.parse(bad.stderr).error.code, "invalid_input");

  assert.equal((await b.cli(["migrate", "up"])).code, 0);
  const all = await b.cli(["migrate", "down", "--to", "0", "--yes"]);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(await appliedVersions(db), []);
  assert.equal(await tableExists(db, "users"), false);
});

backendTest("up --to applies only up to that version", async (b) => {
  const first = MIGRATIONS[0].version;
  const result = await b.cli(["migrate", "up", "--to", first]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await appliedVersions(await b.db()), [first]);
});

backendTest(
  "an edited applied migration is refused with its name (exit 6), by migrate and by data commands",
  async (b) => {
    assert.equal((await b.cli(["migrate", "up"])).code, 0);
    const db = await b.db();
    await db.execute("UPDATE schema_migrations SET checksum = $1 WHERE version = $2", ["0".repeat(64), "0001"]);
    for (const args of [["migrate", "up"], ["migrate", "status"], ["migrate", "down"]]) {
      const result = await b.cli(args);
      assert.equal(result.code, 6, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /0001_initial_schema/);
      assert.match(result.stderr, /checksum/);
    }
    await assert.rejects(
      () => assertUpToDate(db, MIGRATIONS),
      (e: AppError) => e.code === "conflict" && /0001_initial_schema/.test(e.message),
    );

    // The program itself detects a changed migration module, too.
    const edited: Migration[] = [{ ...MIGRATIONS[0], up: (d, t) => [...MIGRATIONS[0].up(d, t), "SELECT 1"] }];
    await db.execute("UPDATE schema_migrations SET checksum = $1 WHERE version = $2", [
      (await migrationStatus(db, MIGRATIONS)).find((s) => s.version === "0001")!.checksum,
      "0001",
    ]);
    await assert.rejects(() => migrateUp(db, { migrations: edited }), /0001_initial_schema.*checksum/);
  },
);

backendTest("data commands refuse a database with pending migrations (exit 6, says to migrate)", async (b) => {
  const db = await b.db();
  await assert.rejects(
    () => assertUpToDate(db, MIGRATIONS),
    (e: AppError) => e.code === "conflict" && /migrate up/.test(e.message),
  );
  await migrateUp(db, { to: MIGRATIONS[0].version, migrations: MIGRATIONS });
  if (MIGRATIONS.length > 1) {
    await assert.rejects(() => assertUpToDate(db, MIGRATIONS), /pending migration/);
  }
  await migrateUp(db, { migrations: MIGRATIONS });
  await assertUpToDate(db, MIGRATIONS);
});

backendTest("a failing migration leaves the previous version and names itself", async (b) => {
  const db = await b.db();
  const broken: Migration = {
    version: "9001",
    name: "broken_on_purpose",
    up: () => ["CREATE TABLE half_done (id INTEGER)", "CREATE TABLE users (id INTEGER)"],
    down: () => ["DROP TABLE half_done"],
  };
  const migrations = [...MIGRATIONS, broken];
  await assert.rejects(
    () => migrateUp(db, { migrations }),
    (e: AppError) => e.code === "internal" && /9001_broken_on_purpose/.test(e.message),
  );
  assert.deepEqual(await appliedVersions(db), MIGRATIONS.map((m) => m.version));
  assert.equal(await tableExists(db, "half_done"), false);
  const states = await migrationStatus(db, migrations);
  assert.equal(states.at(-1)?.state, "pending");
  assert.deepEqual(
    await migrateDown(db, { migrations, to: "0", dryRun: true }).then((p) => p.length),
    MIGRATIONS.length,
  );
});

backendTest("concurrent `migrate up` processes wait for one another and apply each migration once", async (b) => {
  const runs = await Promise.all(
    Array.from({ length: 4 }, () => spawnCli(["migrate", "up", "--json"], { env: b.env, cwd: b.dir })),
  );
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const appliedByRuns = runs.flatMap((r) =>
    r.json<{ migrations: { version: string }[] }>().migrations.map((m) => m.version)
  )
    .sort();
  assert.deepEqual(appliedByRuns, MIGRATIONS.map((m) => m.version));
  assert.deepEqual(await appliedVersions(await b.db()), MIGRATIONS.map((m) => m.version));
});
