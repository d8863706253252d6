import assert from "node:assert/strict";
import * as list from "../../../../src/cli/commands/audit/list.ts";
import { fakeCrm, parseArgs, rows, testDeps } from "../../../support/commands.ts";
import { auditEntry } from "../../../support/records.ts";

Deno.test("audit list: --entity in any case (plural too), ids read, --since in the local zone", async () => {
  const options = await parseArgs(list, [
    "--entity",
    "Contracts",
    "--id",
    "7",
    "--actor",
    "2",
    "--since",
    "2027-06-01",
  ]);
  assert.deepEqual(options, {
    limit: undefined,
    offset: undefined,
    format: undefined,
    query: { entity: "contract", id: 7, actor: 2, since: "2027-06-01" },
  });
  await assert.rejects(
    () => parseArgs(list, ["--entity", "spaceship"]),
    /--entity: must be one of user, client, contract, event/,
  );
  const crm = fakeCrm({ listAudit: () => rows(auditEntry()) });
  await list.run(options, testDeps(crm, { timeZone: "Europe/Paris" }));
  assert.deepEqual(crm.calls[0].args, [{
    entity: "contract",
    id: 7,
    actor: 2,
    since: "2027-05-31T22:00:00.000Z",
    limit: undefined,
    offset: undefined,
    display: true,
  }]);
});

Deno.test("audit list: changes in public units, spelled out in a table, JSON when piped", async () => {
  const crm = fakeCrm({ listAudit: () => rows(auditEntry()) });
  const table = testDeps(crm, { terminal: true });
  await list.run(await parseArgs(list, []), table);
  assert.match(table.io.stdout, /total_amount: "1000\.00" → "1500\.50"/);
  assert.doesNotMatch(table.io.stdout, /cents/);
  const piped = testDeps(fakeCrm({ listAudit: () => rows(auditEntry()) }));
  await list.run(await parseArgs(list, []), piped);
  assert.equal(piped.io.stdout.trimEnd().split("\t")[6], '{"total_amount":{"old":"1000.00","new":"1500.50"}}');
});
