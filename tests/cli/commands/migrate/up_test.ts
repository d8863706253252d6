import assert from "node:assert/strict";
import * as up from "../../../../src/cli/commands/migrate/up.ts";
import { resolveVersion } from "../../../../src/cli/commands/migrate/shared.ts";
import type { PlannedMigration } from "../../../../src/port/operator.ts";
import { MIGRATIONS } from "../../../../migrations/mod.ts";
import { backendTest } from "../../../support/backends.ts";
import { parseArgs } from "../../../support/commands.ts";
import { fakeOperator, KNOWN, testOperatorDeps } from "../../../support/operator.ts";

const PLAN: PlannedMigration[] = [
  { version: "0001", name: "initial_schema", direction: "up", statements: ["CREATE TABLE a (id INT)"], duration_ms: 3 },
  { version: "0002", name: "auth_sessions", direction: "up", statements: ["CREATE TABLE b (id INT)"], duration_ms: 1 },
];

Deno.test("--to names a known version with or without its leading zeros", () => {
  for (const typed of ["2", "02", "0002", " 2 "]) assert.equal(resolveVersion(typed, KNOWN, { zero: false }), "0002");
  assert.equal(resolveVersion(undefined, KNOWN, { zero: false }), undefined);
  for (const typed of ["0", "00", "0000"]) assert.equal(resolveVersion(typed, KNOWN, { zero: true }), "0");
});

Deno.test("an unknown --to is exit 2 listing the valid versions", () => {
  for (const typed of ["9", "9999", "x", "", "0", "-1", "1.5"]) {
    assert.throws(
      () => resolveVersion(typed, KNOWN, { zero: false }),
      (e: Error & { field?: string; exitCode?: number }) =>
        e.field === "to" && e.exitCode === 2 &&
        e.message ===
          `--to: unknown migration version "${typed}": give one of 0001 (initial_schema), 0002 (auth_sessions), ` +
            "0003 (audit_log) (leading zeros may be left out)",
    );
  }
  assert.throws(() => resolveVersion("7", KNOWN, { zero: true }), /0003 \(audit_log\), or 0 to revert every one/);
});

Deno.test("migrate up: 'Applied …' lines on stderr, stdout empty; --dry-run SQL and --json on stdout", async () => {
  const op = fakeOperator({ migrateUp: () => Promise.resolve(PLAN) });
  const deps = testOperatorDeps(op);
  await up.run(await parseArgs(up, ["--to", "2"]), deps);
  assert.deepEqual(op.calls.at(-1)?.args, [{ to: "0002", dryRun: false }]);
  assert.equal(deps.io.stdout, "");
  assert.equal(deps.io.stderr, "Applied 0001_initial_schema (3 ms)\nApplied 0002_auth_sessions (1 ms)\n");

  const dry = testOperatorDeps(op);
  await up.run(await parseArgs(up, ["--dry-run"]), dry);
  assert.equal(
    dry.io.stdout,
    "-- 0001_initial_schema (up, dry run)\nCREATE TABLE a (id INT);\n-- 0002_auth_sessions (up, dry run)\nCREATE TABLE b (id INT);\n",
  );
  assert.equal(dry.io.stderr, "");

  const json = testOperatorDeps(op);
  await up.run(await parseArgs(up, ["--json"]), json);
  assert.deepEqual(JSON.parse(json.io.stdout).migrations, [
    { version: "0001", name: "initial_schema", duration_ms: 3 },
    { version: "0002", name: "auth_sessions", duration_ms: 1 },
  ]);
  assert.equal(json.io.stderr, "");

  const none = testOperatorDeps(fakeOperator({ migrateUp: () => Promise.resolve([]) }));
  await up.run(await parseArgs(up, []), none);
  assert.equal(none.io.stderr, "Database is up to date.\n");
});

Deno.test("migrate up: a plan has no table or CSV form (exit 2); an unknown --to runs nothing", async () => {
  await assert.rejects(() => parseArgs(up, ["--format", "csv"]), /--format: migrate prints text or JSON/);
  const op = fakeOperator({ migrateUp: () => Promise.resolve(PLAN) });
  await assert.rejects(async () => up.run(await parseArgs(up, ["--to", "9"]), testOperatorDeps(op)), /--to: unknown/);
  assert.deepEqual(op.calls.map((c) => c.method), ["migrations"]);
});

backendTest(
  "migrate up --to 2 applies 0001 and 0002; --to 0002 goes on from there; --to 9 lists versions",
  async (b) => {
    const two = await b.cli(["migrate", "up", "--to", "2", "--json"]);
    assert.equal(two.code, 0, two.stderr);
    assert.deepEqual(two.json<{ migrations: { version: string }[] }>().migrations.map((m) => m.version), [
      "0001",
      "0002",
    ]);
    const unknown = await b.cli(["migrate", "up", "--to", "9"]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, "");
    const list = MIGRATIONS.map((m) => `${m.version} \\(${m.name}\\)`).join(", ");
    assert.match(unknown.stderr, new RegExp(`^error: --to: unknown migration version "9": give one of ${list}`));
    const three = await b.cli(["migrate", "up", "--to", MIGRATIONS[2].version]);
    assert.equal(three.code, 0, three.stderr);
    assert.match(three.stderr, new RegExp(`^Applied ${MIGRATIONS[2].version}_${MIGRATIONS[2].name} \\(\\d+ ms\\)\\n$`));
    const db = await b.db();
    const applied = await db.query<{ version: string }>("SELECT version FROM schema_migrations ORDER BY version");
    assert.deepEqual(applied.map((r) => r.version), MIGRATIONS.slice(0, 3).map((m) => m.version));
  },
  { remote: false },
);
