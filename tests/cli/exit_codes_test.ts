import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { run } from "../../src/cli/app/run.ts";
import {
  AppError,
  ConflictError,
  EXIT_CODES,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
  UnavailableError,
} from "../../src/domain/errors.ts";
import { MAIN, runCli, spawnCli } from "../support/cli.ts";
import { testIo } from "../support/io.ts";

const LOG_DIR = Deno.makeTempDirSync({ prefix: "epic-exit-logs-" });

/** Runs the program with an Io whose stdout write throws `error` (`--version` writes to stdout). */
async function runThrowing(
  error: unknown,
  flags: string[] = [],
): Promise<{ code: number; stderr: string }> {
  const io = testIo({ env: { NO_COLOR: "1", EPIC_EVENTS_LOG_DIR: LOG_DIR }, cwd: Deno.cwd() });
  io.writeOut = () => {
    throw error;
  };
  const code = await run([...flags, "--version"], io);
  return { code, stderr: io.stderr };
}

const KINDS: Array<[AppError, string, number]> = [
  [new AppError("internal", "the disk is on fire"), "internal", 1],
  [new InvalidInputError("email: not a valid address", "email"), "invalid_input", 2],
  [new NotAuthenticatedError(), "not_authenticated", 3],
  [new PermissionDeniedError("SUPPORT cannot create clients."), "permission_denied", 4],
  [new NotFoundError("client", 42), "not_found", 5],
  [new ConflictError("email already used", "email"), "conflict", 6],
  [
    new UnavailableError("Cannot connect to the database at db:5432: connection refused.", { field: "DATABASE_URL" }),
    "unavailable",
    7,
  ],
];

Deno.test("every error kind has its exit code (PRODUCT.md §3)", () => {
  assert.deepEqual(EXIT_CODES, {
    internal: 1,
    invalid_input: 2,
    not_authenticated: 3,
    permission_denied: 4,
    not_found: 5,
    conflict: 6,
    unavailable: 7,
  });
  for (const [error, code, exit] of KINDS) {
    assert.equal(error.code, code);
    assert.equal(error.exitCode, exit);
    assert.ok(error instanceof AppError && error instanceof Error);
  }
});

Deno.test("run() turns each error kind into its exit code and one line on stderr", async () => {
  for (const [error, code, exit] of KINDS) {
    const human = await runThrowing(error);
    assert.equal(human.code, exit, code);
    // Exit 1 also says where the details are logged (issue 5); the others are the message alone.
    const where = exit === 1 ? ` (details are in ${LOG_DIR}/error.log)` : "";
    assert.equal(human.stderr, `error: ${error.message}${where}\n`);

    const json = await runThrowing(error, ["--json"]);
    assert.equal(json.code, exit, code);
    assert.equal(json.stderr.trimEnd().split("\n").length, 1);
    const body = JSON.parse(json.stderr) as { error: Record<string, string> };
    assert.deepEqual(body, {
      error: { code, message: `${error.message}${where}`, ...(error.field ? { field: error.field } : {}) },
    });
  }
});

Deno.test("an unexpected exception exits 1 with a friendly line; the stack only with --debug", async () => {
  const error = new TypeError("cannot read properties of undefined (reading 'id')");
  const plain = await runThrowing(error);
  assert.equal(plain.code, 1);
  assert.equal(plain.stderr.trimEnd().split("\n").length, 1, plain.stderr);
  assert.match(plain.stderr, /^error: Something went wrong; details are in .*error\.log/);
  const log = await Deno.readTextFile(`${LOG_DIR}/error.log`);
  assert.match(log, /TypeError: cannot read properties/, "the details are in the error log");
  assert.ok(!plain.stderr.includes("TypeError") && !plain.stderr.includes("reading 'id'"), plain.stderr);
  assert.doesNotMatch(plain.stderr, /\n\s+at /);

  const json = await runThrowing(error, ["--json"]);
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stderr).error.code, "internal");

  const debug = await runThrowing(error, ["--debug"]);
  assert.equal(debug.code, 1);
  assert.match(debug.stderr, /TypeError: cannot read properties/);
  assert.match(debug.stderr, /\n\s+at /, "a stack trace");
});

