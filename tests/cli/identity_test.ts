import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { backendTest, TEST_SECRET_KEY } from "../support/backends.ts";
import { addPerson, initManager, loginAs, ok, PASSWORD, setupCrew } from "../support/fixtures.ts";
import { storedToken, tokenFile } from "../support/tokens.ts";

function errorOf(stderr: string): { code: string; message: string; field?: string } {
  return JSON.parse(stderr.trim()).error;
}

backendTest("init creates the first manager once; a second init is refused (exit 6)", async (b) => {
  const manager = await initManager(b);
  const who = await ok<{ role: string; email: string }>(manager.cli(["whoami", "--json"]));
  assert.equal(who.role, "MANAGEMENT");
  assert.equal(who.email, "ada@epic.test");
  const again = await b.cli(
    ["init", "--email", "eve@epic.test", "--first-name", "Eve", "--last-name", "X", "--password-stdin", "--json"],
    { stdin: PASSWORD },
  );
  assert.equal(again.code, 6, again.stderr);
  assert.equal(errorOf(again.stderr).code, "conflict");
  const db = await b.db();
  const rows = await db.query<{ email: string }>("SELECT email FROM users");
  assert.deepEqual(rows.map((r) => r.email), ["ada@epic.test"]);
});

backendTest("init without a terminal lists every missing flag (exit 2) and writes nothing", async (b) => {
  const result = await b.cli(["init", "--email", "ada@epic.test"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--first-name, --last-name/);
  const noPassword = await b.cli(["init", "--email", "a@epic.test", "--first-name", "A", "--last-name", "B"]);
  assert.equal(noPassword.code, 2);
  assert.match(noPassword.stderr, /--password-stdin/);
  const db = await b.db();
  assert.deepEqual(await db.query("SELECT id FROM users"), []);
});

backendTest("password length: 8 to 72 bytes, longer ones refused saying why", async (b) => {
  const base = ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "L", "--password-stdin"];
  const short = await b.cli(base, { stdin: "1234567" });
  assert.equal(short.code, 2);
  assert.match(short.stderr, /password/);
  const long = await b.cli(base, { stdin: "x".repeat(73) });
  assert.equal(long.code, 2);
  assert.match(long.stderr, /72 bytes/);
  const multibyte = await b.cli(base, { stdin: "é".repeat(37) }); // 74 bytes
  assert.equal(multibyte.code, 2);
  const exact = await b.cli([...base, "--json"], { stdin: "x".repeat(72) });
  assert.equal(exact.code, 0, exact.stderr);
});

backendTest("unknown email and wrong password look the same (message, exit 3)", async (b) => {
  await initManager(b);
  const unknown = await b.cli(["login", "--email", "nobody@epic.test", "--password-stdin"], { stdin: PASSWORD });
  const wrong = await b.cli(["login", "--email", "ada@epic.test", "--password-stdin"], { stdin: "wrong password" });
  assert.equal(unknown.code, 3);
  assert.equal(wrong.code, 3);
  assert.equal(unknown.stderr, wrong.stderr);
  assert.equal(unknown.stdout, "");
});

backendTest("five failures lock an email for 15 minutes with the same message; success resets", async (b) => {
  const manager = await initManager(b);
  const attempt = (password: string) =>
    b.cli(["login", "--email", manager.email, "--password-stdin"], { stdin: password });
  for (let i = 0; i < 4; i++) assert.equal((await attempt("bad password")).code, 3);
  assert.equal((await attempt(PASSWORD)).code, 0, "a success after 4 failures");
  for (let i = 0; i < 5; i++) assert.equal((await attempt("bad password")).code, 3);
  const wrong = await attempt("bad password");
  const locked = await attempt(PASSWORD);
  assert.equal(locked.code, 3, "locked after 5 consecutive failures");
  assert.equal(locked.stderr, wrong.stderr);
  const db = await b.db();
  await db.execute("UPDATE login_attempts SET locked_until = $1", [new Date(Date.now() - 1000).toISOString()]);
  assert.equal((await attempt(PASSWORD)).code, 0, "unlocked after the lock time");
});

