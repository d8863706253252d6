import assert from "node:assert/strict";
import * as update from "../../../../src/cli/commands/contract/update.ts";
import { InvalidInputError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { contract } from "../../../support/records.ts";

Deno.test("contract update: --signed-status takes true/false/yes/no in any case and says so", async () => {
  for (const [typed, value] of [["true", true], ["NO", false], ["Yes", true], ["false", false]] as const) {
    assert.equal((await parseArgs(update, ["7", "--signed-status", typed])).fields.values.signed_status, value, typed);
  }
  await assert.rejects(
    () => parseArgs(update, ["7", "--signed-status", "maybe"]),
    (e) =>
      e instanceof InvalidInputError && e.message === "--signed-status: must be one of true, false, yes, no" &&
      e.field === "signed_status",
  );
  await assert.rejects(() => parseArgs(update, ["7", "--client", "3"]), /unknown option '--client'/);
});

Deno.test("contract update: the changes reach the port as typed amounts", async () => {
  const crm = fakeCrm({ updateContract: () => Promise.resolve(contract({ amount_due: "250.50" })) });
  await update.run(await parseArgs(update, ["7", "--due", "250.5"]), testDeps(crm));
  assert.deepEqual(crm.calls[0].args, [{ id: 7, amount_due: "250.5" }]);
});
