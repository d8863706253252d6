import assert from "node:assert/strict";
import { helpFooter, nameFlags, outputFormat, resolveFormat } from "../../src/cli/verbs/verb.ts";
import { testIo } from "../support/io.ts";
import { ConflictError, InvalidInputError } from "../../src/domain/errors.ts";

const FLAGS = [
  { flag: "--total", arg: "amount", help: "", field: "total_amount" },
  { flag: "--total-amount", arg: "amount", help: "", field: "total_amount" },
  { flag: "--due", arg: "amount", help: "", field: "amount_due" },
  { flag: "--email", arg: "email", help: "", field: "email" },
];

Deno.test("an error about a field names the flag typed; the JSON field stays the JSON name", () => {
  const error = nameFlags(
    new InvalidInputError("amount_due: must not exceed total_amount (3000.01 > 3000.00)", "amount_due"),
    FLAGS,
    { "--due": "3000.01" },
  ) as InvalidInputError;
  assert.equal(error.message, "--due: must not exceed --total (3000.01 > 3000.00)");
  assert.equal(error.field, "amount_due");
  const alias = nameFlags(new InvalidInputError("total_amount: at most 2 decimals", "total_amount"), FLAGS, {
    "--total-amount": "1.001",
  }) as InvalidInputError;
  assert.equal(alias.message, "--total-amount: at most 2 decimals", "the alias typed");
  const conflict = nameFlags(new ConflictError("email: a client with this email already exists", "email"), FLAGS, {});
  assert.equal((conflict as Error).message, "--email: a client with this email already exists", "words stay words");
  const other = nameFlags(new InvalidInputError("TZ: unknown time zone", "TZ"), FLAGS, {}) as Error;
  assert.equal(other.message, "TZ: unknown time zone");
  const plain = new Error("boom");
  assert.equal(nameFlags(plain, FLAGS, {}), plain);
});

Deno.test("--format and --json", () => {
  assert.equal(outputFormat({}), undefined);
  assert.equal(outputFormat({ json: true }), "json");
  assert.equal(outputFormat({ format: "TSV" }), "tsv");
  assert.throws(() => outputFormat({ format: "xml" }), /--format: must be one of json, csv, tsv, table/);
  assert.throws(() => outputFormat({ json: true, format: "table" }), /--json means --format json/);
  assert.equal(resolveFormat(undefined, testIo({ terminal: true })), "table");
  assert.equal(resolveFormat(undefined, testIo()), "tsv");
  assert.equal(resolveFormat("csv", testIo({ terminal: true })), "csv");
});

Deno.test("help footer: examples and the environment, each variable explained", () => {
  const text = helpFooter({
    name: "list",
    summary: "cli.client.list.summary",
    flags: [],
    examples: "cli.client.list.examples",
    env: ["DATABASE_URL", "TZ"],
  });
  assert.match(text, /Examples:\n {2}\$ epic-events client list --mine\n/);
  assert.match(text, /Environment:\n {2}DATABASE_URL {2}the database/);
  assert.match(text, /\n {2}TZ {12}time zone/);
});
