/**
 * Issue 9, point 15: `migrate status` only reads. A missing SQLite database
 * is every migration pending, and neither the file nor its folders are
 * created; flags it does not take are refused.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as status from "../../../../src/cli/commands/migrate/status.ts";
import type { MigrationState } from "../../../../src/port/operator.ts";
import { MIGRATIONS } from "../../../../migrations/mod.ts";
import { backendTest } from "../../../support/backends.ts";
import { runCli } from "../../../support/cli.ts";
import { parseArgs } from "../../../support/commands.ts";
import { fakeOperator, testOperatorDeps } from "../../../support/operator.ts";

const STATES: MigrationState[] = [
  {
    version: "0001",
    name: "initial_schema",
    state: "applied",
    applied_at: "2027-06-04T16:00:00.000Z",
    duration_ms: 4,
    checksum: "a".repeat(64),
  },
  { version: "0002", name: "auth_sessions", state: "pending", applied_at: null, duration_ms: null, checksum: "b" },
];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("migrate status prints every state: TSV piped, CSV with a header, JSON as an array", async () => {
  const op = fakeOperator({ migrationStatus: () => Promise.resolve({ migrations: STATES }) });
  const piped = testOperatorDeps(op);
  await status.run(await parseArgs(status, []), piped);
  assert.equal(
    piped.io.stdout,
    "0001\tinitial_schema\tapplied\t2027-06-04T16:00:00.000Z\n0002\tauth_sessions\tpending\t\n",
  );
  const csv = testOperatorDeps(op);
  await status.run(await parseArgs(status, ["--format", "csv"]), csv);
  assert.equal(
    csv.io.stdout,
    "VERSION,NAME,STATE,APPLIED AT\r\n0001,initial_schema,applied,2027-06-04T16:00:00.000Z\r\n0002,auth_sessions,pending,\r\n",
  );
  const json = testOperatorDeps(op);
  await status.run(await parseArgs(status, ["--json"]), json);
  assert.deepEqual(JSON.parse(json.io.stdout), STATES);
});

Deno.test("migrate status shows the states, then fails with the problem (an edited migration)", async () => {
  const problem = new Error("Migration 0001_initial_schema was changed after it was applied (checksum mismatch).");
  const deps = testOperatorDeps(
    fakeOperator({ migrationStatus: () => Promise.resolve({ migrations: STATES, problem }) }),
  );
  await assert.rejects(() => status.run({}, deps), (e) => e === problem);
  assert.match(deps.io.stdout, /^0001\t/);
});

Deno.test("migrate status takes no --to, --dry-run or --yes (exit 2)", async () => {
  for (const flag of [["--to", "2"], ["--dry-run"], ["--yes"]]) {
    const result = await runCli(["migrate", "status", ...flag], { env: { NO_COLOR: "1" } });
    assert.equal(result.code, 2, flag.join(" "));
    assert.equal(result.stdout, "");
    assert.equal(result.stderr, `error: unknown option '${flag[0]}'\n`);
  }
});

Deno.test("migrate status on a default database never created: all pending, no folder and no file created", async () => {
  const home = await Deno.makeTempDir({ prefix: "epic-status-" });
  try {
    const env = { HOME: home, NO_COLOR: "1", EPIC_EVENTS_LOG_DIR: join(home, "logs") };
    const result = await runCli(["migrate", "status", "--json"], { env, cwd: home });
    assert.equal(result.code, 0, result.stderr);
    const states = result.json<MigrationState[]>();
    assert.deepEqual(
      states.map((s) => [s.version, s.state, s.applied_at]),
      MIGRATIONS.map((m) => [m.version, "pending", null]),
    );
    assert.ok(states.every((s) => /^[0-9a-f]{64}$/.test(s.checksum)));
    assert.equal(await exists(join(home, ".local")), false, "no data folder");

    // The same for an explicit path, its folders, dry runs and a down with nothing to revert.
    const url = `sqlite://${home}/new/deeper/crm.db`;
    for (
      const args of [["migrate", "status"], ["migrate", "up", "--dry-run"], ["migrate", "down"], [
        "migrate",
        "down",
        "--dry-run",
      ]]
    ) {
      const run = await runCli(args, { env: { ...env, DATABASE_URL: url }, cwd: home });
      assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
      assert.equal(await exists(join(home, "new")), false, `${args.join(" ")} created nothing`);
    }
    const dry = await runCli(["migrate", "up", "--dry-run"], { env: { ...env, DATABASE_URL: url }, cwd: home });
    assert.match(dry.stdout, /^-- 0001_initial_schema \(up, dry run\)\nCREATE TABLE users/);
    // `migrate up` is what creates it.
    assert.equal((await runCli(["migrate", "up"], { env: { ...env, DATABASE_URL: url }, cwd: home })).code, 0);
    assert.equal(await exists(join(home, "new", "deeper", "crm.db")), true);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

backendTest("migrate status on a database: applied and pending, read without changing anything", async (b) => {
  assert.equal((await b.cli(["migrate", "up", "--to", "1"])).code, 0);
  const result = await b.cli(["migrate", "status", "--format", "csv"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split("\r\n");
  assert.equal(lines[0], "VERSION,NAME,STATE,APPLIED AT");
  assert.match(lines[1], /^0001,initial_schema,applied,\d{4}-\d\d-\d\dT/);
  assert.equal(lines[2], `${MIGRATIONS[1].version},${MIGRATIONS[1].name},pending,`);
}, { remote: false });
