/**
 * Issue 8, point 14: the data folder is created 0700, the SQLite database and
 * its -wal/-shm files 0600, a rotated log file 0600 like the first; a folder
 * the program did not create is never chmodded, and a config or data folder
 * that others can write to and that is not ours is refused (exit 2).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseDatabaseUrl } from "../../src/config.ts";
import { connect } from "../../src/db/connect.ts";
import { setupLogging } from "../../src/observability/logger.ts";
import { TEST_SECRET_KEY } from "../support/backends.ts";
import { runCli } from "../support/cli.ts";
import { tokenFile } from "../support/tokens.ts";

const POSIX = Deno.build.os !== "windows";

function modeOf(path: string): number {
  return Deno.statSync(path).mode! & 0o7777;
}

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-modes-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function envFor(home: string): Record<string, string> {
  return { HOME: home, EPIC_EVENTS_LOG_DIR: join(home, "logs"), EPIC_EVENTS_TEST_MODE: "1", NO_COLOR: "1" };
}

Deno.test({
  name: "the default database: data folder 0700, database file and its -wal/-shm 0600",
  ignore: !POSIX,
  async fn() {
    await withTempDir(async (home) => {
      const result = await runCli(["migrate", "up"], { env: envFor(home), cwd: home });
      assert.equal(result.code, 0, result.stderr);
      const dataDir = join(home, ".local", "share", "epic-events");
      assert.equal(modeOf(dataDir), 0o700);
      assert.equal(modeOf(join(dataDir, "epic-events.db")), 0o600);

      // While the database is open and written, its WAL files exist: 0600 too.
      const db = await connect(parseDatabaseUrl(undefined, dataDir, home));
      try {
        await db.transaction((tx) => tx.execute("CREATE TABLE scratch (x INTEGER)"));
        for (const suffix of ["-wal", "-shm"]) {
          assert.equal(modeOf(join(dataDir, `epic-events.db${suffix}`)), 0o600, suffix);
        }
      } finally {
        await db.close();
      }
    });
  },
});

Deno.test({
  name: "an explicit SQLite path: missing folders created 0700, the file 0600; an existing folder keeps its mode",
  ignore: !POSIX,
  async fn() {
    await withTempDir(async (home) => {
      const shared = join(home, "existing");
      await Deno.mkdir(shared);
      await Deno.chmod(shared, 0o755);
      const env = { ...envFor(home), DATABASE_URL: `sqlite://${shared}/new/deeper/crm.db` };
      const result = await runCli(["migrate", "up"], { env, cwd: home });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(modeOf(shared), 0o755, "not ours to change");
      assert.equal(modeOf(join(shared, "new")), 0o700);
      assert.equal(modeOf(join(shared, "new", "deeper")), 0o700);
      assert.equal(modeOf(join(shared, "new", "deeper", "crm.db")), 0o600);
    });
  },
});

Deno.test({
  name: "a default database file left readable by others (older versions) is narrowed to 0600",
  ignore: !POSIX,
  async fn() {
    await withTempDir(async (home) => {
      const env = envFor(home);
      assert.equal((await runCli(["migrate", "up"], { env, cwd: home })).code, 0);
      const file = join(home, ".local", "share", "epic-events", "epic-events.db");
      Deno.chmodSync(file, 0o644);
      const result = await runCli(["migrate", "status"], { env, cwd: home });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(modeOf(file), 0o600);
    });
  },
});

Deno.test({
  name: "a rotated log file is 0600 like the first",
  ignore: !POSIX,
  async fn() {
    await withTempDir(async (dir) => {
      const logging = await setupLogging({ logDir: dir, level: "info", maxBytes: 600, maxFiles: 2 });
      for (let i = 0; i < 40; i++) logging.info("client.updated", { i, padding: "x".repeat(40) });
      logging.error("boom", new Error("boom"));
      await logging.dispose();
      const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(files.filter((n) => n.startsWith("info.log")), ["info.log", "info.log.1", "info.log.2"]);
      for (const name of files) assert.equal(modeOf(join(dir, name)), 0o600, name);
    });
  },
});

/** Whether /tmp is a folder others can write to and that is not ours. */
function tmpIsSharedNotOurs(): boolean {
  const tmp = Deno.statSync("/tmp");
  return tmp.uid !== Deno.uid() && (tmp.mode! & 0o002) !== 0;
}

