/**
 * Issue 10, point 5: the program loads only the verbs of the noun its
 * arguments name; every other noun is a placeholder that shows in `--help`
 * and in suggestions, with the same description as the real noun.
 * @module
 */
import assert from "node:assert/strict";
import { NOUN_DESCRIPTIONS, nounOf } from "../../../src/cli/commands/nouns.ts";
import { t } from "../../../src/i18n/mod.ts";
import { testIo } from "../../support/io.ts";
import { buildProgram } from "../../../src/cli/app/program.ts";
import { Runtime } from "../../../src/cli/app/runtime.ts";
import { runCli } from "../../support/cli.ts";

Deno.test("nounOf: the command the arguments run, past global flags and `help`", () => {
  assert.equal(nounOf(["client", "list"]), "client");
  assert.equal(nounOf(["--json", "event", "list", "--mine"]), "event");
  assert.equal(nounOf(["--format", "csv", "contract", "list"]), "contract");
  assert.equal(nounOf(["--lang", "fr", "client", "list"]), "client");
  assert.equal(nounOf(["--format=csv", "--debug", "audit", "list"]), "audit");
  assert.equal(nounOf(["help", "client", "create"]), "client");
  assert.equal(nounOf(["help", "help"]), "help");
  assert.equal(nounOf(["--", "user"]), "user");
  assert.equal(nounOf(["whoami"]), "whoami");
  assert.equal(nounOf(["--help"]), undefined);
  assert.equal(nounOf([]), undefined);
});

/** The verbs the program has under each noun. */
async function verbsByNoun(argv?: string[]): Promise<Record<string, string[]>> {
  const program = await buildProgram(new Runtime(testIo(), argv ?? []), argv);
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(NOUN_DESCRIPTIONS)) {
    const noun = program.commands.find((c) => c.name() === name);
    assert.ok(noun, `${name} is on the program`);
    assert.equal(noun.description(), t(NOUN_DESCRIPTIONS[name as keyof typeof NOUN_DESCRIPTIONS]));
    out[name] = noun.commands.map((c) => c.name());
  }
  return out;
}

Deno.test("only the noun on the command line gets its verbs; without arguments, every noun does", async () => {
  const all = await verbsByNoun();
  for (const [noun, verbs] of Object.entries(all)) assert.ok(verbs.length > 0, `${noun}: its verbs`);
  const client = await verbsByNoun(["--json", "client", "list"]);
  assert.deepEqual(client.client, all.client);
  for (const noun of Object.keys(all).filter((n) => n !== "client")) {
    assert.deepEqual(client[noun], [], `${noun} is a placeholder when running client list`);
  }
  const help = await verbsByNoun(["help", "event", "list"]);
  assert.deepEqual(help.event, all.event);
  assert.deepEqual(help.client, []);
  const top = await verbsByNoun(["--help"]);
  assert.ok(Object.values(top).every((verbs) => verbs.length === 0), "--help loads no noun");
  const completions = await verbsByNoun(["completions", "bash"]);
  assert.deepEqual(completions, all, "completions list every verb");
});

Deno.test("placeholders do not change what users see: help, a noun's help, suggestions", async () => {
  const top = await runCli(["--help"]);
  assert.equal(top.code, 0);
  for (const [noun, key] of Object.entries(NOUN_DESCRIPTIONS)) {
    const description = t(key);
    assert.match(top.stdout, new RegExp(`\\n  ${noun} +${description.slice(0, 20).replace(/[()]/g, "\\$&")}`));
  }
  const noun = await runCli(["help", "contract"]);
  assert.equal(noun.code, 0);
  assert.match(noun.stdout, /Usage: epic-events contract \[options\] \[command\]/);
  assert.match(noun.stdout, /\n {2}sign /);
  const typo = await runCli(["contrat", "list"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown command 'contrat' \(Did you mean contract\?\)/);
});
