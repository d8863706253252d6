/**
 * The shipped bundle keeps lazy loading: the packages the program imports
 * only when a command needs them stay in chunks of their own, outside what
 * the entry loads at start, and `--help` evaluates none of them. Proven two
 * ways on a fresh `deno task bundle` build: by reading the chunks' static
 * imports, and by running a copy of the bundle whose heavy chunks throw as
 * soon as they are evaluated.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { bundle, type BundleResult, ENTRY, staticClosure } from "../tools/bundle.ts";
import { DENO_DIR, runCli } from "./support/cli.ts";
import { TEST_SECRET_KEY } from "./support/backends.ts";
import { startServe } from "./support/remote.ts";

/** Packages that must not be evaluated by `--help`, and how their code is recognised in a chunk. */
const HEAVY: Record<string, RegExp> = {
  // The program's own help is printed without commander (src/cli/app/top_help.ts).
  "commander": /(?:registry\.npmjs\.org|node_modules)\/commander\//,
  // The program's help reads its catalog as it is (no plural forms): i18next comes with the first full run.
  "i18next": /(?:registry\.npmjs\.org|node_modules)\/i18next\//,
  // A chunk importing a node: built-in: the first one costs Deno its Node layer (~1× the floor).
  "a node: built-in": /^\s*import\s[^;]*?["']node:[^"']+["']/m,
  "postgres.js": /(?:registry\.npmjs\.org|node_modules)\/postgres\//,
  "Sentry": /(?:registry\.npmjs\.org|node_modules)\/@sentry\//,
  // The table grid's width measurement: loaded when a table is drawn.
  "string-width": /(?:registry\.npmjs\.org|node_modules)\/string-width\//,
  "@inquirer/prompts": /(?:registry\.npmjs\.org|node_modules)\/@inquirer\//,
  "jose": /(?:registry\.npmjs\.org|node_modules)\/jose\//,
  "hash-wasm": /(?:registry\.npmjs\.org|node_modules)\/hash-wasm\//,
  // The log files are set up when a command runs, never for --help or --version.
  "LogTape": /(?:registry\.npmjs\.org|node_modules)\/@logtape\//,
  // The contract's schemas: loaded by the commands that use records, never by --help or whoami.
  "zod": /(?:registry\.npmjs\.org|node_modules)\/zod\//,
};

/** The catalog of each language, recognised in a chunk by the bundler's comment naming its module. */
const CATALOGS: Record<string, RegExp> = {
  en: /^\/\/ src\/i18n\/catalogs\/en\//m,
  fr: /^\/\/ src\/i18n\/catalogs\/fr\//m,
};

const STUB_MARK = "bundle_test: evaluated";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const tempDirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  tempDirs.push(dir);
  return dir;
}
globalThis.addEventListener("unload", () => {
  for (const dir of tempDirs) Deno.removeSync(dir, { recursive: true });
});

let built: Promise<{ result: BundleResult; holders: Map<string, string[]> }> | undefined;

/** One bundle for the whole file, and which of its files hold each heavy package. */
function build() {
  built ??= (async () => {
    const dir = await tempDir("epic-bundle-test-");
    const result = await bundle(dir, { quiet: true });
    const holders = new Map<string, string[]>();
    for (const file of result.files) {
      const text = await Deno.readTextFile(join(dir, file.name));
      for (const [pkg, marker] of Object.entries({ ...HEAVY, ...CATALOGS })) {
        if (marker.test(text)) holders.set(pkg, [...(holders.get(pkg) ?? []), file.name]);
      }
    }
    return { result, holders };
  })();
  return built;
}

/**
 * A copy of the bundle where every file holding one of `packages` is replaced
 * by a module that throws when evaluated.
 */
async function stubbedCopy(packages: string[]): Promise<string> {
  const { result, holders } = await build();
  const dir = await tempDir("epic-bundle-stub-");
  const stubbed = new Map<string, string>();
  for (const pkg of packages) for (const file of holders.get(pkg) ?? []) stubbed.set(file, pkg);
  for (const file of result.files) {
    const target = join(dir, file.name);
    const pkg = stubbed.get(file.name);
    if (pkg) await Deno.writeTextFile(target, `throw new Error("${STUB_MARK} ${pkg} (${file.name})");\n`);
    else await Deno.copyFile(join(result.outdir, file.name), target);
  }
  return dir;
}