/**
 * A folder others can write to and that is not ours: as root, a temp folder
 * given to `nobody` with mode 0777; as anyone else, the system's /tmp (the
 * test is ignored where there is none such).
 */
function sharedFolderNotOurs(dir: string): string {
  if (Deno.uid() !== 0) return "/tmp";
  const shared = join(dir, "shared");
  Deno.mkdirSync(shared);
  Deno.chownSync(shared, 65534, 65534);
  Deno.chmodSync(shared, 0o777);
  return shared;
}

Deno.test({
  name: "a shared folder that is not ours is refused as config or data folder (exit 2), and never chmodded",
  ignore: !POSIX || (Deno.uid() !== 0 && !tmpIsSharedNotOurs()),
  async fn() {
    await withTempDir(async (home) => {
      const shared = sharedFolderNotOurs(home);
      const modeBefore = modeOf(shared);
      const entriesBefore = [...Deno.readDirSync(shared)].map((e) => e.name).sort();
      const db = `sqlite://${home}/crm.db`;
      const env = { ...envFor(home), SECRET_KEY: TEST_SECRET_KEY, BCRYPT_ROUNDS: "4", DATABASE_URL: db };
      const init = await runCli(
        ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"],
        { env, cwd: home, stdin: "correct horse battery\n" },
      );
      assert.equal(init.code, 0, init.stderr);

      const login = await runCli(["--json", "login", "--email", "ada@epic.test", "--password-stdin"], {
        env: { ...env, EPIC_EVENTS_CONFIG_DIR: shared },
        cwd: home,
        stdin: "correct horse battery",
      });
      assert.equal(login.code, 2, login.stderr);
      const error = JSON.parse(login.stderr).error;
      assert.equal(error.field, "EPIC_EVENTS_CONFIG_DIR");
      assert.match(error.message, /can be written by other users and is not yours/);

      const migrate = await runCli(["migrate", "up"], {
        env: { ...envFor(home), EPIC_EVENTS_DATA_DIR: shared },
        cwd: home,
      });
      assert.equal(migrate.code, 2, migrate.stderr);
      assert.match(migrate.stderr, /^error: EPIC_EVENTS_DATA_DIR: /);

      assert.equal(modeOf(shared), modeBefore, "the shared folder's mode is unchanged");
      assert.deepEqual([...Deno.readDirSync(shared)].map((e) => e.name).sort(), entriesBefore, "nothing written");
    });
  },
});

Deno.test({
  name: "an existing config folder of ours keeps its mode (0755); the token in it is 0600",
  ignore: !POSIX,
  async fn() {
    await withTempDir(async (home) => {
      const config = join(home, "my-config");
      await Deno.mkdir(config);
      await Deno.chmod(config, 0o755);
      const env = {
        ...envFor(home),
        SECRET_KEY: TEST_SECRET_KEY,
        BCRYPT_ROUNDS: "4",
        DATABASE_URL: `sqlite://${home}/crm.db`,
        EPIC_EVENTS_CONFIG_DIR: config,
      };
      const init = await runCli(
        ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"],
        { env, cwd: home, stdin: "correct horse battery\n" },
      );
      assert.equal(init.code, 0, init.stderr);
      const login = await runCli(["login", "--email", "ada@epic.test", "--password-stdin"], {
        env,
        cwd: home,
        stdin: "correct horse battery",
      });
      assert.equal(login.code, 0, login.stderr);
      assert.equal(modeOf(config), 0o755);
      assert.equal(modeOf(await tokenFile(config)), 0o600);
    });
  },
});