Deno.test("a real unexpected failure in the real program: exit 1, no stack trace unless --debug", async () => {
  const dir = await Deno.makeTempDir({ prefix: "epic-exit-" });
  try {
    // A database whose migrations table has the wrong shape: the driver's own
    // error, not an AppError. (A folder where the file should be is exit 7 now.)
    const db = new DatabaseSync(`${dir}/broken.db`);
    db.exec("CREATE TABLE schema_migrations (nothing_expected INTEGER)");
    db.close();
    const env = { HOME: dir, DATABASE_URL: `sqlite://${dir}/broken.db`, NO_COLOR: "1" };
    const plain = await spawnCli(["migrate", "status"], { env, cwd: dir });
    assert.equal(plain.code, 1, plain.stderr);
    assert.equal(plain.stdout, "");
    assert.match(plain.stderr, /^error: [^\n]*\n$/);
    assert.doesNotMatch(plain.stderr, /\bat .*\.ts:\d+/);

    const debug = await spawnCli(["--debug", "migrate", "status"], { env, cwd: dir });
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /\bat .*\.ts:\d+/, "--debug shows where it failed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unknown command or option: exit 2, one line on stderr, nothing on stdout", async () => {
  const cases: Array<[string[], RegExp]> = [
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["--frobnicate"], /unknown option '--frobnicate'/],
    [["migrate", "--frobnicate"], /unknown option '--frobnicate'/],
    [["migrate", "sideways"], /sideways.*status, up, down/],
  ];
  for (const [args, message] of cases) {
    const human = await runCli(args, { env: { NO_COLOR: "1" } });
    assert.equal(human.code, 2, args.join(" "));
    assert.equal(human.stdout, "");
    assert.match(human.stderr, /^error: [^\n]+\n$/);
    assert.match(human.stderr, message);

    const json = await runCli(["--json", ...args], { env: { NO_COLOR: "1" } });
    assert.equal(json.code, 2, args.join(" "));
    assert.equal(json.stdout, "");
    assert.equal(json.stderr.trimEnd().split("\n").length, 1, json.stderr);
    const body = JSON.parse(json.stderr) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "invalid_input");
    assert.match(body.error.message, message);
  }
});

Deno.test("a noun without a verb shows its help on stderr and exits 2", async () => {
  const result = await runCli(["client"], { env: { NO_COLOR: "1" } });
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /Usage: epic-events client/);
});

/** The command names listed under "Commands:" in a help text. */
function commandsOf(help: string): string[] {
  const section = help.slice(help.indexOf("Commands:"));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]).filter((name) => name !== "help");
}

const PRODUCT_COMMANDS = [
  "init",
  "login",
  "logout",
  "whoami",
  "migrate",
  "user",
  "client",
  "contract",
  "event",
  "audit",
];

const PRODUCT_VERBS: Record<string, string[]> = {
  user: ["list", "show", "create", "update", "delete"],
  client: ["list", "show", "create", "update", "delete"],
  contract: ["list", "show", "create", "update", "sign", "delete"],
  event: ["list", "show", "create", "update", "assign", "delete"],
  audit: ["list"],
};

