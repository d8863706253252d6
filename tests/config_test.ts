import assert from "node:assert/strict";
import { join } from "node:path";
import {
  DOTENV_MAX_BYTES,
  ENVIRONMENT_ONLY,
  loadConfig,
  mergeDotEnv,
  parseDatabaseUrl,
  VARIABLES,
} from "../src/config.ts";
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

Deno.test(".env.example lists every variable of src/config.ts; uncommented it is a valid configuration, and each environment-only line is refused", async () => {
  const root = new URL("../", import.meta.url);
  const read = VARIABLES.filter((name) => name !== "HOME" && !name.startsWith("XDG_"));
  assert.ok(read.length >= 12, `found only ${read.join(", ")} in src/config.ts`);

  const example = await Deno.readTextFile(new URL(".env.example", root));
  const forDotEnv = [...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
  const forShell = [...example.matchAll(/^# export ([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
  assert.deepEqual([...forDotEnv, ...forShell].sort(), [...read].sort());
  // The lines for the shell are exactly the variables a .env may not set (HOME and XDG_CONFIG_HOME aside).
  assert.deepEqual(
    [...forShell].sort(),
    Object.keys(ENVIRONMENT_ONLY).filter((name) => read.includes(name as typeof read[number])).sort(),
  );

  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, ".env"), example.replace(/^# ([A-Z][A-Z0-9_]*=)/gm, "$1"));
    const config = loadConfig({ HOME: dir }, dir);
    assert.equal(config.database.kind, "postgres");
    assert.deepEqual(config.dotEnv?.names, forDotEnv);
    for (const name of forShell) {
      const line = example.split("\n").find((l) => l.startsWith(`# export ${name}=`))!;
      await Deno.writeTextFile(join(dir, ".env"), `${line.slice(2)}\n`);
      expectDotEnvRefused(() => loadConfig({ HOME: dir }, dir), join(dir, ".env"), name);
    }
  });
});

/** Refused naming the `.env` file and `variable` (the error's field), exit 2. */
function expectDotEnvRefused(fn: () => unknown, path: string, variable: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${error}`);
    assert.equal(error.field, variable);
    assert.equal(error.exitCode, 2);
    assert.ok(error.message.startsWith(`.env: ${path} sets ${variable}, which is taken only from `), error.message);
    return true;
  });
}

Deno.test("a .env may not set where credentials go or are kept, whom serve trusts, or the test mode, even blank or overridden", async () => {
  await withTempDir(async (dir) => {
    const refused = Object.keys(ENVIRONMENT_ONLY);
    assert.deepEqual(refused.sort(), [
      "EPIC_EVENTS_CA_CERT",
      "EPIC_EVENTS_CONFIG_DIR",
      "EPIC_EVENTS_LANG",
      "EPIC_EVENTS_LISTEN",
      "EPIC_EVENTS_METRICS_LISTEN",
      "EPIC_EVENTS_SERVER",
      "EPIC_EVENTS_TEST_MODE",
      "EPIC_EVENTS_TLS_CERT",
      "EPIC_EVENTS_TLS_KEY",
      "EPIC_EVENTS_TOKEN",
      "EPIC_EVENTS_TRUSTED_PROXY",
      "HOME",
      "SENTRY_DSN",
      "XDG_CONFIG_HOME",
    ]);
    for (const name of refused) {
      for (const line of [`${name}=x`, `export ${name}=x`, `  ${name} = "x"`, `${name}=`]) {
        await Deno.writeTextFile(join(dir, ".env"), `LOG_LEVEL=INFO\n${line}\n`);
        const path = join(dir, ".env");
        expectDotEnvRefused(() => loadConfig({ HOME: dir }, dir), path, name);
        expectDotEnvRefused(() => mergeDotEnv({ HOME: dir, [name]: "from the environment" }, dir), path, name);
      }
    }
    // Variables the program does not read are left to the other tools sharing the file.
    await Deno.writeTextFile(join(dir, ".env"), "NODE_ENV=production\nepic_events_server=x\nTZ=UTC\n");
    assert.equal(loadConfig({ HOME: dir }, dir).timeZone, "UTC");
  });
});

Deno.test("reading .env is bounded: too big, binary, a device, a pipe, not yours or writable by anyone is refused, naming it", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, ".env");
    const refused = (detail: RegExp) =>
      assert.throws(() => loadConfig({ HOME: dir }, dir), (error: unknown) => {
        assert.ok(error instanceof InvalidInputError, String(error));
        assert.equal(error.exitCode, 2);
        assert.equal(error.field, ".env");
        assert.ok(error.message.startsWith(`.env: ${path} `), error.message);
        assert.match(error.message, detail);
        return true;
      });
    // 64 KiB exactly is read; one byte more is not.
    const comment = `# ${"x".repeat(DOTENV_MAX_BYTES - "TZ=UTC\n".length - 3)}\n`;
    await Deno.writeTextFile(path, `TZ=UTC\n${comment}`);
    assert.equal((await Deno.stat(path)).size, DOTENV_MAX_BYTES);
    assert.equal(loadConfig({ HOME: dir }, dir).timeZone, "UTC");
    await Deno.writeTextFile(path, "#", { append: true });
    refused(/is 65537 bytes; a .env file is at most 65536 bytes/);
    // A sparse file of 8 GiB: refused before any of it is read.
    await Deno.truncate(path, 8 * 1024 ** 3);
    refused(/is 8589934592 bytes/);
    await Deno.writeFile(path, new Uint8Array([0x54, 0x5a, 0x3d, 0x55, 0x00, 0x43, 0x0a])); // TZ=U\0C
    refused(/is binary \(it holds NUL bytes\)/);
    // A link to a device that never ends, and a pipe nobody writes to: neither is opened.
    await Deno.remove(path);
    await Deno.symlink("/dev/zero", path);
    refused(/is not a regular file/);
    await Deno.remove(path);
    const mkfifo = await new Deno.Command("mkfifo", { args: [path] }).output();
    assert.ok(mkfifo.success);
    refused(/is not a regular file/);
    await Deno.remove(path);
    await Deno.writeTextFile(path, "TZ=UTC\n");
    await Deno.chmod(path, 0o666);
    refused(/can be written by any user/);
    await Deno.chmod(path, 0o664);
    assert.equal(loadConfig({ HOME: dir }, dir).timeZone, "UTC", "group-writable, yours: read (umask 002)");
    if (Deno.uid() === 0) {
      await Deno.chown(path, 65534, 65534);
      refused(/belongs to another user \(uid 65534\)/);
    }
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
