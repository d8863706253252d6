/**
 * Issue 8, points 7, 15 and 20: what ends a session, tokens bound to the
 * database that issued them, re-hashing at the current cost on login, and a
 * `logout` that always removes the local token.
 * @module
 */
import assert from "node:assert/strict";
import { type Backend, backendTest, createBackend } from "../support/backends.ts";
import { addPerson, initManager, loginAs, ok, PASSWORD, type Person, setupCrew } from "../support/fixtures.ts";
import { storedToken, tokenFile } from "../support/tokens.ts";

const ENDED = /session ended, log in again/;

function tokenOf(person: Person): Promise<string> {
  return storedToken(person.env.EPIC_EVENTS_CONFIG_DIR);
}

/** Runs `whoami` with `token` instead of the stored one. */
function whoamiWith(b: Backend, token: string) {
  return b.cli(["whoami", "--json"], { env: { EPIC_EVENTS_TOKEN: token } });
}

async function tokenFileExists(person: Person): Promise<boolean> {
  try {
    await Deno.stat(await tokenFile(person.env.EPIC_EVENTS_CONFIG_DIR));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

backendTest("a password change ends every earlier session of that user, and only theirs", async (b) => {
  const { manager, sales, sales2 } = await setupCrew(b);
  const otherMachine = await loginAs(b, { ...sales, id: sales.id });
  const laptop = await tokenOf(otherMachine);
  await ok(manager.cli(["user", "update", String(sales.id), "--password-stdin"], { stdin: "a brand new secret" }));
  for (const token of [await tokenOf(sales), laptop]) {
    const ended = await whoamiWith(b, token);
    assert.equal(ended.code, 3, ended.stderr);
    assert.match(ended.stderr, ENDED);
  }
  assert.equal((await sales2.cli(["whoami"])).code, 0, "another collaborator's session goes on");
  assert.equal((await manager.cli(["whoami"])).code, 0, "the manager's own session goes on");
  const again = await loginAs(b, { ...sales, password: "a brand new secret" });
  assert.equal((await again.cli(["whoami"])).code, 0, "a session issued after the change is valid");

  // A manager changing their own password ends their own earlier sessions too.
  await ok(manager.cli(["user", "update", String(manager.id), "--password-stdin"], { stdin: "managers secret" }));
  const self = await manager.cli(["whoami"]);
  assert.equal(self.code, 3);
  assert.match(self.stderr, ENDED);

  // A change of something else (the phone) ends nothing.
  const fresh = await loginAs(b, { ...manager, password: "managers secret" });
  await ok(fresh.cli(["user", "update", String(again.id), "--phone", "+33 6 00 00 00 00"]));
  assert.equal((await again.cli(["whoami"])).code, 0);
});

backendTest("deleting a user ends their sessions: exit 3, session ended", async (b) => {
  const { manager, sales } = await setupCrew(b);
  await ok(manager.cli(["user", "delete", String(sales.id), "--yes"]));
  const gone = await sales.cli(["client", "list"]);
  assert.equal(gone.code, 3);
  assert.match(gone.stderr, ENDED);
});

backendTest("logout --all ends every session of the caller, on every machine, audited", async (b) => {
  const { sales, support } = await setupCrew(b);
  const desktop = await loginAs(b, sales);
  const desktopToken = await tokenOf(desktop);
  const result = await sales.cli(["logout", "--all", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.json(), { logged_out: true, revoked: true, all: true });
  assert.equal(await tokenFileExists(sales), false, "the local token is removed");
  const other = await whoamiWith(b, desktopToken);
  assert.equal(other.code, 3, "the other machine's session has ended");
  assert.match(other.stderr, ENDED);
  assert.equal((await support.cli(["whoami"])).code, 0, "other collaborators stay logged in");
  const db = await b.db();
  const audit = await db.query<{ actor_id: number; entity_id: number }>(
    "SELECT actor_id, entity_id FROM audit_log WHERE action = 'logout.all'",
  );
  assert.deepEqual(audit.map((r) => [r.actor_id, r.entity_id]), [[sales.id, sales.id]]);

  // Without a valid session there is nobody to log out everywhere: exit 3,
  // and the stale local token is removed all the same.
  await Deno.writeTextFile(await tokenFile(desktop.env.EPIC_EVENTS_CONFIG_DIR), `${desktopToken}\n`);
  const stale = await desktop.cli(["logout", "--all"]);
  assert.equal(stale.code, 3);
  assert.equal(await tokenFileExists(desktop), false);
  assert.equal((await loginAs(b, sales).then((p) => p.cli(["whoami"]))).code, 0, "logging in again works");
});

backendTest(
  "after `migrate down --to 0` and `migrate up`, earlier tokens are refused, logged out or not",
  async (b) => {
    const manager = await initManager(b);
    const active = await tokenOf(manager);
    const loggedOut = await tokenOf(await loginAs(b, manager));
    assert.equal((await b.cli(["logout"], { env: { EPIC_EVENTS_TOKEN: loggedOut } })).code, 0);
    await ok(b.cli(["migrate", "down", "--to", "0", "--yes"]));
    await ok(b.cli(["migrate", "up"]));
    // Someone else becomes user 1 of the new database.
    const created = await ok<{ id: number }>(b.cli(
      ["init", "--email", "eve@epic.test", "--first-name", "Eve", "--last-name", "New", "--password-stdin", "--json"],
      { stdin: PASSWORD },
    ));
    assert.equal(created.id, manager.id, "the new first user has the old one's id");
    for (const [name, token] of [["active", active], ["logged out", loggedOut]]) {
      const result = await whoamiWith(b, token);
      assert.equal(result.code, 3, `${name}: ${result.stdout}`);
      assert.match(result.stderr, ENDED, name);
    }
  },
);

backendTest("a token from another database with the same SECRET_KEY is refused", async (b) => {
  const manager = await initManager(b);
  const other = await createBackend(b.name);
  try {
    const stranger = await initManager(other);
    assert.equal(stranger.id, manager.id, "same user id, same email, same key: only the database differs");
    const result = await whoamiWith(b, await tokenOf(stranger));
    assert.equal(result.code, 3, result.stdout);
    assert.match(result.stderr, ENDED);
    assert.equal((await whoamiWith(b, await tokenOf(manager))).code, 0);
  } finally {
    await other.dispose();
  }
});

backendTest("logout removes the local token whatever the configuration", async (b) => {
  const manager = await initManager(b);
  const noKey = { ...manager.env, SECRET_KEY: "" };
  const result = await b.cli(["logout", "--json"], { env: noKey });
  assert.equal(await tokenFileExists(manager), false, "the token file is gone");
  if (b.name === "postgres") {
    // The token cannot be checked without the key: the file goes anyway and
    // the error says why the session itself could not be ended.
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /Removed the local token/);
    assert.equal(JSON.parse(result.stderr).error.field, "SECRET_KEY");
  } else {
    // The embedded default signs with its own generated key: this token is
    // not one of its tokens, so there is nothing to revoke.
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.json(), { logged_out: true, revoked: false });
  }
  assert.equal((await manager.cli(["whoami"])).code, 3, "logged out");
}, { remote: false }); // the CLI's own configuration and bcrypt cost: in server mode they are the server's

backendTest(
  "a successful login re-hashes a password made at another BCRYPT_ROUNDS; a failed one does not",
  async (b) => {
    const manager = await initManager(b);
    const sales = await addPerson(manager, b, { first: "Sam", last: "S", email: "sam@epic.test", role: "SALES" });
    const db = await b.db();
    const hashOf = async () =>
      (await db.one<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [sales.id]))!
        .password_hash;
    const original = await hashOf();
    assert.match(original, /^\$2[aby]?\$04\$/);
    const at5 = { env: { ...sales.env, BCRYPT_ROUNDS: "5" } };
    const failed = await b.cli(["login", "--email", sales.email, "--password-stdin"], { ...at5, stdin: "wrong pass!" });
    assert.equal(failed.code, 3);
    assert.equal(await hashOf(), original, "a failed login changes nothing");
    const before = await tokenOf(sales);
    await ok(b.cli(["login", "--email", sales.email, "--password-stdin"], { ...at5, stdin: PASSWORD }));
    assert.match(await hashOf(), /^\$2[aby]?\$05\$/, "re-hashed at the current cost");
    assert.equal((await whoamiWith(b, before)).code, 0, "a re-hash is no password change: sessions go on");
    await ok(b.cli(["login", "--email", sales.email, "--password-stdin"], { stdin: PASSWORD }));
    assert.match(await hashOf(), /^\$2[aby]?\$04\$/, "and back when BCRYPT_ROUNDS goes back");
    const audit = await db.query("SELECT id FROM audit_log WHERE entity_id = $1 AND action = 'user.updated'", [
      sales.id,
    ]);
    assert.deepEqual(audit, [], "a re-hash is not a user update");
  },
  { remote: false },
); // the CLI's own configuration and bcrypt cost: in server mode they are the server's
