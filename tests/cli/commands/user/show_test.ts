import assert from "node:assert/strict";
import * as show from "../../../../src/cli/commands/user/show.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { user } from "../../../support/records.ts";

Deno.test("user show: the public shape, without secrets", async () => {
  const deps = testDeps(fakeCrm({ getUser: () => Promise.resolve(user()) }));
  await show.run(await parseArgs(show, ["2", "--json"]), deps);
  assert.deepEqual(Object.keys(JSON.parse(deps.io.stdout)).sort(), [
    "created_at",
    "email",
    "first_name",
    "id",
    "last_name",
    "phone",
    "role",
    "updated_at",
  ]);
});
