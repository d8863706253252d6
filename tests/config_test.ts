import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig, mergeDotEnv, parseDatabaseUrl, VARIABLES } from "../src/config.ts";
import { InvalidInputError } from "../src/domain/errors.ts";
import { backendTest } from "./support/backends.ts";
import { runCli } from "./support/cli.ts";

const VALID_KEY = "k".repeat(32);

async function withTempDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-config-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function expectInvalid(fn: () => unknown, variable: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${error}`);
    assert.equal(error.field, variable);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, new RegExp(`^${variable}\\b`));
    return true;
  });
}

Deno.test("a real environment variable wins over .env; .env fills the missing ones", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, ".env"),
      [
        "# a comment",
        "ACCESS_TOKEN_EXPIRE_MINUTES=5",
        "LOG_LEVEL=debug",
        'SENTRY_ENVIRONMENT="staging from file"',
        "",
      ].join("\n"),
    );
    const config = loadConfig({ HOME: dir, ACCESS_TOKEN_EXPIRE_MINUTES: "90" }, dir);
    assert.equal(config.tokenLifetimeMinutes, 90, "the environment wins");
    assert.equal(config.logLevel, "debug", ".env fills LOG_LEVEL");
    assert.equal(config.sentryEnvironment, "staging from file", ".env values may be quoted");

    const merged = mergeDotEnv({ LOG_LEVEL: "ERROR", OTHER: undefined }, dir);
    assert.equal(merged.LOG_LEVEL, "ERROR");
    assert.equal(merged.ACCESS_TOKEN_EXPIRE_MINUTES, "5");
  });
});

Deno.test(".env is optional and only read from the working directory", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "sub"));
    await Deno.writeTextFile(join(dir, ".env"), "ACCESS_TOKEN_EXPIRE_MINUTES=7\n");
    assert.equal(loadConfig({ HOME: dir }, dir).tokenLifetimeMinutes, 7);
    assert.equal(loadConfig({ HOME: dir }, join(dir, "sub")).tokenLifetimeMinutes, 1440, "no .env in sub/");
  });
});

Deno.test("a bad value in .env is refused naming the variable", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, ".env"), "BCRYPT_ROUNDS=lots\n");
    expectInvalid(() => loadConfig({ HOME: dir }, dir), "BCRYPT_ROUNDS");
    // ...unless the environment overrides it.
    assert.equal(loadConfig({ HOME: dir, BCRYPT_ROUNDS: "11" }, dir).bcryptRounds, 11);
  });
});

Deno.test("defaults: SQLite under XDG_DATA_HOME, token under XDG_CONFIG_HOME, logs under XDG_STATE_HOME", () => {
  const config = loadConfig({
    HOME: "/home/ann",
    XDG_DATA_HOME: "/xdg/data",
    XDG_CONFIG_HOME: "/xdg/config",
    XDG_STATE_HOME: "/xdg/state",
  }, "/nowhere");
  assert.deepEqual(config.database, { kind: "sqlite", path: "/xdg/data/epic-events/epic-events.db", isDefault: true });
  assert.equal(config.dataDir, "/xdg/data/epic-events");
  assert.equal(config.configDir, "/xdg/config/epic-events");
  assert.equal(config.logDir, "/xdg/state/epic-events/logs");
  assert.equal(config.tokenLifetimeMinutes, 1440);
  assert.equal(config.logLevel, "info");
  assert.equal(config.sentryDsn, undefined);
  assert.equal(config.sentryEnvironment, "production");
  assert.equal(config.secretKey, undefined);
  assert.equal(config.tokenOverride, undefined);
  assert.equal(config.bcryptRounds, 12);
});

Deno.test("defaults without XDG variables fall back to ~/.local/share, ~/.config, ~/.local/state", () => {
  const config = loadConfig({ HOME: "/home/ann" }, "/nowhere");
  assert.deepEqual(config.database, {
    kind: "sqlite",
    path: "/home/ann/.local/share/epic-events/epic-events.db",
    isDefault: true,
  });
  assert.equal(config.configDir, "/home/ann/.config/epic-events");
  assert.equal(config.logDir, "/home/ann/.local/state/epic-events/logs");
});

Deno.test("EPIC_EVENTS_* folders override the XDG defaults", () => {
  const config = loadConfig({
    HOME: "/home/ann",
    XDG_DATA_HOME: "/xdg/data",
    EPIC_EVENTS_DATA_DIR: "/srv/epic/data",
    EPIC_EVENTS_CONFIG_DIR: "/srv/epic/config",
    EPIC_EVENTS_LOG_DIR: "/srv/epic/logs",
  }, "/nowhere");
  assert.equal(config.database.kind === "sqlite" && config.database.path, "/srv/epic/data/epic-events.db");
  assert.equal(config.configDir, "/srv/epic/config");
  assert.equal(config.logDir, "/srv/epic/logs");
});

Deno.test("every variable is read and converted", () => {
  const config = loadConfig({
    HOME: "/home/ann",
    DATABASE_URL: "postgres://epic:pw@db.example:5432/crm",
    SECRET_KEY: VALID_KEY,
    ACCESS_TOKEN_EXPIRE_MINUTES: "30",
    EPIC_EVENTS_TOKEN: "a.b.c",
    SENTRY_DSN: "https://key@o0.ingest.sentry.io/1",
    SENTRY_ENVIRONMENT: "staging",
    LOG_LEVEL: "warn",
    BCRYPT_ROUNDS: "5",
    EPIC_EVENTS_TEST_MODE: "true",
  }, "/nowhere");
  assert.deepEqual(config.database, { kind: "postgres", url: "postgres://epic:pw@db.example:5432/crm" });
  assert.equal(config.secretKey, VALID_KEY);
  assert.equal(config.tokenLifetimeMinutes, 30);
  assert.equal(config.tokenOverride, "a.b.c");
  assert.equal(config.sentryDsn, "https://key@o0.ingest.sentry.io/1");
  assert.equal(config.sentryEnvironment, "staging");
  assert.equal(config.logLevel, "warning");
  assert.equal(config.bcryptRounds, 5);
});

Deno.test("empty SECRET_KEY and SENTRY_DSN mean unset", () => {
  const config = loadConfig({ HOME: "/home/ann", SECRET_KEY: "", SENTRY_DSN: "" }, "/nowhere");
  assert.equal(config.secretKey, undefined);
  assert.equal(config.sentryDsn, undefined);
});

Deno.test("DATABASE_URL forms", () => {
  assert.deepEqual(parseDatabaseUrl("sqlite:///var/lib/epic/crm.db", "/data", "/cwd"), {
    kind: "sqlite",
    path: "/var/lib/epic/crm.db",
    isDefault: false,
  });
  assert.deepEqual(parseDatabaseUrl("sqlite::memory:", "/data", "/cwd"), {
    kind: "sqlite",
    path: ":memory:",
    isDefault: false,
  });
  assert.deepEqual(parseDatabaseUrl("sqlite://relative/crm.db", "/data", "/cwd"), {
    kind: "sqlite",
    path: "/cwd/relative/crm.db",
    isDefault: false,
  });
  assert.deepEqual(parseDatabaseUrl("postgres://u:p@localhost:5432/db", "/data", "/cwd"), {
    kind: "postgres",
    url: "postgres://u:p@localhost:5432/db",
  });
  assert.deepEqual(parseDatabaseUrl("postgresql://u@localhost/db", "/data", "/cwd"), {
    kind: "postgres",
    url: "postgresql://u@localhost/db",
  });
  assert.deepEqual(parseDatabaseUrl(undefined, "/data", "/cwd"), {
    kind: "sqlite",
    path: "/data/epic-events.db",
    isDefault: true,
  });
});

Deno.test("a DATABASE_URL that is not one of the accepted forms names DATABASE_URL", () => {
  for (const url of ["mysql://u@localhost/db", "sqlite://", "postgres://[not-a-host", "crm.db"]) {
    expectInvalid(() => parseDatabaseUrl(url, "/data", "/cwd"), "DATABASE_URL");
    expectInvalid(() => loadConfig({ HOME: "/home/ann", DATABASE_URL: url }, "/nowhere"), "DATABASE_URL");
  }
});

Deno.test("bad values are refused naming the variable", () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ ACCESS_TOKEN_EXPIRE_MINUTES: "abc" }, "ACCESS_TOKEN_EXPIRE_MINUTES"],
    [{ ACCESS_TOKEN_EXPIRE_MINUTES: "0" }, "ACCESS_TOKEN_EXPIRE_MINUTES"],
    [{ ACCESS_TOKEN_EXPIRE_MINUTES: "1.5" }, "ACCESS_TOKEN_EXPIRE_MINUTES"],
    [{ SECRET_KEY: "k".repeat(31) }, "SECRET_KEY"],
    // 11 characters but 33 bytes is long enough; 10 characters (30 bytes) is not.
    [{ SECRET_KEY: "€".repeat(10) }, "SECRET_KEY"],
    [{ SENTRY_DSN: "not a url" }, "SENTRY_DSN"],
    [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
    [{ BCRYPT_ROUNDS: "4" }, "BCRYPT_ROUNDS"],
    [{ BCRYPT_ROUNDS: "9", EPIC_EVENTS_TEST_MODE: "0" }, "BCRYPT_ROUNDS"],
    [{ BCRYPT_ROUNDS: "3", EPIC_EVENTS_TEST_MODE: "1" }, "BCRYPT_ROUNDS"],
    [{ BCRYPT_ROUNDS: "32" }, "BCRYPT_ROUNDS"],
    [{ EPIC_EVENTS_TEST_MODE: "yes" }, "EPIC_EVENTS_TEST_MODE"],
  ];
  for (const [env, variable] of cases) {
    expectInvalid(() => loadConfig({ HOME: "/home/ann", ...env }, "/nowhere"), variable);
  }
  assert.equal(loadConfig({ HOME: "/h", SECRET_KEY: "€".repeat(11) }, "/nowhere").secretKey, "€".repeat(11));
  assert.equal(loadConfig({ HOME: "/h", BCRYPT_ROUNDS: "4", EPIC_EVENTS_TEST_MODE: "1" }, "/nowhere").bcryptRounds, 4);
  assert.equal(loadConfig({ HOME: "/h", BCRYPT_ROUNDS: "10" }, "/nowhere").bcryptRounds, 10);
});

Deno.test(".env.example lists every variable of src/config.ts, and uncommented it is a valid configuration", async () => {
  const root = new URL("../", import.meta.url);
  const read = VARIABLES.filter((name) => name !== "HOME" && !name.startsWith("XDG_"));
  assert.ok(read.length >= 12, `found only ${read.join(", ")} in src/config.ts`);

  const example = await Deno.readTextFile(new URL(".env.example", root));
  const listed = [...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
  assert.deepEqual([...listed].sort(), [...read].sort());

  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, ".env"), example.replace(/^# ([A-Z][A-Z0-9_]*=)/gm, "$1"));
    const config = loadConfig({ HOME: dir }, dir);
    assert.equal(config.database.kind, "postgres");
  });
});

backendTest("through the CLI, .env in the working directory supplies DATABASE_URL, the environment wins", async (b) => {
  const fromFile = `sqlite://${b.dir}/from-dotenv.db`;
  await Deno.writeTextFile(join(b.dir, ".env"), `DATABASE_URL=${fromFile}\nLOG_LEVEL=verbose\n`);
  const env = { ...b.env, DATABASE_URL: undefined, LOG_LEVEL: "INFO" };

  const viaFile = await runCli(["migrate", "up"], { cwd: b.dir, env });
  assert.equal(viaFile.code, 0, viaFile.stderr);
  assert.ok((await Deno.stat(`${b.dir}/from-dotenv.db`)).isFile, ".env's DATABASE_URL was used");

  // The backend's own DATABASE_URL in the environment beats the file's.
  const viaEnv = await b.cli(["migrate", "status", "--json"], { env: { LOG_LEVEL: "INFO" } });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.ok(viaEnv.json<{ state: string }[]>().every((s) => s.state === "pending"), "a different, fresh database");

  // LOG_LEVEL=verbose in .env is used when the environment does not set it.
  const bad = await b.cli(["migrate", "status"], { env: { LOG_LEVEL: undefined } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /LOG_LEVEL/);
});