backendTest("token file is 0600 in a 0700 folder and never contains a password", async (b) => {
  const manager = await initManager(b);
  const dir = manager.env.EPIC_EVENTS_CONFIG_DIR;
  assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
  const file = await tokenFile(dir);
  assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
  const token = await Deno.readTextFile(file);
  assert.ok(!token.includes(PASSWORD));
  assert.equal(token.trim().split(".").length, 3);
});

async function forge(claims: Record<string, unknown>, secret = TEST_SECRET_KEY, alg = "HS256") {
  return await new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

backendTest("tampered, alg none, expired, foreign-secret and HS512 tokens are refused (exit 3)", async (b) => {
  const manager = await initManager(b);
  const token = await storedToken(manager.env.EPIC_EVENTS_CONFIG_DIR);
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const now = Math.floor(Date.now() / 1000);
  const bad: Record<string, string> = {
    tampered: `${header}.${b64({ ...claims, sub: "999" })}.${signature}`,
    algNone: `${b64({ alg: "none", typ: "JWT" })}.${payload}.`,
    expired: await forge({ ...claims, iat: now - 7200, exp: now - 3600 }),
    otherSecret: await forge(claims, "another-secret-key-that-is-32-bytes-long!!"),
    hs512: await forge(claims, TEST_SECRET_KEY, "HS512"),
    garbage: "not-a-token",
  };
  for (const [name, forged] of Object.entries(bad)) {
    const result = await b.cli(["whoami", "--json"], { env: { EPIC_EVENTS_TOKEN: forged } });
    assert.equal(result.code, 3, `${name}: ${result.stderr}`);
    assert.equal(errorOf(result.stderr).code, "not_authenticated", name);
  }
  const expired = await b.cli(["whoami"], { env: { EPIC_EVENTS_TOKEN: bad.expired } });
  assert.match(expired.stderr, /expired/);
  const good = await b.cli(["whoami", "--json"], { env: { EPIC_EVENTS_TOKEN: await forge(claims) } });
  assert.equal(good.code, 0, "a correctly signed token is accepted (the forgeries failed for their flaw)");
});

backendTest("no token: exit 3; a deleted user's token: exit 3", async (b) => {
  const manager = await initManager(b);
  const none = await b.cli(["user", "list"]);
  assert.equal(none.code, 3);
  assert.match(none.stderr, /login/);
  const sales = await addPerson(manager, b, { first: "S", last: "S", email: "s@epic.test", role: "SALES" });
  await ok(manager.cli(["user", "delete", String(sales.id), "--yes"]));
  const after = await sales.cli(["whoami"]);
  assert.equal(after.code, 3);
  assert.match(after.stderr, /no longer exists/);
});

backendTest(
  "a role change ends that user's sessions; the role stored now decides, whatever the token says",
  async (b) => {
    const { manager, support, sales } = await setupCrew(b);
    const create = (who: typeof manager) =>
      who.cli([
        "user",
        "create",
        "--first-name",
        "N",
        "--last-name",
        "N",
        "--email",
        `n${crypto.randomUUID().slice(0, 8)}@epic.test`,
        "--role",
        "SALES",
        "--password-stdin",
      ], {
        stdin: PASSWORD,
      });
    assert.equal((await create(support)).code, 4);
    await ok(manager.cli(["user", "update", String(support.id), "--role", "MANAGEMENT"]));
    const ended = await create(support);
    assert.equal(ended.code, 3, "promoted: the session issued before the role change has ended");
    assert.match(ended.stderr, /session ended, log in again/);
    const promoted = await loginAs(b, support);
    assert.equal((await create(promoted)).code, 0, "promoted, after logging in again");

    // A correctly signed token of the current session whose role claim is stale:
    // the role stored in the database decides.
    const token = await storedToken(promoted.env.EPIC_EVENTS_CONFIG_DIR);
    const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    const stale = await forge({ ...claims, role: "SUPPORT" });
    const asStale = await b.cli(["whoami", "--json"], { env: { EPIC_EVENTS_TOKEN: stale } });
    assert.equal(asStale.code, 0, asStale.stderr);
    assert.equal(asStale.json<{ role: string }>().role, "MANAGEMENT");

    await ok(promoted.cli(["user", "update", String(manager.id), "--role", "SUPPORT"]));
    assert.equal((await create(manager)).code, 3, "demoted: the old session has ended");
    const demoted = await loginAs(b, manager);
    assert.equal((await create(demoted)).code, 4, "demoted, after logging in again");
    const who = await ok<{ role: string }>(demoted.cli(["whoami", "--json"]));
    assert.equal(who.role, "SUPPORT");
    assert.equal((await sales.cli(["whoami"])).code, 0, "other collaborators' sessions go on");
  },
);

backendTest("logout revokes the token server-side and deletes the local file", async (b) => {
  const manager = await initManager(b);
  const file = await tokenFile(manager.env.EPIC_EVENTS_CONFIG_DIR);
  const token = (await Deno.readTextFile(file)).trim();
  await ok(manager.cli(["logout"]));
  await assert.rejects(() => Deno.stat(file), Deno.errors.NotFound);
  const reused = await b.cli(["whoami"], { env: { EPIC_EVENTS_TOKEN: token } });
  assert.equal(reused.code, 3);
  assert.match(reused.stderr, /logged out/);
  assert.equal((await manager.cli(["whoami"])).code, 3);
  const db = await b.db();
  const audit = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE action = 'logout'");
  assert.equal(audit.length, 1);
});

backendTest("user permission matrix: every role × every user action (one step per cell)", async (b, t) => {
  const crew = await setupCrew(b);
  let n = 0;
  const actions: Record<string, (target: number) => string[]> = {
    list: () => ["user", "list", "--json"],
    show: (t) => ["user", "show", String(t), "--json"],
    create: () => [
      "user",
      "create",
      "--first-name",
      "New",
      "--last-name",
      "Person",
      "--email",
      `new${n++}@epic.test`,
      "--role",
      "SUPPORT",
      "--password-stdin",
      "--json",
    ],
    update: (t) => ["user", "update", String(t), "--phone", "+33 1 23 45 67", "--json"],
    delete: (t) => ["user", "delete", String(t), "--yes", "--json"],
  };
  const expected: Record<string, Record<string, number>> = {
    MANAGEMENT: { list: 0, show: 0, create: 0, update: 0, delete: 0 },
    SALES: { list: 0, show: 0, create: 4, update: 4, delete: 4 },
    SUPPORT: { list: 0, show: 0, create: 4, update: 4, delete: 4 },
  };
  for (const person of [crew.manager, crew.sales, crew.support]) {
    for (const [action, args] of Object.entries(actions)) {
      const code = expected[person.role][action];
      await t.step(`${person.role} × user.${action} → ${code}`, async () => {
        // A fresh victim per attempt (logged in once) so that deletes do not interfere.
        const victim = await addPerson(crew.manager, b, {
          first: "V",
          last: "V",
          email: `victim${n++}@epic.test`,
          role: "SUPPORT",
        });
        const result = await person.cli(args(victim.id), { stdin: PASSWORD });
        assert.equal(result.code, code, `${person.role} ${action}: ${result.stderr}`);
        if (result.code === 4) assert.equal(errorOf(result.stderr).code, "permission_denied");
        assert.ok(!result.stdout.includes("$2"), "no bcrypt hash in any output");
        assert.ok(!result.stdout.includes("password_hash"));
      });
    }
  }
});

backendTest("user create/update validation and duplicate email (case-insensitive) exit codes", async (b) => {
  const { manager, sales } = await setupCrew(b);
  const create = (email: string, extra: string[] = []) =>
    manager.cli(
      [
        "user",
        "create",
        "--first-name",
        "A",
        "--last-name",
        "B",
        "--email",
        email,
        "--role",
        "SALES",
        "--password-stdin",
        ...extra,
      ],
      { stdin: PASSWORD },
    );
  const dup = await create("SAM@epic.test", ["--json"]);
  assert.equal(dup.code, 6);
  assert.equal(errorOf(dup.stderr).field, "email");
  const bad = await create("not-an-email", ["--json"]);
  assert.equal(bad.code, 2);
  assert.equal(errorOf(bad.stderr).field, "email");
  const badRole = await manager.cli(["user", "update", String(sales.id), "--role", "CEO", "--json"]);
  assert.equal(badRole.code, 2);
  const empty = await manager.cli(["user", "update", String(sales.id)]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /nothing to update/);
  const missing = await manager.cli(["user", "show", "9999"]);
  assert.equal(missing.code, 5);
  const updated = await ok<{ phone: string; first_name: string }>(
    manager.cli(["user", "update", String(sales.id), "--phone", "+33 6 12 34 56 78", "--json"]),
  );
  assert.equal(updated.phone, "+33 6 12 34 56 78");
  assert.equal(updated.first_name, "Sam", "untouched fields keep their value");
});

backendTest("user update --password-stdin changes the password", async (b) => {
  const { manager, sales } = await setupCrew(b);
  await ok(manager.cli(["user", "update", String(sales.id), "--password-stdin"], { stdin: "a brand new secret" }));
  const old = await b.cli(["login", "--email", sales.email, "--password-stdin"], { stdin: PASSWORD });
  assert.equal(old.code, 3);
  const fresh = await b.cli(["login", "--email", sales.email, "--password-stdin"], { stdin: "a brand new secret" });
  assert.equal(fresh.code, 0, fresh.stderr);
});

backendTest("user delete: --yes needed off a terminal; owners refused unless --reassign-to (same role)", async (b) => {
  const { manager, sales, sales2, support, build } = await setupCrew(b);
  const noYes = await manager.cli(["user", "delete", String(sales.id)]);
  assert.equal(noYes.code, 2);
  assert.match(noYes.stderr, /--yes/);

  const db = await b.db();
  const client = await build.client(sales, { full_name: "Kevin Casey", email: "kevin@startup.io" });
  await build.contract(client, { total_amount: "1000", amount_due: "500" });
  const refused = await manager.cli(["user", "delete", String(sales.id), "--yes"]);
  assert.equal(refused.code, 6);
  assert.match(refused.stderr, /1 client\(s\), 1 contract\(s\) and 0 event\(s\)/);

  const wrongRole = await manager.cli([
    "user",
    "delete",
    String(sales.id),
    "--yes",
    "--reassign-to",
    String(support.id),
  ]);
  assert.equal(wrongRole.code, 2);

  const moved = await ok<{ reassigned_to: number }>(
    manager.cli(["user", "delete", String(sales.id), "--yes", "--reassign-to", String(sales2.id), "--json"]),
  );
  assert.equal(moved.reassigned_to, sales2.id);
  const owner = await db.one<{ sales_contact_id: number }>("SELECT sales_contact_id FROM clients WHERE id = $1", [
    client!.id,
  ]);
  assert.equal(owner!.sales_contact_id, sales2.id);
  const contract = await db.one<{ sales_contact_id: number }>("SELECT sales_contact_id FROM contracts");
  assert.equal(contract!.sales_contact_id, sales2.id);
  assert.equal(await db.one("SELECT id FROM users WHERE id = $1", [sales.id]), undefined);
});

backendTest("the last manager cannot demote themselves (exit 6)", async (b) => {
  const manager = await initManager(b);
  const result = await manager.cli(["user", "update", String(manager.id), "--role", "SUPPORT", "--json"]);
  assert.equal(result.code, 6, result.stderr);
  assert.equal(errorOf(result.stderr).field, "role");
  const db = await b.db();
  const row = await db.one<{ role: string }>("SELECT role FROM users WHERE id = $1", [manager.id]);
  assert.equal(row!.role, "MANAGEMENT");
});
