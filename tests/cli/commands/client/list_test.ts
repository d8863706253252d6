import assert from "node:assert/strict";
import * as list from "../../../../src/cli/commands/client/list.ts";
import { InvalidInputError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, rows, testDeps } from "../../../support/commands.ts";
import { client } from "../../../support/records.ts";

Deno.test("client list: flags become typed options", async () => {
  assert.deepEqual(await parseArgs(list, []), {
    limit: undefined,
    offset: undefined,
    format: undefined,
    query: { mine: false, search: undefined },
  });
  assert.deepEqual(
    await parseArgs(list, ["--mine", "--search", "acme", "--limit", "10", "--offset", "0", "--format", "CSV"]),
    { limit: 10, offset: 0, format: "csv", query: { mine: true, search: "acme" } },
  );
  assert.equal((await parseArgs(list, ["--json"])).format, "json");
  assert.equal((await parseArgs(list, ["--json", "--format", "json"])).format, "json");
});

Deno.test("client list: --limit 0, -1 and x give one message naming the flag; --format lists its values", async () => {
  for (const bad of ["0", "-1", "x", "1.5"]) {
    await assert.rejects(
      () => parseArgs(list, ["--limit", bad]),
      (e) =>
        e instanceof InvalidInputError && e.message === "--limit: must be a whole number, 1 or more" &&
        e.field === "limit",
      bad,
    );
  }
  await assert.rejects(
    () => parseArgs(list, ["--offset", "-2"]),
    /^InvalidInputError: --offset: must be a whole number, 0 or more$/,
  );
  await assert.rejects(() => parseArgs(list, ["--format", "xml"]), /--format: must be one of json, csv, tsv, table/);
  await assert.rejects(() => parseArgs(list, ["--json", "--format", "csv"]), /--json means --format json/);
});

Deno.test("client list: piped, every row as TSV and the filters passed to the port", async () => {
  const crm = fakeCrm({ listClients: () => rows(client(), client({ id: 4, full_name: "Tab\there" })) });
  const deps = testDeps(crm);
  await list.run(await parseArgs(list, ["--mine", "--search", "kate"]), deps);
  // Piped TSV prints the sales contact's name: the port is asked for display names.
  assert.deepEqual(crm.calls[0].args, [{
    mine: true,
    search: "kate",
    limit: undefined,
    offset: undefined,
    display: true,
  }]);
  assert.equal(
    deps.io.stdout,
    "3\tKate Hastroff\tCool Startup LLC\tkate@startup.io\t+33 6 12 34 56 78\tSam Seller\n" +
      "4\tTab\\there\tCool Startup LLC\tkate@startup.io\t+33 6 12 34 56 78\tSam Seller\n",
  );
  assert.equal(deps.io.stderr, "");
  // JSON prints no display names: the port is told so, and need not look them up.
  const json = testDeps(crm);
  await list.run(await parseArgs(list, ["--json", "--search", "kate"]), json);
  assert.deepEqual(crm.calls[1].args, [{
    mine: false,
    search: "kate",
    limit: undefined,
    offset: undefined,
    display: false,
  }]);
  assert.equal(JSON.parse(json.io.stdout).length, 2);
  assert.equal(json.io.stdout.includes("display"), false);
});

Deno.test("client list: a table asks for 101 rows, shows 100 and says how to see more (no count)", async () => {
  const many = Array.from({ length: 101 }, (_, i) => client({ id: i + 1 }));
  const crm = fakeCrm({ listClients: () => rows(...many) });
  const deps = testDeps(crm, { terminal: true });
  await list.run(await parseArgs(list, []), deps);
  assert.deepEqual(crm.calls[0].args, [{ mine: false, search: undefined, limit: 101, offset: undefined }]);
  const ids = [...deps.io.stdout.matchAll(/^│ (\d+)\s/gm)].map((m) => Number(m[1]));
  assert.deepEqual(ids, many.slice(0, 100).map((c) => c.id));
  assert.match(
    deps.io.stdout,
    /\nShowing rows 1 to 100; more rows exist: use --offset 100 for the next page \(or --limit N for more than 100 per page\)\.\n$/,
  );

  const last = fakeCrm({ listClients: () => rows(client({ id: 101 })) });
  const end = testDeps(last, { terminal: true });
  await list.run(await parseArgs(list, ["--offset", "100", "--limit", "100"]), end);
  assert.deepEqual(last.calls[0].args, [{ mine: false, search: undefined, limit: 101, offset: 100 }]);
  assert.doesNotMatch(end.io.stdout, /more rows/, "no footer on the last page");
});

Deno.test("client list: CSV has a header row (RFC 4180), JSON is the public shape", async () => {
  const crm = fakeCrm({ listClients: () => rows(client({ company_name: 'Big, "Quoted" Co' })) });
  const csv = testDeps(crm);
  await list.run(await parseArgs(list, ["--format", "csv"]), csv);
  assert.equal(
    csv.io.stdout,
    "ID,NAME,COMPANY,EMAIL,PHONE,SALES CONTACT\r\n" +
      '3,Kate Hastroff,"Big, ""Quoted"" Co",kate@startup.io,+33 6 12 34 56 78,Sam Seller\r\n',
  );
  const json = testDeps(fakeCrm({ listClients: () => rows(client()) }));
  await list.run(await parseArgs(list, ["--json"]), json);
  const { display: _, ...shape } = client();
  assert.deepEqual(JSON.parse(json.io.stdout), [shape], "no display names in JSON");
});
