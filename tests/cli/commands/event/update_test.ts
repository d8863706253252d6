import assert from "node:assert/strict";
import * as update from "../../../../src/cli/commands/event/update.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { event } from "../../../support/records.ts";

Deno.test("event update: an empty --notes clears them; dates resolved in TZ", async () => {
  const crm = fakeCrm({ updateEvent: () => Promise.resolve(event()) });
  await update.run(
    await parseArgs(update, ["12", "--notes", "", "--end-date", "2027-06-05 01:30"]),
    testDeps(crm, { timeZone: "Europe/Paris" }),
  );
  assert.deepEqual(crm.calls[0].args, [{ id: 12, notes: "", end_date: "2027-06-04T23:30:00.000Z" }]);
  await assert.rejects(() => parseArgs(update, ["12", "--contract", "7"]), /unknown option '--contract'/);
});
