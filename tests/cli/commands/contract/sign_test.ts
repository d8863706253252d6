import assert from "node:assert/strict";
import * as sign from "../../../../src/cli/commands/contract/sign.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { contract } from "../../../support/records.ts";

Deno.test("contract sign: the human line on stderr, the record on stdout (its first line is the id)", async () => {
  const signed = contract({ signed_status: true });
  const first = testDeps(fakeCrm({ signContract: () => Promise.resolve({ contract: signed, already_signed: false }) }));
  await sign.run(await parseArgs(sign, ["7"]), first);
  assert.equal(first.io.stderr, "Signed contract 7.\n");
  assert.equal(first.io.stdout.split("\n")[0], "ID\t7");
  assert.match(first.io.stdout, /\nSIGNED\ttrue\n/);

  const again = testDeps(fakeCrm({ signContract: () => Promise.resolve({ contract: signed, already_signed: true }) }));
  await sign.run(await parseArgs(sign, ["7"]), again);
  assert.equal(again.io.stderr, "Contract 7 was already signed.\n");

  const json = testDeps(fakeCrm({ signContract: () => Promise.resolve({ contract: signed, already_signed: false }) }));
  await sign.run(await parseArgs(sign, ["7", "--json"]), json);
  assert.equal(json.io.stderr, "", "--json: unchanged, no human line");
  assert.equal(JSON.parse(json.io.stdout).signed_status, true);
});
