import assert from "node:assert/strict";
import * as show from "../../../../src/cli/commands/contract/show.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { contract } from "../../../support/records.ts";

Deno.test("contract show: every format of one record", async () => {
  const crm = fakeCrm({ getContract: () => Promise.resolve(contract()) });
  const outputs: Record<string, string> = {};
  for (const format of ["json", "csv", "tsv", "table"]) {
    const deps = testDeps(crm);
    await show.run(await parseArgs(show, ["7", "--format", format]), deps);
    outputs[format] = deps.io.stdout;
  }
  const { display: _, ...shape } = contract();
  assert.deepEqual(JSON.parse(outputs.json), shape);
  assert.equal(
    outputs.csv,
    "ID,CLIENT,SALES CONTACT,TOTAL,DUE,SIGNED,CREATED,CLIENT ID,SALES CONTACT ID\r\n" +
      "7,Kate Hastroff,Sam Seller,12500.50,1500.00,false,2027-06-04T16:00:00.000Z,3,2\r\n",
  );
  assert.match(outputs.tsv, /^ID\t7\nCLIENT\tKate Hastroff\n/);
  assert.match(outputs.table, /TOTAL\s+│ €12,500\.50/);
});
