import assert from "node:assert/strict";
import * as show from "../../../../src/cli/commands/event/show.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { event } from "../../../support/records.ts";

Deno.test("event show: a tab or a new line inside a value is shown escaped in a table", async () => {
  const crm = fakeCrm({ getEvent: () => Promise.resolve(event({ notes: "DJ\tat 10pm\nvegan menu" })) });
  const table = testDeps(crm, { terminal: true });
  await show.run(await parseArgs(show, ["12"]), table);
  assert.match(table.io.stdout, /NOTES\s+│ DJ\\tat 10pm\\nvegan menu/);
  const widths = new Set(table.io.stdout.trimEnd().split("\n").map((l) => l.length));
  assert.equal(widths.size, 1, "every line of the table is as wide: columns stay aligned");
  const piped = testDeps(crm);
  await show.run(await parseArgs(show, ["12"]), piped);
  assert.match(piped.io.stdout, /\nNOTES\tDJ\\tat 10pm\\nvegan menu\n/);
});
