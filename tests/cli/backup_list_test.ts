/**
 * `backup list` shows what an operator tells backups apart by: time, size,
 * schema, the counts of users, clients, contracts and events (not one total
 * that mixes in the audit trail and login attempts), and whether each file is
 * intact. `--json` keeps every table's count and the total.
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { ok, setupCrew } from "../support/fixtures.ts";

backendTest("backup list prints the counts of users, clients, contracts and events of each backup", async (b) => {
  const crew = await setupCrew(b);
  const dir = `${b.dir}/backups`;
  const first = await ok<{ file: string }>(b.cli(["backup", "create", "--dir", dir, "--json"]));
  const client = await crew.build.client(crew.sales);
  await crew.build.contract(client, { signed: true });
  await crew.build.contract(client);
  // A second backup needs a later name (the time in milliseconds).
  await new Promise((r) => setTimeout(r, 5));
  const second = await ok<{ file: string }>(b.cli(["backup", "create", "--dir", dir, "--json"]));

  const csv = await b.cli(["backup", "list", "--dir", dir, "--format", "csv"]);
  assert.equal(csv.code, 0, csv.stderr);
  const [header, ...rows] = csv.stdout.trimEnd().split("\r\n");
  assert.equal(header, "FILE,TIME,BYTES,SCHEMA,USERS,CLIENTS,CONTRACTS,EVENTS,CHECKSUM");
  assert.deepEqual(
    rows.map((row) => row.split(",")).map((f) => [f[0], ...f.slice(4)]),
    [[first.file, "5", "0", "0", "0", "ok"], [second.file, "5", "1", "2", "0", "ok"]],
  );

  const json = await ok<{ rows: number; tables: Record<string, number> }[]>(
    b.cli(["backup", "list", "--dir", dir, "--json"]),
  );
  assert.deepEqual(json.map((info) => [info.tables.users, info.tables.clients, info.tables.contracts]), [
    [5, 0, 0],
    [5, 1, 2],
  ]);
  assert.ok(json.every((info) => info.rows === Object.values(info.tables).reduce((a, n) => a + n, 0)));
});
