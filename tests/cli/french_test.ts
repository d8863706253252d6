/**
 * The CLI flows once in French (issue 18): identity (init, login, whoami,
 * logout), the CRM's lines (create, update, list, show, sign, delete), the
 * refusals of the command line, and help — chosen by `--lang fr`,
 * `LANG=fr_FR.UTF-8` or `EPIC_EVENTS_LANG=fr`. Machine output (JSON, TSV)
 * does not change with the language.
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { ok, PASSWORD, setupCrew } from "../support/fixtures.ts";
import { runCli } from "../support/cli.ts";

const FR = { EPIC_EVENTS_LANG: "fr" };
const NBSP = "\u00a0";

backendTest("identity in French: init, login, whoami (its language row), logout", async (b) => {
  const init = await b.cli(
    ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"],
    { stdin: PASSWORD, env: FR },
  );
  assert.equal(init.code, 0, init.stderr);
  assert.equal(
    init.stderr,
    `Premier gestionnaire créé${NBSP}; lancez \`epic-events login --email ada@epic.test\`.\n`,
  );
  // The POSIX locale chooses French as well.
  const login = await b.cli(["login", "--email", "ada@epic.test", "--password-stdin"], {
    stdin: PASSWORD,
    env: { LANG: "fr_FR.UTF-8" },
  });
  assert.equal(login.code, 0, login.stderr);
  assert.match(
    login.stderr,
    new RegExp(
      `^Authentification réussie${NBSP}: Ada Lovelace \\(Gestion\\)${NBSP}; la session expire le .+\\.\\n$`,
    ),
  );
  // The role is named in the line people read; JSON keeps its value, in every language.
  const json = await b.cli(["login", "--email", "ada@epic.test", "--password-stdin", "--json"], {
    stdin: PASSWORD,
    env: { LANG: "fr_FR.UTF-8" },
  });
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.json<{ role: string }>().role, "MANAGEMENT");
  assert.doesNotMatch(json.stderr, /Gestion/);
  const table = await b.cli(["whoami", "--lang", "fr"], { tty: true });
  assert.equal(table.code, 0, table.stderr);
  for (const text of ["NOM", "RÔLE", "EXPIRE LE", "LANGUE", "français (fr)", "Ada Lovelace"]) {
    assert.ok(table.stdout.includes(text), `${text} in:\n${table.stdout}`);
  }
  const english = await b.cli(["whoami", "--lang", "en"], { tty: true });
  assert.match(english.stdout, /LANGUAGE/);
  assert.match(english.stdout, /English \(en\)/);
  // Machine output never carries the language, nor changes with it.
  for (const format of [["--json"], ["--format", "tsv"], ["--format", "csv"]]) {
    const fr = await b.cli(["whoami", ...format], { env: FR });
    const en = await b.cli(["whoami", ...format], { env: { LANG: "C" } });
    assert.equal(fr.code, 0, fr.stderr);
    assert.equal(fr.stdout, en.stdout, format.join(" "));
    assert.doesNotMatch(fr.stdout, /LANG|fr\)/);
  }
  const logout = await b.cli(["logout"], { env: FR });
  assert.equal(logout.code, 0, logout.stderr);
  assert.equal(logout.stderr, "Déconnecté.\n");
  const again = await b.cli(["logout"], { env: FR });
  assert.equal(again.stderr, "Vous n'êtes pas connecté.\n");
});

backendTest("the CRM in French: tables, success lines, confirmations and refusals", async (b) => {
  const { manager, sales } = await setupCrew(b);
  const fr = (person: typeof sales, args: string[], options: { tty?: boolean; stdin?: string } = {}) =>
    person.cli(args, { ...options, env: FR });
  const created = await fr(sales, [
    "client",
    "create",
    "--full-name",
    "Jean Dupont",
    "--email",
    "jean@dupont.fr",
    "--phone",
    "+33 1 23 45 67 89",
    "--company-name",
    "Dupont SA",
  ], { tty: true });
  assert.equal(created.code, 0, created.stderr);
  for (const text of ["NOM", "TÉLÉPHONE", "ENTREPRISE", "CONTACT COMMERCIAL", "Jean Dupont"]) {
    assert.ok(created.stdout.includes(text), `${text} in:\n${created.stdout}`);
  }
  const [client] = await ok<Array<{ id: number }>>(sales.cli(["client", "list", "--json"]));
  // Piped output is TSV with the contract's (English) headers, whatever the language.
  const tsvFr = await fr(sales, ["client", "show", String(client.id)]);
  const tsvEn = await sales.cli(["client", "show", String(client.id)]);
  assert.equal(tsvFr.stdout, tsvEn.stdout);
  assert.match(tsvFr.stdout, /^ID\t/);
  const list = await fr(sales, ["client", "list", "--format", "table"]);
  assert.match(list.stdout, /ENTREPRISE/);
  const none = await fr(sales, ["client", "list", "--search", "zzz", "--format", "table"]);
  assert.equal(none.stdout, "Aucun résultat.\n");
  const nothing = await fr(sales, ["client", "update", String(client.id)]);
  assert.equal(nothing.code, 2);
  assert.match(
    nothing.stderr,
    new RegExp(`rien à modifier${NBSP}: donnez au moins l'une de ces options${NBSP}: --full-name`),
  );
  const missing = await fr(sales, ["client", "create", "--full-name", "X"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, new RegExp(`options obligatoires manquantes${NBSP}: --email, --phone, --company-name`));
  const badId = await fr(sales, ["contract", "create", "--client", "abc", "--total", "10"]);
  assert.equal(badId.code, 2);
  assert.match(badId.stderr, new RegExp(`--client${NBSP}: doit être un nombre entier positif`));

  const contract = await ok<{ id: number }>(
    manager.cli(["contract", "create", "--client", String(client.id), "--total", "1500", "--json"]),
  );
  const signed = await fr(manager, ["contract", "sign", String(contract.id)], { tty: true });
  assert.equal(signed.code, 0, signed.stderr);
  assert.equal(signed.stderr, `Contrat ${contract.id} signé.\n`);
  assert.match(signed.stdout, /RESTANT DÛ/);
  assert.match(signed.stdout, /SIGNÉ +│? *oui/);
  const resigned = await fr(manager, ["contract", "sign", String(contract.id), "--json"]);
  assert.equal(resigned.stderr, "");

  const refused = await fr(manager, ["client", "delete", String(client.id)]);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    new RegExp(`refus de supprimer le client ${client.id} sans confirmation${NBSP}: ajoutez --yes`),
  );
  const deleted = await fr(manager, ["client", "delete", String(client.id), "--cascade", "--yes"]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(deleted.stderr, `Client ${client.id} supprimé, avec 1 contrat(s) et 0 événement(s).\n`);
});

Deno.test("help in French: commander's titles, the summary, flags, examples and environment", async () => {
  for (const env of [{ EPIC_EVENTS_LANG: "fr" }, { LANG: "fr_FR.UTF-8" }, { LC_ALL: "fr_CA" }]) {
    const help = await runCli(["client", "create", "--help"], { env: { NO_COLOR: "1", ...env } });
    assert.equal(help.code, 0, help.stderr);
    const text = help.stdout;
    assert.match(text, /^Utilisation\u00a0: epic-events client create \[options\]\n/);
    assert.match(text, /\ncréer un client \(SALES\u00a0: il est à vous/);
    assert.match(text, /\nOptions\u00a0:\n/);
    assert.match(text, /--full-name <name> +nom complet du client \(obligatoire\)/);
    assert.match(text, /\(obligatoire pour MANAGEMENT\)/);
    assert.match(text, /\nOptions globales\u00a0:\n/);
    assert.match(text, /-h, --help +afficher l'aide de la commande/);
    assert.match(text, /\nExemples\u00a0:\n {2}\$ epic-events client create --full-name 'Kevin Casey'/);
    assert.match(text, /\nEnvironnement\u00a0:\n {2}DATABASE_URL +la base de données/);
    assert.doesNotMatch(text, /Usage:|Options:|Examples:|Environment:|\(required/);
  }
  const flag = await runCli(["--lang", "fr", "--help"], { env: { NO_COLOR: "1", LANG: "en_US.UTF-8" } });
  assert.match(flag.stdout, /\nCommandes\u00a0:\n/);
  assert.match(flag.stdout, /\n {2}client +gérer les clients\n/);
  const english = await runCli(["--help"], { env: { NO_COLOR: "1", LANG: "fr_FR.UTF-8", EPIC_EVENTS_LANG: "en" } });
  assert.match(english.stdout, /^Usage: epic-events/);
  assert.match(english.stdout, /\nCommands:\n/);
});

Deno.test("French refusals of the command line name the flag", async () => {
  const env = { NO_COLOR: "1", EPIC_EVENTS_LANG: "fr" };
  const format = await runCli(["client", "list", "--format", "xml"], { env });
  assert.equal(format.code, 2);
  assert.equal(format.stderr.includes(`--format${NBSP}: doit être l'un de json, csv, tsv, table`), true, format.stderr);
  const password = await runCli(["login", "--password", "x"], { env });
  assert.equal(password.code, 2);
  assert.match(password.stderr, /--password\u00a0: un mot de passe n'est jamais accepté comme valeur d'option/);
  const shell = await runCli(["completions", "tcsh"], { env });
  assert.match(shell.stderr, /SHELL\u00a0: doit être l'un de bash, zsh, fish/);
  // Commander's own refusals, with `--lang fr` before the command as well as after it.
  const missing = await runCli(["--lang", "fr", "client", "show"], { env: { NO_COLOR: "1" } });
  assert.equal(missing.code, 2);
  assert.equal(
    missing.stderr,
    "error: argument obligatoire manquant\u00a0: «\u00a0id\u00a0». Utilisation\u00a0: epic-events client show [options] <id>\n",
  );
  const typo = await runCli(["contrat", "list", "--lang", "fr"], { env: { NO_COLOR: "1" } });
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /commande inconnue «\u00a0contrat\u00a0» \(Vouliez-vous dire contract\u00a0\?\)/);
  const option = await runCli(["client", "list", "--frob"], { env });
  assert.match(option.stderr, /option inconnue «\u00a0--frob\u00a0»/);
  // The JSON error keeps its stable code; its message is in the language chosen.
  const json = await runCli(["client", "list", "--format", "xml", "--json"], { env });
  assert.equal(JSON.parse(json.stderr).error.code, "invalid_input");
});

Deno.test("completion scripts written in French describe in French, and still parse", async () => {
  const script = await runCli(["completions", "bash"], { env: { NO_COLOR: "1", LANG: "fr_FR.UTF-8" } });
  assert.equal(script.code, 0, script.stderr);
  const zsh = await runCli(["--lang", "fr", "completions", "zsh"], { env: { NO_COLOR: "1" } });
  assert.match(zsh.stdout, /'client:gérer les clients'/);
  assert.match(zsh.stdout, /'--help:afficher l'\\''aide de la commande'/);
  const path = await Deno.makeTempFile({ suffix: ".bash" });
  try {
    await Deno.writeTextFile(path, script.stdout);
    const parsed = await new Deno.Command("bash", { args: ["-n", path], stderr: "piped" }).output();
    assert.ok(parsed.success, new TextDecoder().decode(parsed.stderr));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("operator commands in French: migrate's lines and states, the values of CSV unchanged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "epic-fr-migrate-" });
  const env = {
    NO_COLOR: "1",
    EPIC_EVENTS_LANG: "fr",
    HOME: dir,
    DATABASE_URL: `sqlite://${dir}/crm.db`,
    EPIC_EVENTS_DATA_DIR: `${dir}/data`,
    EPIC_EVENTS_LOG_DIR: `${dir}/logs`,
  };
  try {
    const up = await runCli(["migrate", "up", "--to", "1"], { env });
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /^Appliquée\u00a0: 0001_initial_schema \(\d+ ms\)\n$/);
    const table = await runCli(["migrate", "status", "--format", "table"], { env });
    assert.match(table.stdout, /ÉTAT/);
    assert.match(table.stdout, /appliquée/);
    assert.match(table.stdout, /en attente/);
    const csv = await runCli(["migrate", "status", "--format", "csv"], { env });
    assert.match(csv.stdout, /^VERSION,NAME,STATE,APPLIED AT\r\n0001,initial_schema,applied,/);
    assert.match(csv.stdout, /,pending,/);
    const refused = await runCli(["migrate", "down"], { env });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /refus d'annuler sans confirmation \(ajoutez --yes\)\u00a0: cela annule 0001_initial_schema/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
