/**
 * Issue 8, point 13: a broken environment is one clear line and exit 2 (or 7
 * for I/O) naming the variable or path, never exit 1: a `.env` with a
 * byte-order mark is read; a `.env` that is a folder, unreadable or not UTF-8,
 * a malformed DATABASE_URL, a data or config folder that is a file or not
 * writable, and a token path that is a folder are refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { databaseEntry } from "../src/security/token_store.ts";
import { TEST_SECRET_KEY } from "./support/backends.ts";
import { type CliResult, runCli } from "./support/cli.ts";
import { PERMISSIONS_APPLY, runChild } from "./support/process.ts";

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-faults-" });
  try {
    await body(dir);
  } finally {
    await Deno.chmod(dir, 0o700).catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function baseEnv(dir: string): Record<string, string> {
  return {
    HOME: dir,
    SECRET_KEY: TEST_SECRET_KEY,
    EPIC_EVENTS_LOG_DIR: join(dir, "logs"),
    EPIC_EVENTS_TEST_MODE: "1",
    BCRYPT_ROUNDS: "4",
    NO_COLOR: "1",
  };
}

/** Exit `code`, one line on stderr naming `field` (and, with --json, the field). */
function assertRefused(result: CliResult, code: number, field: string, detail?: RegExp): void {
  assert.equal(result.code, code, result.stderr);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
  assert.ok(result.stderr.includes(field), `names ${field}: ${result.stderr}`);
  if (detail) assert.match(result.stderr, detail);
  assert.doesNotMatch(result.stderr, /Something went wrong/);
}

async function refusedBoth(
  args: string[],
  options: { env: Record<string, string | undefined>; cwd: string },
  expected: { code: number; field: string; detail?: RegExp },
): Promise<void> {
  assertRefused(await runCli(args, options), expected.code, expected.field, expected.detail);
  const json = await runCli(["--json", ...args], options);
  assert.equal(json.code, expected.code);
  assert.equal(JSON.parse(json.stderr).error.field, expected.field);
}

Deno.test(".env starting with a UTF-8 byte-order mark is read correctly", async () => {
  await withTempDir(async (dir) => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const body = new TextEncoder().encode(`ACCESS_TOKEN_EXPIRE_MINUTES=7\nDATABASE_URL=sqlite://${dir}/bom.db\n`);
    await Deno.writeFile(join(dir, ".env"), new Uint8Array([...bom, ...body]));
    const config = loadConfig({ HOME: dir }, dir);
    assert.equal(config.tokenLifetimeMinutes, 7, "the first variable, right after the BOM, is read");
    const result = await runCli(["migrate", "up"], { env: baseEnv(dir), cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(Deno.statSync(join(dir, "bom.db")).isFile);
  });
});

Deno.test(".env that is a folder or not UTF-8: exit 2 naming .env", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, ".env"));
    await refusedBoth(["migrate", "status"], { env: baseEnv(dir), cwd: dir }, {
      code: 2,
      field: ".env",
      detail: /is a folder, not a file/,
    });
    await Deno.remove(join(dir, ".env"));
    await Deno.writeFile(join(dir, ".env"), new Uint8Array([0x41, 0x3d, 0xe9, 0x0a])); // A=<Latin-1 é>
    await refusedBoth(["migrate", "status"], { env: baseEnv(dir), cwd: dir }, {
      code: 2,
      field: ".env",
      detail: /not valid UTF-8/,
    });
  });
});

Deno.test({
  name: "an unreadable .env: exit 2 naming .env, permission denied",
  ignore: PERMISSIONS_APPLY === null,
  async fn() {
    await withTempDir(async (dir) => {
      await Deno.writeTextFile(join(dir, ".env"), "LOG_LEVEL=INFO\n");
      await Deno.chmod(join(dir, ".env"), 0o000);
      const result = await runChild(["migrate", "status"], { env: baseEnv(dir), cwd: dir, permissionsApply: true });
      assertRefused(result, 2, ".env", /permission denied/);
    });
  },
});

Deno.test("a malformed DATABASE_URL: exit 2 naming DATABASE_URL, the password never echoed", async () => {
  await withTempDir(async (dir) => {
    const urls = [
      "sqlite:///tmp/100%-sure.db", // bad percent-escape
      "sqlite:///tmp/crm%zz.db",
      "sqlite:///tmp/crm%00.db", // NUL once decoded
      "sqlite:///tmp/crm\0.db", // a raw NUL
      "postgres://epic:Ses%zzame@127.0.0.1:5432/crm",
      "postgres://epic:Ses%00ame@127.0.0.1:5432/crm",
      "postgres://epic:Sesame@127.0.0.1:5432/crm%E0%A4%A",
      "postgres://epic:Sesame@127.0.0.1:5432/crm?sslmode=bogus",
      "postgres://epic:Sesame@127.0.0.1:5432/crm?sslmode=REQUIRE",
    ];
    for (const url of urls) {
      const env = { ...baseEnv(dir), DATABASE_URL: url };
      const result = await runCli(["migrate", "status"], { env, cwd: dir });
      assertRefused(result, 2, "DATABASE_URL");
      assert.match(result.stderr, /^error: DATABASE_URL: /);
      assert.ok(!/Ses/.test(result.stderr), `no password echoed: ${result.stderr}`);
    }
    const sslmode = await runCli(["migrate", "status"], {
      env: { ...baseEnv(dir), DATABASE_URL: "postgres://epic@127.0.0.1:5432/crm?sslmode=bogus" },
      cwd: dir,
    });
    assert.match(sslmode.stderr, /unknown sslmode "bogus" \(expected one of disable, allow, prefer, require/);
    // Every known sslmode is accepted.
    for (const mode of ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]) {
      const config = loadConfig({ HOME: dir, DATABASE_URL: `postgres://epic@127.0.0.1:5432/crm?sslmode=${mode}` }, dir);
      assert.equal(config.database.kind, "postgres");
    }
  });
});

