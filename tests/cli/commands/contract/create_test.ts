import assert from "node:assert/strict";
import * as create from "../../../../src/cli/commands/contract/create.ts";
import { InvalidInputError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, rows, testDeps } from "../../../support/commands.ts";
import { client, contract, me } from "../../../support/records.ts";

Deno.test("contract create: --client/--client-id and --total/--total-amount; amounts checked by flag", async () => {
  assert.deepEqual((await parseArgs(create, ["--client", "3", "--total", " 1500.5 "])).fields, {
    values: { client_id: 3, total_amount: "1500.5" },
    flags: { client_id: "--client", total_amount: "--total" },
  });
  assert.deepEqual(
    (await parseArgs(create, ["--client-id", "3", "--total-amount", "10", "--amount-due", "1"])).fields,
    {
      values: { client_id: 3, total_amount: "10", amount_due: "1" },
      flags: { client_id: "--client-id", total_amount: "--total-amount", amount_due: "--amount-due" },
    },
  );
  const refusals: Array<[string[], string, string]> = [
    [["--total", "1500.505"], "--total: must be an amount with at most 2 decimals, e.g. 1500.50", "total_amount"],
    [
      ["--total-amount", "1,500"],
      "--total-amount: must be an amount with at most 2 decimals, e.g. 1500.50",
      "total_amount",
    ],
    [["--due", "-1"], "--due: must not be negative", "amount_due"],
    [["--total", "1", "--total-amount", "2"], "--total-amount: same as --total; give only one of them", "total_amount"],
  ];
  for (const [argv, message, field] of refusals) {
    await assert.rejects(
      () => parseArgs(create, argv),
      (e) => e instanceof InvalidInputError && e.message === message && e.field === field,
      argv.join(" "),
    );
  }
});

Deno.test("contract create: on a terminal a SALES user picks one of their clients, the total is checked as typed", async () => {
  const crm = fakeCrm({
    whoami: () => Promise.resolve(me("SALES", 2)),
    listClients: () => rows(client()),
    createContract: () => Promise.resolve(contract()),
  });
  const deps = testDeps(crm, { terminal: true, answers: [3, "12.345", "12.34"] });
  await create.run(await parseArgs(create, []), deps);
  assert.deepEqual(crm.calls.find((c) => c.method === "listClients")?.args, [{ mine: true }]);
  assert.deepEqual(deps.prompter.refused, [{
    label: "Total amount",
    answer: "12.345",
    reason: "must be an amount with at most 2 decimals, e.g. 1500.50",
  }]);
  assert.deepEqual(crm.calls.at(-1)?.args, [{ client_id: 3, total_amount: "12.34" }]);
});
