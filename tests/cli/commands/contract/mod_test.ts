import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { registerContract } from "../../../../src/cli/commands/contract/mod.ts";
import type { Deps } from "../../../../src/cli/verbs/verb.ts";

Deno.test("contract: mod.ts puts every verb under the noun", () => {
  const program = new Command();
  registerContract(program as unknown as Command, () => ({}) as Deps);
  const noun = program.commands.find((c) => c.name() === "contract")!;
  assert.deepEqual(noun.commands.map((c) => c.name()), ["list", "show", "create", "update", "sign", "delete"]);
});