Deno.test("a data or config folder that is a file: exit 2 naming the variable", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "a-file");
    await Deno.writeTextFile(file, "");
    // The default SQLite database lives in the data folder.
    await refusedBoth(["migrate", "up"], { env: { ...baseEnv(dir), EPIC_EVENTS_DATA_DIR: file }, cwd: dir }, {
      code: 2,
      field: "EPIC_EVENTS_DATA_DIR",
      detail: /is a file, not a folder/,
    });
    // So does the generated key (SQLite, no SECRET_KEY).
    const noKey = { ...baseEnv(dir), SECRET_KEY: "", EPIC_EVENTS_DATA_DIR: file, DATABASE_URL: "sqlite::memory:" };
    await refusedBoth(["login", "--email", "a@b.test", "--password-stdin"], { env: noKey, cwd: dir }, {
      code: 2,
      field: "EPIC_EVENTS_DATA_DIR",
    });
    // The token lives in the config folder: reading it (whoami) and writing it (login).
    const env = { ...baseEnv(dir), EPIC_EVENTS_CONFIG_DIR: file, DATABASE_URL: `sqlite://${dir}/crm.db` };
    await refusedBoth(["whoami"], { env, cwd: dir }, {
      code: 2,
      field: "EPIC_EVENTS_CONFIG_DIR",
      detail: /is a file, not a folder/,
    });
    const nested = { ...env, EPIC_EVENTS_CONFIG_DIR: join(file, "epic-events") };
    await refusedBoth(["whoami"], { env: nested, cwd: dir }, { code: 2, field: "EPIC_EVENTS_CONFIG_DIR" });
  });
});

Deno.test("a token path that is a folder: exit 2 naming it, for whoami, login and logout", async () => {
  await withTempDir(async (dir) => {
    const env = {
      ...baseEnv(dir),
      EPIC_EVENTS_CONFIG_DIR: join(dir, "config"),
      DATABASE_URL: `sqlite://${dir}/crm.db`,
    };
    const init = await runCli(
      ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"],
      { env, cwd: dir, stdin: "correct horse battery\n" },
    );
    assert.equal(init.code, 0, init.stderr);
    // The token of this database's entry, and the single token file of older versions.
    const entry = await databaseEntry({ kind: "sqlite", path: join(dir, "crm.db"), isDefault: false });
    const tokenPath = join(dir, "config", entry, "token");
    await Deno.mkdir(tokenPath, { recursive: true });
    await refusedBoth(["whoami"], { env, cwd: dir }, {
      code: 2,
      field: "EPIC_EVENTS_CONFIG_DIR",
      detail: /is a folder/,
    });
    const login = await runCli(["login", "--email", "ada@epic.test", "--password-stdin"], {
      env,
      cwd: dir,
      stdin: "correct horse battery",
    });
    assertRefused(login, 2, tokenPath, /is a folder, not a file/);
    assertRefused(await runCli(["logout"], { env, cwd: dir }), 2, tokenPath);
    assert.ok(Deno.statSync(tokenPath).isDirectory, "the folder is left alone");
    await Deno.remove(tokenPath);
    const legacyPath = join(dir, "config", "token");
    await Deno.mkdir(legacyPath);
    assertRefused(await runCli(["whoami"], { env, cwd: dir }), 2, legacyPath, /is a folder, not a file/);
    assert.ok(Deno.statSync(legacyPath).isDirectory, "the folder is left alone");
  });
});

Deno.test({
  name:
    "a config folder that is not writable: exit 2 naming EPIC_EVENTS_CONFIG_DIR; a data folder: exit 7 naming the file",
  ignore: PERMISSIONS_APPLY === null,
  async fn() {
    await withTempDir(async (dir) => {
      const config = join(dir, "config");
      const data = join(dir, "data");
      const env = { ...baseEnv(dir), EPIC_EVENTS_CONFIG_DIR: config, EPIC_EVENTS_DATA_DIR: data };
      const init = await runCli(
        ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"],
        { env, cwd: dir, stdin: "correct horse battery\n" },
      );
      assert.equal(init.code, 0, init.stderr);
      await Deno.mkdir(config, { mode: 0o700 });
      await Deno.chmod(config, 0o500);
      const login = await runChild(["login", "--email", "ada@epic.test", "--password-stdin"], {
        env,
        cwd: dir,
        stdin: "correct horse battery",
        permissionsApply: true,
      });
      assertRefused(login, 2, "EPIC_EVENTS_CONFIG_DIR", /permission denied/);

      // A fresh data folder that cannot be written: the default database cannot be created.
      const fresh = join(dir, "fresh-data");
      await Deno.mkdir(fresh, { mode: 0o700 });
      await Deno.chmod(fresh, 0o500);
      const migrate = await runChild(["migrate", "up"], {
        env: { ...env, EPIC_EVENTS_DATA_DIR: fresh },
        cwd: dir,
        permissionsApply: true,
      });
      assertRefused(migrate, 7, join(fresh, "epic-events.db"), /permission denied/);
      assert.match(migrate.stderr, /DATABASE_URL unset/);
    });
  },
});
