import assert from "node:assert/strict";
import * as down from "../../../../src/cli/commands/migrate/down.ts";
import type { PlannedMigration, RevertDamage } from "../../../../src/port/operator.ts";
import { parseArgs } from "../../../support/commands.ts";
import { fakeOperator, testOperatorDeps } from "../../../support/operator.ts";

const DAMAGE: RevertDamage = {
  migrations: ["0003_audit_log", "0002_auth_sessions"],
  tables: ["audit_log", "revoked_tokens", "login_attempts"],
  columns: ["users.session_epoch"],
};
const PLAN: PlannedMigration[] = [
  { version: "0003", name: "audit_log", direction: "down", statements: ["DROP TABLE audit_log"], duration_ms: 2 },
];

function operator(damage = DAMAGE) {
  return fakeOperator({
    revertDamage: () => Promise.resolve(damage),
    migrateDown: () => Promise.resolve(PLAN),
  });
}

Deno.test("migrate down: what it drops, in one phrase", () => {
  assert.equal(
    down.describeDamage(DAMAGE),
    "0003_audit_log and 0002_auth_sessions, dropping the tables audit_log, revoked_tokens and login_attempts " +
      "and the column users.session_epoch with all their data",
  );
  assert.equal(down.describeDamage({ migrations: ["0009_x"], tables: [], columns: [] }), "0009_x");
});

Deno.test("migrate down without a terminal needs --yes (exit 2, field yes) and reverts nothing", async () => {
  const op = operator();
  await assert.rejects(
    async () => down.run(await parseArgs(down, ["--to", "1"]), testOperatorDeps(op)),
    (e: Error & { field?: string }) =>
      e.field === "yes" && e.message.startsWith(
        "refusing to revert without confirmation (add --yes): this reverts " +
          "0003_audit_log and 0002_auth_sessions, dropping",
      ),
  );
  assert.deepEqual(op.calls.map((c) => c.method), ["migrations", "revertDamage"]);
  assert.deepEqual(op.calls[1].args, [{ to: "0001" }]);
});

Deno.test("migrate down: --yes, --dry-run and an empty plan ask nothing", async () => {
  for (const argv of [["--yes"], ["-y"], ["--dry-run"]]) {
    const op = operator();
    const deps = testOperatorDeps(op);
    await down.run(await parseArgs(down, argv), deps);
    assert.deepEqual(op.calls.map((c) => c.method), ["migrations", "migrateDown"], argv.join(" "));
  }
  const empty = operator({ migrations: [], tables: [], columns: [] });
  const deps = testOperatorDeps(empty);
  await down.run(await parseArgs(down, ["--to", "0"]), deps);
  assert.deepEqual(empty.calls.at(-1)?.args, [{ to: "0", dryRun: false }]);
  assert.deepEqual(deps.prompter.asked, []);
});

Deno.test("migrate down on a terminal: no keeps everything; yes reverts, told on stderr", async () => {
  const no = operator();
  const refused = testOperatorDeps(no, { terminal: true, answers: [false] });
  await down.run(await parseArgs(down, []), refused);
  assert.match(
    refused.prompter.asked[0],
    /^Revert 0003_audit_log and 0002_auth_sessions, dropping .*cannot be undone\.$/,
  );
  assert.equal(refused.io.stderr, "Cancelled; nothing was reverted.\n");
  assert.ok(!no.calls.some((c) => c.method === "migrateDown"));

  const yes = operator();
  const accepted = testOperatorDeps(yes, { terminal: true, answers: [true] });
  await down.run(await parseArgs(down, []), accepted);
  assert.equal(accepted.io.stderr, "Reverted 0003_audit_log (2 ms)\n");
  assert.equal(accepted.io.stdout, "");
});
