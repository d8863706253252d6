import assert from "node:assert/strict";
import * as assign from "../../../../src/cli/commands/event/assign.ts";
import { fakeCrm, parseArgs, rows, testDeps } from "../../../support/commands.ts";
import { event, me, user } from "../../../support/records.ts";

Deno.test("event assign: --support (or --support-contact-id) is required; on a terminal it is picked", async () => {
  assert.deepEqual((await parseArgs(assign, ["12", "--support", "5"])).fields.values, { support_contact_id: 5 });
  assert.deepEqual((await parseArgs(assign, ["12", "--support-contact-id", "5"])).fields.values, {
    support_contact_id: 5,
  });
  await assert.rejects(
    async () => assign.run(await parseArgs(assign, ["12"]), testDeps(fakeCrm({}))),
    /^InvalidInputError: missing required option: --support$/,
  );
  const crm = fakeCrm({
    whoami: () => Promise.resolve(me("MANAGEMENT")),
    listUsers: () => rows(user({ id: 5, role: "SUPPORT", first_name: "Tom", last_name: "Helper" })),
    assignEvent: () => Promise.resolve(event({ support_contact_id: 5 })),
  });
  const deps = testDeps(crm, { terminal: true, answers: ["Tom Helper <sam@epic.test>"] });
  await assign.run(await parseArgs(assign, ["12"]), deps);
  assert.deepEqual(crm.calls.find((c) => c.method === "listUsers")?.args, [{ role: "SUPPORT" }]);
  assert.deepEqual(crm.calls.at(-1)?.args, [{ id: 12, support_contact_id: 5 }]);
});
