import assert from "node:assert/strict";
import * as whoami from "../../../../src/cli/commands/auth/whoami.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { me } from "../../../support/records.ts";

const crm = () => fakeCrm({ whoami: () => Promise.resolve(me("SALES", 4)) });

Deno.test("whoami: --format and --json", async () => {
  assert.deepEqual(await parseArgs(whoami, ["--format", "CSV"]), { format: "csv" });
  assert.deepEqual(await parseArgs(whoami, ["--json"]), { format: "json" });
  await assert.rejects(() => parseArgs(whoami, ["--format", "xml"]), /--format: must be one of json, csv, tsv, table/);
});

Deno.test("whoami prints who is logged in: JSON, CSV, TSV, or a table with the expiry in local time", async () => {
  const json = testDeps(crm());
  await whoami.run({ format: "json" }, json);
  assert.deepEqual(JSON.parse(json.io.stdout), me("SALES", 4));

  const csv = testDeps(crm());
  await whoami.run({ format: "csv" }, csv);
  assert.equal(
    csv.io.stdout,
    "ID,EMAIL,NAME,ROLE,EXPIRES AT\r\n4,sales@epic.test,Ada Lovelace,SALES,2027-01-02T00:00:00.000Z\r\n",
  );

  const piped = testDeps(crm());
  await whoami.run({}, piped);
  assert.equal(piped.io.stdout.split("\n")[0], "ID\t4");

  const table = testDeps(crm(), { terminal: true, timeZone: "Europe/Paris" });
  await whoami.run({}, table);
  assert.match(table.io.stdout, /EXPIRES AT\W+2027-01-02 01:00 (CET|GMT\+1)/);
  assert.equal(table.io.stderr, "");
});
