/**
 * The errors a user reads, in French and in English, through the whole CLI
 * (issue 18): the French run of the error flows (same exit codes, the flag
 * still named), the language's own refusals (exit 2), a malformed locale
 * (English, silently), and machine output (JSON, CSV, TSV, exit codes) that
 * never depends on the language — only the JSON error's `message` does.
 * Every test runs on SQLite and PostgreSQL, and through a server under
 * `EPIC_EVENTS_TEST_REMOTE=1` (the CLI then sends `Accept-Language`).
 * @module
 */
import assert from "node:assert/strict";
import { type Backend, backendTest } from "../support/backends.ts";
import type { CliResult } from "../support/cli.ts";
import { type Person, setupCrew } from "../support/fixtures.ts";
import { makeClient, makeContract, makeEvent } from "../support/world.ts";

const FRENCH = { LANG: "fr_FR.UTF-8" };
const C = { LANG: "C" };

/** Exit `code`, nothing on stdout, and exactly `line` on stderr. */
function says(result: CliResult, code: number, line: string): void {
  assert.equal(result.stdout, "", result.stderr);
  assert.equal(result.stderr, `error: ${line}\n`);
  assert.equal(result.code, code, result.stderr);
}

/** The JSON error object of a `--json` run. */
function errorOf(result: CliResult): { code: string; message: string; field?: string } {
  assert.equal(result.stdout, "");
  assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
  return JSON.parse(result.stderr).error;
}

async function crewWithEvent(b: Backend) {
  const crew = await setupCrew(b);
  const client = await makeClient(crew.sales, { full_name: "Kate Hastroff", company_name: "Cool Startup LLC" });
  const contract = await makeContract(crew.sales, client, { total: "1500.50" });
  const event = await makeEvent(crew.sales, contract);
  return { ...crew, client, contract, event };
}

/** `person` running `args` in French (from the locale, as a French shell has it). */
function fr(person: Person, args: string[], env: Record<string, string> = FRENCH) {
  return person.cli(args, { env });
}

backendTest(
  "the error flows in French: the same exit codes, the message in French, the flag still named",
  async (b) => {
    const { manager, sales, support, contract } = await crewWithEvent(b);
    says(await fr(sales, ["client", "show", "999999"]), 5, "Client 999999 introuvable.");
    says(await fr(sales, ["event", "show", "999999"]), 5, "Événement 999999 introuvable.");
    // A validation message names the flag typed, with the French non-breaking space before the colon.
    says(
      await fr(sales, [
        "client",
        "create",
        "--full-name",
        "Kate",
        "--email",
        "not-an-email",
        "--phone",
        "+33 6 12 34 56 78",
        "--company-name",
        "Acme",
      ]),
      2,
      "--email\u00a0: doit être une adresse e-mail valide",
    );
    says(
      await fr(support, [
        "client",
        "create",
        "--full-name",
        "K",
        "--email",
        "k@x.test",
        "--phone",
        "+33 6 12 34 56 78",
        "--company-name",
        "A",
      ]),
      4,
      "Un collaborateur «\u00a0Support\u00a0» ne peut pas créer de clients.",
    );
    says(
      await fr(manager, ["contract", "delete", String(contract), "--yes"]),
      6,
      `Le contrat ${contract} a encore 1 événement\u00a0: ajoutez --cascade pour le supprimer aussi.`,
    );
    const json = errorOf(await fr(sales, ["client", "show", "999999", "--json"]));
    assert.deepEqual(json, { code: "not_found", message: "Client 999999 introuvable." });
    const invalid = errorOf(await fr(sales, ["client", "update", "1", "--email", "nope", "--json"]));
    assert.deepEqual(invalid, {
      code: "invalid_input",
      message: "--email\u00a0: doit être une adresse e-mail valide",
      field: "email",
    });
  },
);

backendTest("not logged in and wrong password: exit 3 in French", async (b) => {
  const { sales } = await setupCrew(b);
  const stranger = { ...sales.env, EPIC_EVENTS_CONFIG_DIR: `${b.dir}/nobody` };
  says(
    await b.cli(["whoami"], { env: { ...stranger, ...FRENCH } }),
    3,
    "Vous n’êtes pas connecté\u00a0: lancez `epic-events login`.",
  );
  says(
    await b.cli(["login", "--email", sales.email, "--password-stdin"], {
      env: { ...stranger, ...FRENCH },
      stdin: "wrong password\n",
    }),
    3,
    "Identifiants incorrects.",
  );
  // The same in English: the words scripts and tests have always seen.
  says(await b.cli(["whoami"], { env: { ...stranger, ...C } }), 3, "Not logged in: run `epic-events login`.");
});

backendTest("the language's order: --lang, then EPIC_EVENTS_LANG, then LC_ALL, LC_MESSAGES, LANG", async (b) => {
  const { sales } = await setupCrew(b);
  const show = ["client", "show", "999999"];
  const english = "Client 999999 not found.";
  const french = "Client 999999 introuvable.";
  says(await fr(sales, ["--lang", "en", ...show], FRENCH), 5, english);
  says(await fr(sales, ["--lang=fr", ...show], C), 5, french);
  says(await fr(sales, show, { EPIC_EVENTS_LANG: "en", LC_ALL: "fr_FR.UTF-8" }), 5, english);
  says(await fr(sales, show, { EPIC_EVENTS_LANG: "FR", LANG: "C" }), 5, french);
  says(await fr(sales, show, { LC_ALL: "fr_CA", LANG: "C" }), 5, french);
  says(await fr(sales, show, { LC_MESSAGES: "fr", LANG: "en_US.UTF-8" }), 5, french);
  says(await fr(sales, show, { LC_ALL: "C", LANG: "fr_FR.UTF-8" }), 5, english);
});

