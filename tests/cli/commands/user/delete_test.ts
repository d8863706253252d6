import assert from "node:assert/strict";
import * as remove from "../../../../src/cli/commands/user/delete.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";

Deno.test("user delete: --reassign-to is an id; the question says what moves", async () => {
  await assert.rejects(
    () => parseArgs(remove, ["4", "--reassign-to", "me"]),
    /^InvalidInputError: --reassign-to: must be a positive whole number/,
  );
  const result = { id: 4, reassigned_to: 5, reassigned: { clients: 1, contracts: 2, events: 0 } };
  const crm = fakeCrm({ deleteUser: () => Promise.resolve(result) });
  const deps = testDeps(crm, { terminal: true, answers: [true] });
  await remove.run(await parseArgs(remove, ["4", "--reassign-to", "5"]), deps);
  assert.deepEqual(crm.calls.map((c) => c.args), [[{ id: 4, reassign_to: 5, dry_run: true }], [{
    id: 4,
    reassign_to: 5,
    dry_run: false,
  }]]);
  assert.deepEqual(deps.prompter.asked, [
    "Delete user 4 and move their 1 client(s), 2 contract(s) and 0 event(s) to user 5? This cannot be undone.",
  ]);
  assert.equal(deps.io.stderr, "Deleted user 4; moved 1 client(s), 2 contract(s) and 0 event(s) to user 5.\n");
});
