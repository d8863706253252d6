import assert from "node:assert/strict";
import * as show from "../../../../src/cli/commands/client/show.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { client } from "../../../support/records.ts";

Deno.test("client show: <id> must be a positive whole number", async () => {
  assert.deepEqual(await parseArgs(show, ["3"]), { id: 3, format: undefined });
  for (const bad of ["abc", "0", "-3", "1.5"]) {
    await assert.rejects(() => parseArgs(show, [bad]), /^InvalidInputError: id: must be a positive whole number/, bad);
  }
});

Deno.test("client show: TSV lines, a table with local times and zone, CSV and JSON", async () => {
  const crm = fakeCrm({ getClient: () => Promise.resolve(client()) });
  const piped = testDeps(crm);
  await show.run(await parseArgs(show, ["3"]), piped);
  assert.deepEqual(crm.calls, [{ method: "getClient", args: [{ id: 3 }] }]);
  assert.equal(piped.io.stdout.split("\n")[0], "ID\t3");
  assert.match(piped.io.stdout, /\nCREATED AT\t2027-06-04T16:00:00\.000Z\n/);

  const table = testDeps(crm, { terminal: true, timeZone: "Europe/Paris" });
  await show.run(await parseArgs(show, ["3"]), table);
  assert.match(table.io.stdout, /CREATED AT\s+│ 2027-06-04 18:00 CEST/);
  assert.doesNotMatch(table.io.stdout, /├/, "no rule between the rows of a record");

  const csv = testDeps(crm);
  await show.run(await parseArgs(show, ["3", "--format", "csv"]), csv);
  assert.equal(
    csv.io.stdout.split("\r\n")[0],
    "ID,NAME,COMPANY,EMAIL,PHONE,SALES CONTACT,SALES CONTACT ID,CREATED AT,LAST UPDATED",
  );

  const json = testDeps(crm);
  await show.run(await parseArgs(show, ["3", "--json"]), json);
  assert.equal(JSON.parse(json.io.stdout).sales_contact_id, 2);
  assert.ok(!("display" in JSON.parse(json.io.stdout)));
});