backendTest("an unknown --lang or EPIC_EVENTS_LANG is exit 2 naming the accepted values", async (b) => {
  const { sales } = await setupCrew(b);
  says(await sales.cli(["--lang", "de", "whoami"]), 2, '--lang: must be one of en, fr (got "de")');
  says(
    await fr(sales, ["whoami"], { EPIC_EVENTS_LANG: "klingon" }),
    2,
    'EPIC_EVENTS_LANG: must be one of en, fr (got "klingon")',
  );
  const json = errorOf(await sales.cli(["--lang", "xx", "whoami", "--json"]));
  assert.deepEqual(json, {
    code: "invalid_input",
    message: '--lang: must be one of en, fr (got "xx")',
    field: "--lang",
  });
  // Nothing ran: the refusal comes before the command.
  const flagged = await sales.cli(["--lang", "de", "client", "list", "--json"]);
  assert.equal(flagged.code, 2);
  assert.equal(flagged.stdout, "");
});

backendTest("a malformed or unknown locale in LANG falls back to English, silently", async (b) => {
  const { sales } = await setupCrew(b);
  for (const locale of ["de_DE.UTF-8", "fr_FR.UTF-8@@bad", "français", "12", "C.UTF-8", "POSIX", ""]) {
    const result = await sales.cli(["client", "show", "999999"], { env: { LANG: locale } });
    says(result, 5, "Client 999999 not found.");
    const listed = await sales.cli(["client", "list", "--json"], { env: { LANG: locale } });
    assert.equal(listed.code, 0, `${locale}: ${listed.stderr}`);
    assert.equal(listed.stderr, "", `${locale}: nothing said about the locale`);
  }
});

/** The record `text` (`--json`) with its own id and timestamps set aside: what a second create cannot repeat. */
function withoutIdentity(text: string): string {
  return text.replace(/"id": \d+/g, '"id": 0').replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<instant>"')
    .replace(/"email": "[^"]*"/, '"email": "<email>"');
}

backendTest(
  "JSON, CSV and TSV output and exit codes are byte-identical under LANG=fr_FR.UTF-8 and LANG=C",
  async (b) => {
    const { manager, sales, client, contract, event } = await crewWithEvent(b);
    const reads: string[][] = [];
    for (const noun of ["user", "client", "contract", "event"]) {
      for (const format of ["json", "csv", "tsv"]) reads.push([noun, "list", "--format", format]);
    }
    reads.push(["client", "show", String(client), "--json"]);
    reads.push(["contract", "show", String(contract), "--json"]);
    reads.push(["event", "show", String(event), "--json"]);
    reads.push(["audit", "list", "--format", "tsv"]);
    reads.push(["whoami", "--json"]);
    for (const args of reads) {
      const c = await manager.cli(args, { env: C });
      const french = await manager.cli(args, { env: FRENCH });
      assert.equal(c.code, 0, `${args.join(" ")}: ${c.stderr}`);
      assert.deepEqual(
        { code: french.code, stdout: french.stdout, stderr: french.stderr },
        { code: c.code, stdout: c.stdout, stderr: c.stderr },
        args.join(" "),
      );
    }
    // Values people would write otherwise in French stay machine values: dot decimals, ISO 8601 UTC, role names.
    const shown = await manager.cli(["contract", "show", String(contract), "--json"], { env: FRENCH });
    assert.match(shown.stdout, /"total_amount": "1500.50"/);
    assert.match(shown.stdout, /"created_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/);
    const users = await manager.cli(["user", "list", "--format", "tsv"], { env: FRENCH });
    assert.match(users.stdout, /\tSALES$/m);

    // Creating: the same record, apart from what a second record cannot share (its id, email and instants).
    const create = (env: Record<string, string>, email: string) =>
      sales.cli([
        "client",
        "create",
        "--full-name",
        "Léa Martin",
        "--email",
        email,
        "--phone",
        "+33 6 12 34 56 78",
        "--company-name",
        "Événements Martin",
        "--json",
      ], { env });
    const inC = await create(C, "lea.c@martin.test");
    const inFrench = await create(FRENCH, "lea.fr@martin.test");
    assert.equal(inC.code, 0, inC.stderr);
    assert.deepEqual(
      { code: inFrench.code, stdout: withoutIdentity(inFrench.stdout), stderr: inFrench.stderr },
      { code: inC.code, stdout: withoutIdentity(inC.stdout), stderr: inC.stderr },
    );

    // An error with --json: the same code, field and exit code; only `message` is in the language.
    for (
      const args of [["client", "show", "999999", "--json"], [
        "client",
        "update",
        String(client),
        "--email",
        "x",
        "--json",
      ]]
    ) {
      const c = await sales.cli(args, { env: C });
      const french = await sales.cli(args, { env: FRENCH });
      assert.equal(french.code, c.code, args.join(" "));
      assert.equal(french.stdout, c.stdout);
      const [ec, ef] = [errorOf(c), errorOf(french)];
      assert.deepEqual({ ...ef, message: undefined }, { ...ec, message: undefined }, args.join(" "));
      assert.notEqual(ef.message, ec.message, "the message is in the language");
      assert.deepEqual(Object.keys(ef), Object.keys(ec), "the same keys, in the same order");
    }
  },
);
