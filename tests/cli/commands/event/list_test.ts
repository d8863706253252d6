import assert from "node:assert/strict";
import * as list from "../../../../src/cli/commands/event/list.ts";
import { fakeCrm, parseArgs, rows, testDeps } from "../../../support/commands.ts";
import { event } from "../../../support/records.ts";

Deno.test("event list: filters, and unassigned events shown as such in a table", async () => {
  assert.deepEqual(await parseArgs(list, ["--mine", "--upcoming", "--contract", "7"]), {
    limit: undefined,
    offset: undefined,
    format: undefined,
    query: { mine: true, unassigned: false, upcoming: true, contract: 7 },
  });
  await assert.rejects(() => parseArgs(list, ["--contract", "0"]), /^InvalidInputError: --contract: /);
  const crm = fakeCrm({ listEvents: () => rows(event()) });
  const table = testDeps(crm, { terminal: true, timeZone: "Europe/Paris" });
  await list.run(await parseArgs(list, ["--unassigned"]), table);
  assert.deepEqual(crm.calls[0].args, [{
    mine: false,
    unassigned: true,
    upcoming: false,
    contract: undefined,
    limit: 101,
    offset: undefined,
  }]);
  assert.match(table.io.stdout, /│ 2027-06-04 18:00 CEST │ 2027-06-05 02:00 CEST │ \(unassigned\) │/);
  const lines = table.io.stdout.trimEnd().split("\n");
  assert.equal(lines.filter((l) => l.startsWith("├")).length, 1, "one rule: under the header");
  const piped = testDeps(fakeCrm({ listEvents: () => rows(event()) }));
  await list.run(await parseArgs(list, []), piped);
  assert.equal(piped.io.stdout.split("\t")[6], "", "no (unassigned) when piped: an empty field");
});
