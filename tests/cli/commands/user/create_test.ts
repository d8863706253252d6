import assert from "node:assert/strict";
import * as create from "../../../../src/cli/commands/user/create.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { me, user } from "../../../support/records.ts";

Deno.test("user create: --role in any case; --password-stdin", async () => {
  const options = await parseArgs(create, [
    "--first-name",
    "Sam",
    "--last-name",
    "Seller",
    "--email",
    "sam@epic.test",
    "--role",
    "support",
    "--password-stdin",
  ]);
  assert.deepEqual(options.fields.values, {
    first_name: "Sam",
    last_name: "Seller",
    email: "sam@epic.test",
    role: "SUPPORT",
  });
  assert.equal(options.passwordStdin, true);
  const crm = fakeCrm({ createUser: () => Promise.resolve(user()) });
  await create.run(options, testDeps(crm, { stdin: "correct horse battery\n" }));
  assert.deepEqual(crm.calls[0].args, [{ ...options.fields.values, password: "correct horse battery" }]);
});

Deno.test("user create: on a terminal a too-short password is re-asked at once", async () => {
  const crm = fakeCrm({ whoami: () => Promise.resolve(me("MANAGEMENT")), createUser: () => Promise.resolve(user()) });
  const deps = testDeps(crm, {
    terminal: true,
    answers: ["Sam", "Seller", "sam@epic.test", "SALES", "short", "correct horse battery"],
  });
  await create.run(await parseArgs(create, []), deps);
  assert.deepEqual(deps.prompter.asked, [
    "First name",
    "Last name",
    "Email",
    "Role",
    "Password",
    "Password",
  ]);
  assert.deepEqual(deps.prompter.refused, [{
    label: "Password",
    answer: "short",
    reason: "must be at least 8 characters long",
  }]);
  assert.equal((crm.calls.at(-1)?.args[0] as { password: string }).password, "correct horse battery");
});
