/**
 * The `backup` verbs without a database: their flags, and their run
 * functions against a fake operator (end-to-end behaviour is in
 * tests/backup/).
 * @module
 */
import assert from "node:assert/strict";
import * as create from "../../../../src/cli/commands/backup/create.ts";
import * as list from "../../../../src/cli/commands/backup/list.ts";
import * as prune from "../../../../src/cli/commands/backup/prune.ts";
import * as restore from "../../../../src/cli/commands/backup/restore.ts";
import type { BackupInfo, RestorePlan } from "../../../../src/port/operator.ts";
import { parseArgs } from "../../../support/commands.ts";
import { fakeOperator, testOperatorDeps } from "../../../support/operator.ts";

const INFO: BackupInfo = {
  file: "/b/epic-events-20270604T160000.000Z.jsonl.gz",
  time: "2027-06-04T16:00:00.000Z",
  bytes: 2048,
  intact: true,
  schema_version: "0004",
  rows: 12,
  tables: { users: 3, clients: 9 },
};

Deno.test("backup create/prune: --keep-days is a whole number of days; prune keeps 30 by default", async () => {
  assert.deepEqual(await parseArgs(create, ["--dir", "b", "--keep-days", "7"]), {
    dir: "b",
    keepDays: 7,
    format: undefined,
  });
  for (const bad of ["soon", "-3", "1.5"]) {
    await assert.rejects(() => parseArgs(prune, ["--keep-days", bad]), /^InvalidInputError: --keep-days: /);
  }
  assert.deepEqual(await parseArgs(prune, ["--dry-run"]), {
    dir: undefined,
    keepDays: 30,
    dryRun: true,
    format: undefined,
  });
});

Deno.test("backup list: every format, without paging", async () => {
  const op = fakeOperator({ listBackups: () => Promise.resolve([INFO, { ...INFO, intact: false, problem: "cut" }]) });
  const csv = testOperatorDeps(op);
  await list.run(await parseArgs(list, ["--dir", "b", "--format", "csv"]), csv);
  assert.deepEqual(op.calls.at(-1)?.args, ["b"]);
  assert.equal(
    csv.io.stdout,
    "FILE,TIME,BYTES,SCHEMA,USERS,CLIENTS,CONTRACTS,EVENTS,CHECKSUM\r\n" +
      `${INFO.file},${INFO.time},2048,0004,3,9,,,ok\r\n${INFO.file},${INFO.time},2048,0004,3,9,,,BAD: cut\r\n`,
  );
});

Deno.test("backup prune: the files on stdout, the counts on stderr; --json is the whole result", async () => {
  const result = { dry_run: true, deleted: [{ file: "/b/old.jsonl.gz", time: INFO.time }], kept: [] };
  const op = fakeOperator({ pruneBackups: () => Promise.resolve(result) });
  const piped = testOperatorDeps(op);
  await prune.run(await parseArgs(prune, ["--dry-run", "--keep-days", "3"]), piped);
  assert.deepEqual(op.calls.at(-1)?.args, [{ dir: undefined, keepDays: 3, dryRun: true, format: undefined }]);
  assert.equal(piped.io.stdout, `would delete\t/b/old.jsonl.gz\t${INFO.time}\n`);
  assert.equal(piped.io.stderr, "Would delete 1 backup(s); kept 0.\n");
  const json = testOperatorDeps(op);
  await prune.run(await parseArgs(prune, ["--json"]), json);
  assert.deepEqual(JSON.parse(json.io.stdout), result);
  assert.equal(json.io.stderr, "");
});

Deno.test("backup restore --replace asks on a terminal, naming what is lost; no changes nothing", async () => {
  const plan: RestorePlan = {
    backup: INFO,
    target: { schema_version: "0004", tables: { users: 3, clients: 7, contracts: 0 }, rows: 10 },
  };
  const op = fakeOperator({ planRestore: () => Promise.resolve(plan) });
  const deps = testOperatorDeps(op, { terminal: true, answers: [false] });
  await restore.run(await parseArgs(restore, ["b.jsonl.gz", "--replace"]), deps);
  assert.deepEqual(deps.prompter.asked, [
    "Replace the whole database with this backup? This deletes 3 users, 7 clients.",
  ]);
  assert.equal(deps.io.stderr, "Cancelled; nothing was changed.\n");
  assert.deepEqual(op.calls.map((c) => c.method), ["planRestore"]);

  const piped = testOperatorDeps(fakeOperator({ planRestore: () => Promise.resolve(plan) }));
  await assert.rejects(
    async () => restore.run(await parseArgs(restore, ["b.jsonl.gz", "--replace"]), piped),
    /refusing to replace the database \(3 users, 7 clients\) without confirmation: add --yes/,
  );
});
