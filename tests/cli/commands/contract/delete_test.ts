import assert from "node:assert/strict";
import * as remove from "../../../../src/cli/commands/contract/delete.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";

Deno.test("contract delete: dry run, question with the events, delete, one line on stderr", async () => {
  const crm = fakeCrm({ deleteContract: () => Promise.resolve({ id: 7, deleted_events: 2 }) });
  const deps = testDeps(crm, { terminal: true, answers: [true] });
  await remove.run(await parseArgs(remove, ["7", "--cascade"]), deps);
  assert.deepEqual(deps.prompter.asked, ["Delete contract 7 and its 2 event(s)? This cannot be undone."]);
  assert.deepEqual(crm.calls.map((c) => (c.args[0] as { dry_run: boolean }).dry_run), [true, false]);
  assert.equal(deps.io.stderr, "Deleted contract 7 with 2 event(s).\n");
  assert.equal(deps.io.stdout, "");
});
