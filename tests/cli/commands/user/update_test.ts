import assert from "node:assert/strict";
import * as update from "../../../../src/cli/commands/user/update.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { user } from "../../../support/records.ts";

Deno.test("user update: a password alone is an update; nothing at all is not", async () => {
  const crm = fakeCrm({ updateUser: () => Promise.resolve(user()) });
  await update.run(await parseArgs(update, ["2", "--password-stdin"]), testDeps(crm, { stdin: "a brand new secret" }));
  assert.deepEqual(crm.calls[0].args, [{ id: 2, password: "a brand new secret" }]);
  await assert.rejects(
    async () => update.run(await parseArgs(update, ["2"]), testDeps(fakeCrm({}))),
    /nothing to update: give at least one of --first-name, --last-name, --email, --phone or --role$/,
  );
  const role = fakeCrm({ updateUser: () => Promise.resolve(user()) });
  await update.run(await parseArgs(update, ["2", "--role", "support"]), testDeps(role));
  assert.deepEqual(role.calls[0].args, [{ id: 2, role: "SUPPORT" }]);
});
