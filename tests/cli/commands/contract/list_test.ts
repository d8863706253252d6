import assert from "node:assert/strict";
import * as list from "../../../../src/cli/commands/contract/list.ts";
import { fakeCrm, parseArgs, rows, testDeps } from "../../../support/commands.ts";
import { contract } from "../../../support/records.ts";

Deno.test("contract list: filters and --client as an id", async () => {
  const options = await parseArgs(list, ["--mine", "--unsigned", "--unpaid", "--client", "3", "--limit", "2"]);
  assert.deepEqual(options, {
    limit: 2,
    offset: undefined,
    format: undefined,
    query: { mine: true, unsigned: true, unpaid: true, client: 3 },
  });
  await assert.rejects(() => parseArgs(list, ["--client", "abc"]), /^InvalidInputError: --client: must be a positive/);
});

Deno.test("contract list: exact amounts piped, readable ones in a table, the port asked as typed", async () => {
  const crm = fakeCrm({ listContracts: () => rows(contract()) });
  const piped = testDeps(crm);
  await list.run(await parseArgs(list, ["--unpaid", "--client", "3"]), piped);
  assert.deepEqual(crm.calls[0].args, [{
    mine: false,
    unsigned: false,
    unpaid: true,
    client: 3,
    limit: undefined,
    offset: undefined,
    display: true,
  }]);
  assert.equal(
    piped.io.stdout,
    "7\tKate Hastroff\tSam Seller\t12500.50\t1500.00\tfalse\t2027-06-04T16:00:00.000Z\n",
  );
  const table = testDeps(crm, { terminal: true, timeZone: "America/New_York" });
  await list.run(await parseArgs(list, []), table);
  // Amounts right-aligned in their column.
  assert.match(table.io.stdout, /│ €12,500\.50 │ +€1,500\.00 │ no\s+│ 2027-06-04 12:00 EDT │/);
});