backendTest("bad configuration exits 2 naming the variable, before touching the database", async (b) => {
  const ok = await b.cli(["migrate", "status"]);
  assert.equal(ok.code, 0, ok.stderr);

  const cases: Array<[Record<string, string | undefined>, string]> = [
    [{ ACCESS_TOKEN_EXPIRE_MINUTES: "abc" }, "ACCESS_TOKEN_EXPIRE_MINUTES"],
    [{ SECRET_KEY: "too-short" }, "SECRET_KEY"],
    [{ BCRYPT_ROUNDS: "4", EPIC_EVENTS_TEST_MODE: undefined }, "BCRYPT_ROUNDS"],
    [{ DATABASE_URL: "mysql://root@localhost/crm" }, "DATABASE_URL"],
  ];
  for (const [env, variable] of cases) {
    for (const json of [false, true]) {
      const result = await b.cli(json ? ["--json", "migrate", "up"] : ["migrate", "up"], { env });
      assert.equal(result.code, 2, `${variable}: ${result.stderr}`);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
      if (json) {
        assert.deepEqual(JSON.parse(result.stderr).error.code, "invalid_input");
        assert.equal(JSON.parse(result.stderr).error.field, variable);
      } else {
        assert.match(result.stderr, new RegExp(`^error: ${variable}\\b`));
      }
    }
  }
  const status = await b.cli(["migrate", "status", "--json"]);
  assert.ok(status.json<{ state: string }[]>().every((s) => s.state === "pending"), "nothing was migrated");
});

Deno.test("the default database is an SQLite file created, with its folders, in the user's data directory", async () => {
  await withTempDir(async (home) => {
    const env = { HOME: home, EPIC_EVENTS_TEST_MODE: "1", NO_COLOR: "1" };
    const result = await runCli(["migrate", "up"], { env, cwd: home });
    assert.equal(result.code, 0, result.stderr);
    assert.ok((await Deno.stat(join(home, ".local/share/epic-events/epic-events.db"))).isFile);

    const xdg = join(home, "xdg");
    const second = await runCli(["migrate", "up"], { env: { ...env, XDG_DATA_HOME: xdg }, cwd: home });
    assert.equal(second.code, 0, second.stderr);
    assert.ok((await Deno.stat(join(xdg, "epic-events/epic-events.db"))).isFile);
  });
});