/** Runs `deno run -A <dir>/epic-events.js args` in a clean environment. */
async function runBundle(dir: string, args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(dir, ENTRY), ...args],
    cwd: dir,
    env: { DENO_DIR, NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

async function programEnv(): Promise<Record<string, string>> {
  const home = await tempDir("epic-bundle-home-");
  return {
    HOME: home,
    DATABASE_URL: `sqlite://${home}/crm.db`,
    EPIC_EVENTS_CONFIG_DIR: `${home}/config`,
    EPIC_EVENTS_DATA_DIR: `${home}/data`,
    EPIC_EVENTS_LOG_DIR: `${home}/logs`,
    EPIC_EVENTS_TEST_MODE: "1",
    BCRYPT_ROUNDS: "4",
    SECRET_KEY: TEST_SECRET_KEY,
  };
}

Deno.test("bundle: every lazily imported package sits in a chunk that the entry does not load at start", async () => {
  const { result, holders } = await build();
  const eager = await staticClosure(result.outdir);
  assert.ok(eager.includes(ENTRY));
  // Without lazy-dynamic-imports, deno reads and parses every chunk an import() names before the first line.
  const config = JSON.parse(await Deno.readTextFile(join(result.outdir, "deno.json")));
  assert.deepEqual(config.unstable, ["lazy-dynamic-imports"]);
  for (const pkg of Object.keys(HEAVY)) {
    const files = holders.get(pkg) ?? [];
    // Not found at all: the bundle was minified (no module comments) or the package left external.
    assert.ok(files.length > 0, `${pkg}: no chunk of the bundle holds its code`);
    const loadedAtStart = files.filter((f) => eager.includes(f));
    assert.deepEqual(loadedAtStart, [], `${pkg} is loaded at start by ${loadedAtStart.join(", ")}`);
  }
});

Deno.test("bundle: --help and --version evaluate no heavy package and print what the source prints", async () => {
  const dir = await stubbedCopy(Object.keys(HEAVY));
  const env = await programEnv();
  const help = await runBundle(dir, ["--help"], env);
  assert.equal(help.code, 0, help.stderr);
  assert.ok(!help.stderr.includes(STUB_MARK), help.stderr);
  const fromSource = await runCli(["--help"], { env });
  assert.equal(help.stdout, fromSource.stdout);
  const version = await runBundle(dir, ["--version"], env);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout, (await runCli(["--version"], { env })).stdout);
  // Nothing ran: no log file was even opened (LogTape's setup would swallow the stub's throw).
  assert.equal(await exists(env.EPIC_EVENTS_LOG_DIR), false, "--help and --version set up no logging");
});

Deno.test("bundle: --help in one language evaluates no catalog of the other", async () => {
  const env = await programEnv();
  for (const [lang, locale, other] of [["en", "C", "fr"], ["fr", "fr_FR.UTF-8", "en"]]) {
    const dir = await stubbedCopy([...Object.keys(HEAVY), other]);
    const help = await runBundle(dir, ["--help"], { ...env, LANG: locale });
    assert.equal(help.code, 0, `${lang}: ${help.stderr}`);
    assert.equal(help.stdout, (await runCli(["--help"], { env: { ...env, LANG: locale } })).stdout, lang);
  }
});

Deno.test("bundle: a stubbed chunk is noticed when a command does evaluate it (the guard can fail)", async () => {
  const dir = await stubbedCopy(["postgres.js"]);
  const env = { ...await programEnv(), DATABASE_URL: "postgres://nobody@127.0.0.1:9/none" };
  const status = await runBundle(dir, ["--debug", "migrate", "status"], env);
  assert.equal(status.code, 1, status.stderr);
  assert.ok(status.stderr.includes(`${STUB_MARK} postgres.js`), status.stderr);
});

Deno.test("bundle: a logged-in whoami on SQLite evaluates jose and LogTape (its log line) only", async () => {
  const env = await programEnv();
  // Set up with the source: create the first manager and log in (bcrypt, jose).
  const init = await runCli(
    ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"],
    { env, stdin: "correct horse battery\n" },
  );
  assert.equal(init.code, 0, init.stderr);
  const login = await runCli(["login", "--email", "ada@epic.test", "--password-stdin"], {
    env,
    stdin: "correct horse battery",
  });
  assert.equal(login.code, 0, login.stderr);
  const needed = ["jose", "LogTape", "commander", "a node: built-in", "i18next"];
  const dir = await stubbedCopy(Object.keys(HEAVY).filter((pkg) => !needed.includes(pkg)));
  const whoami = await runBundle(dir, ["whoami", "--json"], env);
  assert.equal(whoami.code, 0, whoami.stderr);
  assert.equal((JSON.parse(whoami.stdout) as { email: string }).email, "ada@epic.test");
});

Deno.test("bundle: serve --metrics-listen answers /metrics (prom-client is CommonJS: its chunk exports a default only)", async () => {
  const env = await programEnv();
  const { result } = await build();
  const migrate = await runBundle(result.outdir, ["migrate", "up"], env);
  assert.equal(migrate.code, 0, migrate.stderr);
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const server = await startServe(env, {
    entry: join(result.outdir, ENTRY),
    cwd: result.outdir,
    args: ["--metrics-listen", `127.0.0.1:${port}`],
  });
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.match(text, /^# TYPE epic_events_http_requests_total counter$/m);
    assert.match(text, /^epic_events_build_info\{version="[^"]+",deno="[^"]+",backend="sqlite"\} 1$/m);
  } finally {
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
});