Deno.test("--help exits 0 and lists every command of PRODUCT.md §3", async () => {
  const result = await runCli(["--help"], { env: { NO_COLOR: "1" } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  const listed = commandsOf(result.stdout);
  const missing = PRODUCT_COMMANDS.filter((command) => !listed.includes(command));
  assert.deepEqual(missing, [], `--help does not list: ${missing.join(", ")}`);
  for (const flag of ["--json", "--debug"]) assert.ok(result.stdout.includes(flag), flag);
});

Deno.test("each noun's --help lists its verbs; migrate lists status, up, down, --to and --dry-run", async () => {
  for (const [noun, verbs] of Object.entries(PRODUCT_VERBS)) {
    const result = await runCli([noun, "--help"], { env: { NO_COLOR: "1" } });
    assert.equal(result.code, 0, `${noun}: ${result.stderr}`);
    assert.deepEqual(commandsOf(result.stdout).sort(), [...verbs].sort(), noun);
  }
  const migrate = await runCli(["migrate", "--help"], { env: { NO_COLOR: "1" } });
  assert.equal(migrate.code, 0);
  for (const text of ["status", "up", "down", "--to", "--dry-run"]) assert.ok(migrate.stdout.includes(text), text);
});

Deno.test("the real program: --help exits 0, an unknown command exits 2", async () => {
  const help = await spawnCli(["--help"], { env: { NO_COLOR: "1" } });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /Usage: epic-events/);
  const bad = await spawnCli(["frobnicate"], { env: { NO_COLOR: "1" } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: unknown command 'frobnicate'/);
});

interface InfoDependency {
  specifier: string;
  code?: { specifier?: string };
  isDynamic?: boolean;
}

interface InfoModule {
  specifier: string;
  dependencies?: InfoDependency[];
}

/** The module graph of main.ts from `deno info --json`. */
async function moduleGraph(): Promise<
  { roots: string[]; modules: Map<string, InfoModule>; redirects: Record<string, string> }
> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", MAIN],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: InfoModule[];
    redirects: Record<string, string>;
  };
  return { roots: info.roots, modules: new Map(info.modules.map((m) => [m.specifier, m])), redirects: info.redirects };
}

/** Specifiers reachable from the roots, following dynamic imports or not. */
function reachable(
  graph: Awaited<ReturnType<typeof moduleGraph>>,
  followDynamic: boolean,
): Set<string> {
  const seen = new Set<string>();
  const queue = [...graph.roots];
  while (queue.length > 0) {
    let specifier = queue.pop()!;
    specifier = graph.redirects[specifier] ?? specifier;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of graph.modules.get(specifier)?.dependencies ?? []) {
      if (!dep.code?.specifier) continue; // type-only import
      if (dep.isDynamic && !followDynamic) continue;
      queue.push(dep.code.specifier);
    }
  }
  return seen;
}

/** Packages that must only be loaded when needed (issue 2, point 8). */
const LAZY = [
  { name: "postgres.js", pattern: /^npm:\/?postgres@/ },
  { name: "node:sqlite", pattern: /^node:sqlite$/ },
  { name: "string-width", pattern: /^npm:\/?string-width@/ },
  { name: "@inquirer/prompts", pattern: /^npm:\/?@inquirer\// },
  { name: "@sentry/deno", pattern: /^npm:\/?@sentry\// },
];

Deno.test("`epic-events --help` loads no database driver: drivers are only imported dynamically", async () => {
  const graph = await moduleGraph();
  const statically = [...reachable(graph, false)];
  const everything = [...reachable(graph, true)];
  // The walk is meaningful: following dynamic imports does reach both drivers.
  for (const driver of LAZY.slice(0, 2)) {
    assert.ok(everything.some((s) => driver.pattern.test(s)), `${driver.name} is not in the graph at all`);
  }
  assert.ok(statically.some((s) => s.endsWith("/src/cli/app/run.ts")), "the static walk reaches src/cli");
  for (const lazy of LAZY) {
    const found = statically.filter((s) => lazy.pattern.test(s));
    assert.deepEqual(found, [], `${lazy.name} is imported statically from main.ts; import it dynamically where needed`);
  }
  for (const adapter of ["/src/db/sqlite.ts", "/src/db/postgres.ts"]) {
    assert.ok(!statically.some((s) => s.endsWith(adapter)), `${adapter} is imported statically`);
  }
});
