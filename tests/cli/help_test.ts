/**
 * Help a newcomer can use (issue 9, point 8): every command's `--help` has a
 * one-line purpose, usage, flags with required ones marked, the global flags,
 * examples and the environment it reads; `help <command>` works; a missing
 * argument prints the usage line too.
 * @module
 */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";

const COMMANDS = [
  "user list",
  "user show",
  "user create",
  "user update",
  "user delete",
  "client list",
  "client show",
  "client create",
  "client update",
  "client delete",
  "contract list",
  "contract show",
  "contract create",
  "contract update",
  "contract sign",
  "contract delete",
  "event list",
  "event show",
  "event create",
  "event update",
  "event assign",
  "event delete",
  "audit list",
];

const env = { NO_COLOR: "1" };

Deno.test("every command's --help: purpose, usage, flags, global flags, examples, environment", async () => {
  for (const path of COMMANDS) {
    const result = await runCli([...path.split(" "), "--help"], { env });
    assert.equal(result.code, 0, `${path}: ${result.stderr}`);
    assert.equal(result.stderr, "");
    const help = result.stdout;
    assert.match(help, new RegExp(`^Usage: epic-events ${path} \\[options\\]`), path);
    const purpose = help.split("\n")[2];
    assert.ok(purpose.length > 10, `${path}: a one-line purpose under the usage, got "${purpose}"`);
    assert.match(help, /\nOptions:\n/, path);
    const globals = help.slice(help.indexOf("Global Options:"));
    assert.ok(help.includes("Global Options:"), `${path}: global flags shown`);
    for (const flag of ["--json", "--format <format>", "--debug"]) {
      assert.ok(globals.includes(flag), `${path}: ${flag}`);
    }
    const examples = help.slice(help.indexOf("Examples:"), help.indexOf("Environment:"));
    const lines = examples.split("\n").filter((l) => l.startsWith(`  $ epic-events ${path}`));
    assert.ok(lines.length >= 1 && lines.length <= 3, `${path}: 1 to 3 examples, got ${lines.length}`);
    assert.match(help, /\nEnvironment:\n {2}DATABASE_URL +the database/, path);
  }
});

Deno.test("--help marks required flags, and aliases say what they stand for", async () => {
  const client = (await runCli(["client", "create", "--help"], { env })).stdout;
  assert.match(client, /--full-name <name> +the client's full name \(required\)/);
  assert.match(client, /\(required for MANAGEMENT\)/);
  assert.doesNotMatch(client.slice(client.indexOf("--sales-contact-id")), /^ {2}--phone/m);
  const contract = (await runCli(["contract", "create", "--help"], { env })).stdout;
  assert.match(contract, /--total <amount> +total amount, e\.g\. 1500\.50 \(required\)/);
  assert.match(contract, /--total-amount <amount> +same as --total\n/);
  assert.match(contract, /--due <amount> +amount still due \(default: the total\)\n/);
  const update = (await runCli(["contract", "update", "--help"], { env })).stdout;
  assert.doesNotMatch(
    update.slice(0, update.indexOf("Global Options:")),
    /\(required/,
    "no flag is required to update",
  );
  assert.match(update, /--signed-status <yes\/no> +signed or not: true, false, yes or no/);
  const list = (await runCli(["event", "list", "--help"], { env })).stdout;
  assert.match(list, /TZ +time zone of dates/);
  assert.match(list, /--limit <n> +at most N rows \(a table shows 100 unless told\)/);
});

Deno.test("`epic-events help <command>` shows that command's help; an unknown one is exit 2", async () => {
  for (const path of ["client create", "event", "audit list"]) {
    const viaHelp = await runCli(["help", ...path.split(" ")], { env });
    const viaFlag = await runCli([...path.split(" "), "--help"], { env });
    assert.equal(viaHelp.code, 0, viaHelp.stderr);
    assert.equal(viaHelp.stdout, viaFlag.stdout, path);
  }
  const root = await runCli(["help"], { env });
  assert.equal(root.code, 0);
  assert.match(root.stdout, /^Usage: epic-events \[options\] \[command\]/);
  const unknown = await runCli(["help", "client", "frobnicate"], { env });
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, "");
  assert.match(unknown.stderr, /^error: unknown command 'client frobnicate'/);
});

Deno.test("a missing argument prints the usage line too (one line; JSON with --json)", async () => {
  const human = await runCli(["client", "show"], { env });
  assert.equal(human.code, 2);
  assert.equal(human.stdout, "");
  assert.equal(
    human.stderr,
    "error: missing required argument 'id'. Usage: epic-events client show [options] <id>\n",
  );
  const json = await runCli(["event", "assign", "--json"], { env });
  assert.equal(json.code, 2);
  assert.deepEqual(JSON.parse(json.stderr), {
    error: {
      code: "invalid_input",
      message: "missing required argument 'id'. Usage: epic-events event assign [options] <id>",
    },
  });
});

Deno.test("bad flag values are exit 2 before anything is read or asked", async () => {
  const cases: Array<[string[], string]> = [
    [["client", "list", "--limit", "0"], "error: --limit: must be a whole number, 1 or more\n"],
    [["client", "list", "--limit", "-1"], "error: --limit: must be a whole number, 1 or more\n"],
    [["user", "list", "--limit", "-1"], "error: --limit: must be a whole number, 1 or more\n"],
    [["audit", "list", "--limit", "0"], "error: --limit: must be a whole number, 1 or more\n"],
    [["user", "list", "--role", "ceo"], "error: --role: must be one of MANAGEMENT, SALES, SUPPORT (any case)\n"],
    [["contract", "list", "--format", "xml"], "error: --format: must be one of json, csv, tsv, table\n"],
    [
      ["contract", "update", "1", "--signed-status", "maybe"],
      "error: --signed-status: must be one of true, false, yes, no\n",
    ],
    [
      ["contract", "create", "--client", "1", "--total", "1.234"],
      "error: --total: must be an amount with at most 2 decimals, e.g. 1500.50\n",
    ],
  ];
  for (const [args, stderr] of cases) {
    // No database or login is set up: these fail on the flags alone.
    const result = await runCli(args, { env: { ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" } });
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(result.stderr, stderr, args.join(" "));
    assert.equal(result.stdout, "");
  }
  const json = await runCli(["contract", "create", "--client", "1", "--total-amount", "1.234", "--json"], { env });
  assert.deepEqual(JSON.parse(json.stderr).error, {
    code: "invalid_input",
    message: "--total-amount: must be an amount with at most 2 decimals, e.g. 1500.50",
    field: "total_amount",
  });
});
