/**
 * Issue 9, point 8, for `init`, `login`, `logout`, `whoami`, `migrate`,
 * `backup` and `completions`: purpose, usage, flags, global flags, 1 to 3
 * examples and the environment read; `help <command>` is the same.
 * @module
 */
import assert from "node:assert/strict";
import { runCli } from "../../support/cli.ts";

const env = { NO_COLOR: "1" };

/** Each command, and a variable its help must name. */
const COMMANDS: Array<[string, string | null]> = [
  ["init", "BCRYPT_ROUNDS"],
  ["login", "EPIC_EVENTS_CONFIG_DIR"],
  ["logout", "EPIC_EVENTS_TOKEN"],
  ["whoami", "TZ"],
  ["migrate status", "EPIC_EVENTS_DATA_DIR"],
  ["migrate up", "DATABASE_CONNECT_TIMEOUT"],
  ["migrate down", "DATABASE_URL"],
  ["backup create", "EPIC_EVENTS_BACKUP_DIR"],
  ["backup list", "EPIC_EVENTS_BACKUP_DIR"],
  ["backup verify", "TZ"],
  ["backup prune", "EPIC_EVENTS_BACKUP_DIR"],
  ["backup restore", "DATABASE_URL"],
  ["completions", null],
];

Deno.test("every operator, session and completion command's --help: purpose, usage, flags, examples, environment", async () => {
  for (const [path, variable] of COMMANDS) {
    const result = await runCli([...path.split(" "), "--help"], { env });
    assert.equal(result.code, 0, `${path}: ${result.stderr}`);
    const help = result.stdout;
    assert.match(help, new RegExp(`^Usage: epic-events ${path} \\[options\\]`), path);
    assert.ok(help.split("\n")[2].length > 10, `${path}: a one-line purpose`);
    for (const flag of ["--json", "--format <format>", "--debug"]) {
      assert.ok(help.slice(help.indexOf("Global Options:")).includes(flag), `${path}: ${flag}`);
    }
    const examples = help.slice(help.indexOf("Examples:")).split("\n").filter((l) =>
      l.startsWith(`  $ epic-events ${path}`)
    );
    assert.ok(examples.length >= 1 && examples.length <= 3, `${path}: 1 to 3 examples, got ${examples.length}`);
    if (variable) {
      const environment = help.slice(help.indexOf("\nEnvironment:\n"));
      assert.match(environment, new RegExp(`\\n {2}${variable} +\\S`), `${path}: names ${variable} and what it is for`);
    }
    const viaHelp = await runCli(["help", ...path.split(" ")], { env });
    assert.equal(viaHelp.stdout, help, `help ${path}`);
  }
});

Deno.test("required flags are marked; the password is never a flag; migrate's help shows its verbs and examples", async () => {
  const init = (await runCli(["init", "--help"], { env })).stdout;
  assert.match(init, /--first-name <name> +first name \(required\)/);
  assert.match(init, /--phone <phone> +phone number\n/);
  assert.match(init, /--password-stdin +read the password from standard input/);
  const migrate = (await runCli(["migrate", "--help"], { env })).stdout;
  assert.match(migrate, /status +list every migration/);
  assert.match(migrate, /\$ epic-events migrate {2,}# the same as migrate up/);
  const down = (await runCli(["migrate", "down", "--help"], { env })).stdout;
  assert.match(down, /--to <version> +revert down to VERSION, which stays applied/);
  assert.match(down, /-y, --yes/);
});

Deno.test("a missing argument prints the usage too", async () => {
  const result = await runCli(["backup", "verify"], { env });
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    "error: missing required argument 'file'. Usage: epic-events backup verify [options] <file>\n",
  );
  const shell = await runCli(["completions"], { env });
  assert.equal(
    shell.stderr,
    "error: missing required argument 'shell'. Usage: epic-events completions [options] <shell>\n",
  );
});
