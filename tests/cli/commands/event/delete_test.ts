import assert from "node:assert/strict";
import * as remove from "../../../../src/cli/commands/event/delete.ts";
import { NotFoundError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";

Deno.test("event delete: an unknown event is reported before any question", async () => {
  const crm = fakeCrm({ deleteEvent: () => Promise.reject(new NotFoundError("Event", 99)) });
  const deps = testDeps(crm, { terminal: true, answers: [true] });
  await assert.rejects(async () => remove.run(await parseArgs(remove, ["99"]), deps), NotFoundError);
  assert.deepEqual(deps.prompter.asked, []);
  const json = testDeps(fakeCrm({ deleteEvent: () => Promise.resolve({ id: 12 }) }));
  await remove.run(await parseArgs(remove, ["12", "--yes", "--format", "json"]), json);
  assert.deepEqual(JSON.parse(json.io.stdout), { deleted: true, id: 12 });
});
