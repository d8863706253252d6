import assert from "node:assert/strict";
import * as update from "../../../../src/cli/commands/client/update.ts";
import { InvalidInputError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { client } from "../../../support/records.ts";

Deno.test("client update: only the given fields reach the port", async () => {
  const crm = fakeCrm({ updateClient: () => Promise.resolve(client({ phone: "+33 1 00 00 00 00" })) });
  const deps = testDeps(crm);
  await update.run(await parseArgs(update, ["3", "--phone", "+33 1 00 00 00 00", "--json"]), deps);
  assert.deepEqual(crm.calls, [{ method: "updateClient", args: [{ id: 3, phone: "+33 1 00 00 00 00" }] }]);
  assert.equal(JSON.parse(deps.io.stdout).phone, "+33 1 00 00 00 00");
});

Deno.test("client update: nothing to update names the flags an update takes, before any call", async () => {
  const crm = fakeCrm({});
  await assert.rejects(
    async () => update.run(await parseArgs(update, ["3"]), testDeps(crm)),
    (e) =>
      e instanceof InvalidInputError && e.field === undefined &&
      e.message === "nothing to update: give at least one of --full-name, --email, --phone, --company-name or " +
          "--sales-contact-id",
  );
  assert.deepEqual(crm.calls, []);
});
