/**
 * Issue 16, point 1, in local mode: a token is kept for the database that
 * issued it (its real file, or PostgreSQL host, port, database, user and
 * schema) and is never used against another one; the single token file of
 * older versions is adopted by the database it verifies on, and no other;
 * login says when the session expires in local time.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { localTime } from "../../src/cli/output/formats.ts";
import { databaseEntry } from "../../src/security/token_store.ts";
import { type Backend, backendTest } from "../support/backends.ts";
import { initManager, ok, PASSWORD } from "../support/fixtures.ts";
import { storedToken, tokenEntries, tokenFile } from "../support/tokens.ts";

const NOT_LOGGED_IN = "error: Not logged in: run `epic-events login`.\n";

/** A second database (an SQLite file beside the backend's), with its own first manager. */
async function otherDatabase(b: Backend): Promise<string> {
  const url = `sqlite://${b.dir}/other.db`;
  await ok(b.cli(
    ["init", "--email", "bob@other.test", "--first-name", "Bob", "--last-name", "Other", "--password-stdin"],
    { env: { DATABASE_URL: url }, stdin: `${PASSWORD}\n` },
  ));
  return url;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

backendTest(
  "each database keeps its own token: one is never used against another, and both stay logged in",
  async (b) => {
    const manager = await initManager(b);
    const other = await otherDatabase(b);
    const onOther = { ...manager.env, DATABASE_URL: other };

    // Logged in to the backend's database only: the other one is not logged in (its token is not even read).
    const there = await b.cli(["whoami"], { env: onOther });
    assert.equal(there.code, 3);
    assert.equal(there.stderr, NOT_LOGGED_IN);

    await ok(b.cli(["login", "--email", "bob@other.test", "--password-stdin"], { env: onOther, stdin: PASSWORD }));
    const entries = await tokenEntries(manager.env.EPIC_EVENTS_CONFIG_DIR);
    assert.equal(entries.length, 2, "one entry per database");
    for (const entry of entries) assert.equal((await Deno.stat(entry)).mode! & 0o777, 0o700);
    const ada = await ok<{ email: string }>(manager.cli(["whoami", "--json"]));
    const bob = await ok<{ email: string }>(b.cli(["whoami", "--json"], { env: onOther }));
    assert.deepEqual([ada.email, bob.email], ["ada@epic.test", "bob@other.test"]);

    // The same file by another path is the same database.
    await Deno.symlink(`${b.dir}/other.db`, `${b.dir}/link.db`);
    await ok(b.cli(["whoami"], { env: { ...onOther, DATABASE_URL: `sqlite://${b.dir}/link.db` } }));

    await ok(b.cli(["logout"], { env: onOther }));
    assert.equal((await b.cli(["whoami"], { env: onOther })).stderr, NOT_LOGGED_IN);
    await ok(manager.cli(["whoami"]));
  },
  { remote: false },
);

backendTest(
  "upgrade: the token file of older versions is adopted by the database it verifies on, never by another",
  async (b) => {
    const manager = await initManager(b);
    const other = await otherDatabase(b);
    const config = manager.env.EPIC_EVENTS_CONFIG_DIR;
    // As an older version left it: <config>/token, and no entry.
    const token = await storedToken(config);
    const legacy = join(config, "token");
    await Deno.rename(await tokenFile(config), legacy);
    await Deno.remove(join(config, "databases"), { recursive: true });

    // Another database: the old token does not verify there (it was issued elsewhere), so it stays where it is.
    const elsewhere = await manager.cli(["whoami"], { env: { DATABASE_URL: other } });
    assert.equal(elsewhere.code, 3);
    assert.match(elsewhere.stderr, /not issued by this database/);
    assert.equal((await Deno.readTextFile(legacy)).trim(), token, "left as it was");
    assert.deepEqual(await tokenEntries(config), []);

    // Its own database: it verifies, so it moves into that database's entry.
    const who = await ok<{ email: string }>(manager.cli(["whoami", "--json"]));
    assert.equal(who.email, manager.email);
    assert.equal(await exists(legacy), false, "moved, not copied");
    const target = b.name === "sqlite"
      ? { kind: "sqlite" as const, path: `${b.dir}/test.db`, isDefault: false }
      : { kind: "postgres" as const, url: b.url };
    assert.equal(await tokenFile(config), join(config, await databaseEntry(target), "token"));
    assert.equal(await storedToken(config), token);
    assert.equal((await Deno.stat(await tokenFile(config))).mode! & 0o777, 0o600);
    await ok(manager.cli(["logout"]));
    assert.equal((await manager.cli(["whoami"])).stderr, NOT_LOGGED_IN);
  },
  { remote: false },
);

backendTest("login says when the session expires in local time, the time whoami shows", async (b) => {
  await initManager(b);
  const env = { TZ: "Asia/Tokyo", EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-tz` };
  const login = await b.cli(["login", "--email", "ada@epic.test", "--password-stdin"], { env, stdin: PASSWORD });
  assert.equal(login.code, 0, login.stderr);
  const { expires_at } = await ok<{ expires_at: string }>(b.cli(["whoami", "--json"], { env }));
  assert.equal(
    login.stderr,
    `Logged in as Ada Lovelace (Management); the session expires at ${localTime(expires_at, "Asia/Tokyo")}.\n`,
  );
  assert.match(login.stderr, /expires at \d{4}-\d\d-\d\d \d\d:\d\d (JST|GMT\+9)\.\n$/);
});
