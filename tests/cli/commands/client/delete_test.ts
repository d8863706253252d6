import assert from "node:assert/strict";
import * as remove from "../../../../src/cli/commands/client/delete.ts";
import { ConflictError, InvalidInputError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";

const DELETION = { id: 3, deleted_contracts: 2, deleted_events: 1 };

Deno.test("client delete: flags", async () => {
  assert.deepEqual(await parseArgs(remove, ["3"]), { id: 3, format: undefined, yes: false, cascade: false });
  assert.deepEqual(await parseArgs(remove, ["3", "-y", "--cascade", "--json"]), {
    id: 3,
    format: "json",
    yes: true,
    cascade: true,
  });
});

Deno.test("client delete: without a terminal --yes is required and nothing is called", async () => {
  const crm = fakeCrm({});
  await assert.rejects(
    async () => remove.run(await parseArgs(remove, ["3", "--cascade"]), testDeps(crm)),
    (e) => e instanceof InvalidInputError && /without confirmation: add --yes/.test(e.message),
  );
  assert.deepEqual(crm.calls, []);
});

Deno.test("client delete: on a terminal the checks run first (dry run), then the question, then the delete", async () => {
  const crm = fakeCrm({ deleteClient: () => Promise.resolve(DELETION) });
  const deps = testDeps(crm, { terminal: true, answers: [true] });
  await remove.run(await parseArgs(remove, ["3", "--cascade"]), deps);
  assert.deepEqual(crm.calls.map((c) => c.args), [[{ id: 3, cascade: true, dry_run: true }], [{
    id: 3,
    cascade: true,
    dry_run: false,
  }]]);
  assert.deepEqual(deps.prompter.asked, [
    "Delete client 3 and its 2 contract(s) and 1 event(s)? This cannot be undone.",
  ]);
  assert.equal(deps.io.stdout, "", "stdout is data only");
  assert.equal(deps.io.stderr, "Deleted client 3 with 2 contract(s) and 1 event(s).\n");
});

Deno.test("client delete: a delete that would fail is refused before any question", async () => {
  const crm = fakeCrm({
    deleteClient: () => Promise.reject(new ConflictError("Client 3 still has 2 contract(s) and 1 event(s)")),
  });
  const deps = testDeps(crm, { terminal: true, answers: [true] });
  await assert.rejects(async () => remove.run(await parseArgs(remove, ["3"]), deps), ConflictError);
  assert.deepEqual(deps.prompter.asked, [], "no question");
  assert.equal(crm.calls.length, 1);
  assert.equal((crm.calls[0].args[0] as { dry_run: boolean }).dry_run, true);
});

Deno.test("client delete: no keeps everything; --yes skips the dry run; --json prints the result", async () => {
  const crm = fakeCrm({ deleteClient: () => Promise.resolve({ id: 3, deleted_contracts: 0, deleted_events: 0 }) });
  const no = testDeps(crm, { terminal: true, answers: [false] });
  await remove.run(await parseArgs(remove, ["3"]), no);
  assert.equal(crm.calls.length, 1, "only the dry run");
  assert.equal(no.io.stderr, "Cancelled; nothing was deleted.\n");

  const yes = testDeps(
    fakeCrm({ deleteClient: () => Promise.resolve({ id: 3, deleted_contracts: 0, deleted_events: 0 }) }),
  );
  await remove.run(await parseArgs(remove, ["3", "--yes", "--json"]), yes);
  assert.deepEqual(yes.crm.calls.map((c) => c.args), [[{ id: 3, cascade: false, dry_run: false }]]);
  assert.deepEqual(JSON.parse(yes.io.stdout), { deleted: true, id: 3, deleted_contracts: 0, deleted_events: 0 });
});
