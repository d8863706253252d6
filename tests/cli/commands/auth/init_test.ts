import assert from "node:assert/strict";
import * as init from "../../../../src/cli/commands/auth/init.ts";
import { parseArgs } from "../../../support/commands.ts";
import { fakeOperator, testOperatorDeps } from "../../../support/operator.ts";
import { user } from "../../../support/records.ts";

const ADA = user({ id: 1, first_name: "Ada", last_name: "Lovelace", email: "ada@epic.test", role: "MANAGEMENT" });

function operator() {
  return fakeOperator({
    migrateUp: () => Promise.resolve([]),
    createFirstManager: () => Promise.resolve(ADA),
  });
}

/** Every flag `init` needs, as a script gives them. */
const ADA_FLAGS = ["--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"];

Deno.test("init: the identity flags (phone optional), --password-stdin and the format", async () => {
  const options = await parseArgs(init, [...ADA_FLAGS, "--phone", "+33 1 23 45 67 89", "--json"]);
  assert.deepEqual(options.fields.values, {
    first_name: "Ada",
    last_name: "Lovelace",
    email: "ada@epic.test",
    phone: "+33 1 23 45 67 89",
  });
  assert.equal(options.passwordStdin, true);
  assert.equal(options.format, "json");
});

Deno.test("init without a terminal names every missing flag before migrating anything", async () => {
  const op = operator();
  await assert.rejects(
    async () => init.run(await parseArgs(init, ["--email", "ada@epic.test"]), testOperatorDeps(op)),
    /^InvalidInputError: missing required options: --first-name, --last-name$/,
  );
  assert.deepEqual(op.calls, [], "nothing was migrated or created");
});

Deno.test("init migrates, creates the manager, says what to do next on stderr and prints the record", async () => {
  const op = operator();
  const deps = testOperatorDeps(op, { stdin: "correct horse battery\n" });
  const options = await parseArgs(init, [...ADA_FLAGS, "--json"]);
  await init.run(options, deps);
  assert.deepEqual(op.calls.map((c) => c.method), ["migrateUp", "createFirstManager"]);
  assert.deepEqual(op.calls[1].args, [{
    first_name: "Ada",
    last_name: "Lovelace",
    email: "ada@epic.test",
    password: "correct horse battery",
  }]);
  assert.equal(JSON.parse(deps.io.stdout).email, "ada@epic.test");
  assert.equal(deps.io.stderr, "", "--json: nothing but the error stream's errors");

  const human = testOperatorDeps(operator(), { stdin: "correct horse battery\n" });
  await init.run({ ...options, format: undefined }, human);
  assert.equal(human.io.stderr, "Created the first manager; run `epic-events login --email ada@epic.test`.\n");
  assert.match(human.io.stdout, /^ID\t1\n/);
});

Deno.test("init on a terminal asks for each missing field in order, re-asking a refused answer at once", async () => {
  const op = operator();
  const deps = testOperatorDeps(op, {
    terminal: true,
    answers: ["Ada", "Lovelace", "not-an-email", "ada@epic.test", "123", "", "short", "correct horse battery"],
  });
  await init.run(await parseArgs(init, []), deps);
  const phone = "Phone (optional: Enter to leave it out)";
  assert.deepEqual(deps.prompter.asked, [
    "First name",
    "Last name",
    "Email",
    "Email",
    phone,
    phone,
    "Password",
    "Password",
  ]);
  assert.deepEqual(deps.prompter.refused.map((r) => [r.label, r.answer]), [
    ["Email", "not-an-email"],
    [phone, "123"],
    ["Password", "short"],
  ]);
  assert.deepEqual(op.calls.map((c) => c.method), ["migrateUp", "createFirstManager"]);
  const created = op.calls.at(-1)!.args[0] as Record<string, unknown>;
  assert.equal(created.phone, undefined, "an empty phone is left out");
});

Deno.test("init on a terminal: a phone typed is kept; with the identity flags given, only the password is asked", async () => {
  const op = operator();
  const deps = testOperatorDeps(op, {
    terminal: true,
    answers: ["Ada", "Lovelace", "ada@epic.test", "+33 6 12 34 56 78", "correct horse battery"],
  });
  await init.run(await parseArgs(init, []), deps);
  assert.equal((op.calls.at(-1)!.args[0] as Record<string, unknown>).phone, "+33 6 12 34 56 78");

  const flags = operator();
  const given = testOperatorDeps(flags, { terminal: true, answers: ["correct horse battery"] });
  await init.run(
    await parseArgs(init, ["--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace"]),
    given,
  );
  assert.deepEqual(given.prompter.asked, ["Password"]);
});
