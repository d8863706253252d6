/**
 * What an attacker tries with backups, on both backends: a restore bringing
 * ended sessions back, a backup edited with its checksum recomputed, a backup
 * of another installation, rows the program would refuse as input, and an
 * older unauthenticated backup holding the database's identity and a locked
 * login. Each is refused with exit 6 naming what is wrong and changes
 * nothing, or (a restore) ends every session.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createBackupFile as writeBackup, openBackup } from "../../src/backup/format.ts";
import { storedToken } from "../support/tokens.ts";
import { type Backend, backendTest, createBackend } from "../support/backends.ts";
import { ok, PASSWORD, type Person, serviceContext, setupCrew } from "../support/fixtures.ts";
import { calendarUrl, feedEvents } from "../../src/services/calendar.ts";
import {
  bodyOf,
  createBackupFile,
  gzipText,
  linesOf,
  seed,
  tablesOf,
  TEST_AUTH,
  TEST_BACKUP_KEY,
  withSha256Trailer,
} from "./helpers.ts";

const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");

async function tokenOf(person: Person): Promise<string> {
  const token = await storedToken(person.env.EPIC_EVENTS_CONFIG_DIR);
  assert.ok(token, `${person.email} has a token`);
  return token;
}

/** Runs `whoami` with `token` (from EPIC_EVENTS_TOKEN): exit 0 or 3. */
async function whoamiWith(b: Backend, token: string): Promise<{ code: number; stderr: string }> {
  return await b.cli(["whoami"], { env: { EPIC_EVENTS_TOKEN: token, EPIC_EVENTS_CONFIG_DIR: `${b.dir}/nobody` } });
}

async function login(b: Backend, email: string, password: string): Promise<number> {
  const result = await b.cli(["login", "--email", email, "--password-stdin"], {
    stdin: password,
    env: { EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-${crypto.randomUUID()}` },
  });
  return result.code;
}

async function scalar(b: Backend, sql: string): Promise<number | string | null> {
  const row = await (await b.db()).one<{ v: number | string | null }>(sql);
  return row?.v ?? null;
}

async function lockOut(b: Backend, email: string): Promise<void> {
  for (let i = 0; i < 5; i++) assert.equal(await login(b, email, "wrong password!"), 3);
  assert.equal(await login(b, email, PASSWORD), 3, "locked: even the right password is refused");
}

/** The database's rows as a new backup shows them (what "nothing changed" compares). */
async function snapshot(b: Backend): Promise<string[]> {
  return await bodyOf(await createBackupFile(b, join(b.dir, `snap-${crypto.randomUUID()}`)));
}

backendTest("a restore ends every session: logged out, ended by a password change, valid at backup time", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  const tokens = {
    loggedOut: await tokenOf(support),
    passwordChanged: await tokenOf(sales),
    valid: await tokenOf(manager),
  };
  // A calendar feed key is a read-only credential: it ends with a restore as sessions do.
  const db = await b.db();
  const feed = await calendarUrl(serviceContext(db, { id: support.id, email: support.email, role: "SUPPORT" }));
  await feedEvents(db, feed.key);
  // Taken while every one of them was valid.
  const file = await createBackupFile(b, join(b.dir, "backups"));
  await ok(support.cli(["logout"]));
  await ok(manager.cli(["user", "update", String(sales.id), "--password-stdin"], { stdin: "a brand new password" }));
  assert.equal((await whoamiWith(b, tokens.loggedOut)).code, 3);
  assert.equal((await whoamiWith(b, tokens.passwordChanged)).code, 3);
  assert.equal((await whoamiWith(b, tokens.valid)).code, 0);
  await lockOut(b, support.email);

  const restored = await b.cli(["backup", "restore", file, "--replace", "--yes"]);
  assert.equal(restored.code, 0, restored.stderr);
  for (const [what, token] of Object.entries(tokens)) {
    const refused = await whoamiWith(b, token);
    assert.equal(refused.code, 3, `${what}: refused after the restore`);
    assert.match(refused.stderr, /log in again/, what);
  }
  const gone = await feedEvents(db, feed.key).then(() => "still opens", (e) => e.code);
  assert.equal(gone, "not_found", "the feed key made before the restore opens nothing after it");
  // The login throttle starts clean: the locked email logs in at once.
  assert.equal(Number(await scalar(b, "SELECT COUNT(*) AS v FROM login_attempts")), 0);
  assert.equal(await login(b, support.email, PASSWORD), 0, "no longer locked");
  // What restoring is: the backup's password hashes come back (docs/backups.md says what to do about it).
  assert.equal(await login(b, sales.email, PASSWORD), 0, "the password of the backup");
  assert.equal(await login(b, sales.email, "a brand new password"), 3);
});

/** The lines of `file` as an older program (format 1) wrote them, with the session tables it held. */
async function legacyBackup(
  b: Backend,
  file: string,
  session: { databaseId: string; lockedEmail: string; jti: string; userId: number },
  change: (lines: string[]) => void = () => {},
): Promise<string> {
  const lines = (await linesOf(file)).slice(0, -1).filter((l) => !l.startsWith('{"mac":'));
  const { key_id: _, ...header } = JSON.parse(lines[0]);
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const now = new Date().toISOString();
  const identity = {
    table: "database_identity",
    row: { singleton: 1, database_id: session.databaseId, created_at: now },
  };
  const revoked = {
    table: "revoked_tokens",
    row: { jti: session.jti, user_id: session.userId, revoked_at: now, expires_at: later },
  };
  const attempts = {
    table: "login_attempts",
    row: { email: session.lockedEmail, failures: 5, last_failure_at: now, locked_until: later },
  };
  const rows = lines.slice(1);
  const audit = rows.findIndex((l) => l.startsWith('{"table":"audit_log"'));
  const tables = header.tables as { name: string; columns: string[]; rows: number }[];
  const auditAt = tables.findIndex((t) => t.name === "audit_log");
  tables.splice(auditAt, 0, { name: "revoked_tokens", columns: Object.keys(revoked.row), rows: 1 });
  tables.splice(auditAt + 1, 0, { name: "login_attempts", columns: Object.keys(attempts.row), rows: 1 });
  tables.unshift({ name: "database_identity", columns: Object.keys(identity.row), rows: 1 });
  const body = [
    JSON.stringify(identity),
    ...rows.slice(0, audit),
    JSON.stringify(revoked),
    JSON.stringify(attempts),
    ...rows.slice(audit),
  ];
  const all = [JSON.stringify({ ...header, format_version: 1, tables }), ...body];
  change(all);
  const path = join(b.dir, "old", "epic-events-20240101T000000.000Z.jsonl.gz");
  await Deno.mkdir(join(b.dir, "old"), { recursive: true });
  await Deno.writeFile(path, await gzipText(await withSha256Trailer(all)));
  return path;
}

backendTest(
  "an older unauthenticated backup holding this database's identity is refused, then restored on request without its sessions",
  async (b) => {
    const { manager, support } = await setupCrew(b);
    const valid = await tokenOf(manager);
    const databaseId = String(await scalar(b, "SELECT database_id AS v FROM database_identity"));
    const file = await createBackupFile(b, join(b.dir, "backups"));
    const legacy = await legacyBackup(b, file, {
      databaseId,
      lockedEmail: support.email,
      jti: "0123456789abcdef",
      userId: support.id,
    });
    const before = await snapshot(b);

    const refused = await b.cli(["backup", "restore", legacy, "--replace", "--yes"]);
    assert.equal(refused.code, 6);
    assert.match(refused.stderr, /format 1 is not authenticated.*--accept-unauthenticated/);
    const verify = await b.cli(["backup", "verify", legacy]);
    assert.equal(verify.code, 6);
    const listed = await ok<{ intact: boolean; problem: string }[]>(
      b.cli(["backup", "list", "--dir", join(b.dir, "old"), "--json"]),
    );
    assert.deepEqual(listed.map((l) => l.intact), [false]);
    assert.match(listed[0].problem, /not authenticated/);
    assert.deepEqual(await snapshot(b), before, "nothing changed");
    assert.equal((await whoamiWith(b, valid)).code, 0);

    const accepted = await ok<{ authenticated: boolean }>(
      b.cli(["backup", "verify", legacy, "--accept-unauthenticated", "--json"]),
    );
    assert.equal(accepted.authenticated, false);
    const restored = await b.cli(["backup", "restore", legacy, "--replace", "--yes", "--accept-unauthenticated"]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.notEqual(await scalar(b, "SELECT database_id AS v FROM database_identity"), databaseId, "a new identity");
    assert.equal((await whoamiWith(b, valid)).code, 3, "the token valid at backup time is refused");
    assert.equal(Number(await scalar(b, "SELECT COUNT(*) AS v FROM login_attempts")), 0, "the lock is not restored");
    assert.equal(Number(await scalar(b, "SELECT COUNT(*) AS v FROM revoked_tokens")), 0);
    assert.equal(await login(b, support.email, PASSWORD), 0);

    // Accepted without a MAC, its rows are still checked.
    const rooted = await legacyBackup(b, file, {
      databaseId,
      lockedEmail: support.email,
      jti: "0123456789abcdef",
      userId: support.id,
    }, (lines) => {
      const at = lines.findIndex((l) => l.startsWith('{"table":"users"') && l.includes('"role":"SALES"'));
      lines[at] = lines[at].replace('"role":"SALES"', '"role":"ROOT"');
    });
    const after = await snapshot(b);
    const bad = await b.cli(["backup", "restore", rooted, "--replace", "--yes", "--accept-unauthenticated"]);
    assert.equal(bad.code, 6);
    assert.match(bad.stderr, /table users, line \d+: role: must be one of MANAGEMENT, SALES, SUPPORT/);
    assert.deepEqual(await snapshot(b), after, "nothing changed");
  },
);

backendTest("a backup edited with its checksum recomputed is refused (exit 6), changing nothing", async (b) => {
  const { sales } = await setupCrew(b);
  const file = await createBackupFile(b, join(b.dir, "backups"));
  const lines = (await linesOf(file)).slice(0, -1).filter((l) => !l.startsWith('{"mac":'));
  const at = lines.findIndex((l) => l.includes(`"email":"${sales.email}"`));
  const edited = [...lines];
  edited[at] = edited[at].replace('"role":"SALES"', '"role":"MANAGEMENT"');
  assert.notEqual(edited[at], lines[at]);
  const body = edited.join("\n") + "\n";
  const sha = JSON.parse((await withSha256Trailer(edited)).split("\n").at(-2)!).sha256;
  const { key_id: _, ...oldHeader } = JSON.parse(edited[0]);
  const variants: Array<[string, string, RegExp]> = [
    ["a SHA-256 trailer", body + JSON.stringify({ rows: edited.length - 1, sha256: sha }) + "\n", /no MAC/],
    [
      "the SHA-256 given as the MAC",
      body + JSON.stringify({ rows: edited.length - 1, hmac_sha256: sha }) + "\n",
      /MAC mismatch in the trailer: the file was altered/,
    ],
    [
      "made to look like format 1",
      await withSha256Trailer([JSON.stringify({ ...oldHeader, format_version: 1 }), ...edited.slice(1)]),
      /format 1 is not authenticated/,
    ],
  ];
  const before = await snapshot(b);
  const path = join(b.dir, "edited.jsonl.gz");
  for (const [what, text, message] of variants) {
    await Deno.writeFile(path, await gzipText(text));
    const verify = await b.cli(["backup", "verify", path]);
    assert.equal(verify.code, 6, what);
    assert.match(verify.stderr, message, what);
    const restore = await b.cli(["backup", "restore", path, "--replace", "--yes", "--json"]);
    assert.equal(restore.code, 6, what);
    assert.equal(JSON.parse(restore.stderr).error.code, "conflict");
    assert.deepEqual(await snapshot(b), before, `${what}: nothing changed`);
  }
  const me = await ok<{ role: string }>(sales.cli(["whoami", "--json"]));
  assert.equal(me.role, "SALES");
});

backendTest("a backup of another key is refused, then accepted with --trust-key FILE (or - for stdin)", async (b) => {
  await b.cli(["migrate", "up"]);
  await seed(await b.db(), { clients: 3, eventsPerClient: 2 });
  const theirKey = "the-other-installation-backup-key-0123456789";
  const theirs = await ok<{ file: string; key_id: string }>(
    b.cli(["backup", "create", "--dir", join(b.dir, "theirs"), "--json"], { env: { BACKUP_KEY: theirKey } }),
  );
  const ours = await ok<{ key_id: string }>(b.cli(["backup", "create", "--dir", join(b.dir, "ours"), "--json"]));
  assert.notEqual(theirs.key_id, ours.key_id, "BACKUP_KEY is used instead of SECRET_KEY");
  const keyFile = join(b.dir, "their.key");
  await Deno.writeTextFile(keyFile, theirKey + "\n", { mode: 0o600 });

  await withTarget(b.name, async (target) => {
    await target.cli(["migrate", "up"]);
    await seed(await target.db(), { clients: 1, eventsPerClient: 1 });
    const before = await snapshot(target);
    const refused = await target.cli(["backup", "restore", theirs.file, "--replace", "--yes"]);
    assert.equal(refused.code, 6);
    assert.match(refused.stderr, new RegExp(`another key \\(key id ${theirs.key_id};.*--trust-key FILE`));
    assert.equal((await target.cli(["backup", "verify", theirs.file])).code, 6);
    assert.deepEqual(await snapshot(target), before);

    const fromFile = await target.cli(["backup", "verify", theirs.file, "--trust-key", keyFile, "--json"]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const fromStdin = await target.cli(["backup", "verify", theirs.file, "--trust-key", "-"], { stdin: theirKey });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.doesNotMatch(fromFile.stdout + fromStdin.stdout + fromStdin.stderr, new RegExp(theirKey), "never shown");
    const restored = await target.cli(["backup", "restore", theirs.file, "--trust-key", keyFile, "--replace", "--yes"]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await snapshot(target), await bodyOf(theirs.file));

    // Bad --trust-key: exit 2 naming the option.
    for (
      const [args, stdin] of [
        [["--trust-key", join(b.dir, "missing.key")], undefined],
        [["--trust-key", "-"], "too short"],
        [["--trust-key", b.dir], undefined],
      ] as const
    ) {
      const bad = await target.cli(["backup", "verify", theirs.file, ...args], { stdin });
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /--trust-key/);
    }
    const help = await target.cli(["backup", "restore", "--help"]);
    assert.match(help.stdout.replace(/\s+/g, " "), /--trust-key <file>.*Never type a key on the command line/);
  });
});

async function withTarget(name: Backend["name"], fn: (target: Backend) => Promise<void>): Promise<void> {
  const target = await createBackend(name);
  try {
    await fn(target);
  } finally {
    await target.dispose();
  }
}

/** Writes a copy of `source` (signed with the test key) with one row changed; returns the row's line. */
async function withRowChanged(
  source: string,
  path: string,
  target: { table: string; change: (row: Record<string, unknown>) => void },
): Promise<number> {
  const reader = await openBackup(source, TEST_AUTH);
  const writer = await writeBackup(path, reader.header, TEST_BACKUP_KEY);
  let line = 0;
  for await (const batch of reader.batches()) {
    for (const row of batch) {
      if (line === 0 && row.table === target.table) {
        target.change(row.row);
        line = row.line;
      }
      await writer.write(row.table, row.row);
    }
  }
  await writer.finish();
  assert.ok(line > 0, `the backup has a row of ${target.table}`);
  return line;
}

/** A bad row: its table, how it is made, and the reason expected after `table T, line N: `. */
const BAD_ROWS: Array<[string, string, (row: Record<string, unknown>) => void, RegExp]> = [
  ["a NUL in a name", "users", (r) => (r.first_name = "Mia\u0000"), /first_name: must be a single line/],
  ["a control character", "clients", (r) => (r.company_name = "Co \u001b[31m"), /company_name: must be a single line/],
  ["role ROOT", "users", (r) => (r.role = "ROOT"), /role: must be one of MANAGEMENT, SALES, SUPPORT/],
  ["a role not as stored", "users", (r) => (r.role = "sales"), /role: is not in the form the program stores/],
  [
    "amount_due > total",
    "contracts",
    (r) => (r.amount_due_cents = Number(r.total_amount_cents) + 1),
    /amount_due_cents: must not exceed total_amount/,
  ],
  ["a negative amount", "contracts", (r) => (r.total_amount_cents = -5), /total_amount_cents: must not be negative/],
  ["a bad email", "clients", (r) => (r.email = "not-an-email"), /email: must be a valid email address/],
  [
    "end before start",
    "events",
    (r) => (r.end_date = "2000-01-01T00:00:00.000Z"),
    /end_date: must be after start_date/,
  ],
  ["a NUL in notes", "events", (r) => (r.notes = "a\u0000b"), /notes: must not contain control characters/],
  ["a bad date", "events", (r) => (r.start_date = "soon"), /start_date: must be a date/],
  [
    "a date not in UTC",
    "users",
    (r) => (r.created_at = "2025-01-01T01:00:00+01:00"),
    /created_at: must be a UTC timestamp/,
  ],
  ["a bad id", "clients", (r) => (r.id = -1), /id: must be a positive integer id/],
  ["a boolean as text", "contracts", (r) => (r.signed_status = "yes"), /signed_status: must be true or false/],
  ["a bad password hash", "users", (r) => (r.password_hash = "plain"), /password_hash: must be a bcrypt hash/],
  ["an unknown column", "clients", (r) => (r.is_admin = true), /the row does not have the header's columns/],
];

backendTest("rows the program refuses as input are refused by verify and restore, naming table and line", async (b) => {
  await b.cli(["migrate", "up"]);
  await seed(await b.db(), { clients: 4, eventsPerClient: 2 });
  const file = await createBackupFile(b, join(b.dir, "backups"));
  assert.equal((await b.cli(["backup", "verify", file])).code, 0, "the seeded backup passes");
  await withTarget(b.name, async (used) => {
    await used.cli(["migrate", "up"]);
    await seed(await used.db(), { clients: 1, eventsPerClient: 1 });
    const before = await snapshot(used);
    await withTarget(b.name, async (empty) => {
      for (const [what, table, change, reason] of BAD_ROWS) {
        const bad = join(b.dir, `bad-${crypto.randomUUID()}.jsonl.gz`);
        const line = await withRowChanged(file, bad, { table, change });
        const expected = new RegExp(`table ${table}, line ${line}: ${reason.source}`);
        const verify = await b.cli(["backup", "verify", bad]);
        assert.equal(verify.code, 6, `${what}: verify`);
        assert.match(verify.stderr, expected, what);
        assert.doesNotMatch(verify.stderr, /Mia|not-an-email|plain/, `${what}: the value is not shown`);
        const intoUsed = await used.cli(["backup", "restore", bad, "--replace", "--yes"]);
        assert.equal(intoUsed.code, 6, `${what}: restore`);
        assert.match(intoUsed.stderr, expected, what);
        assert.deepEqual(await snapshot(used), before, `${what}: nothing changed`);
        const intoEmpty = await empty.cli(["backup", "restore", bad]);
        assert.equal(intoEmpty.code, 6, `${what}: restore into an empty database`);
        assert.deepEqual(await tablesOf(await empty.db()), [], `${what}: nothing written`);
      }
    });
  });
});

Deno.test({
  name: "the move of docs/backups.md: embedded SQLite with its generated key → PostgreSQL with --trust-key secret.key",
  ignore: !PG_URL,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const source = await createBackend("sqlite");
    try {
      // The embedded default: no SECRET_KEY, a key generated into the data folder.
      const env = { SECRET_KEY: "" };
      await ok(source.cli(["migrate", "up"], { env }));
      await seed(await source.db(), { clients: 3, eventsPerClient: 1 });
      const created = await ok<{ file: string }>(
        source.cli(["backup", "create", "--dir", join(source.dir, "move"), "--json"], { env }),
      );
      const keyFile = join(source.env.EPIC_EVENTS_DATA_DIR, "secret.key");
      await Deno.stat(keyFile);
      await withTarget("postgres", async (target) => {
        assert.notEqual(target.env.SECRET_KEY, "");
        const refused = await target.cli(["backup", "restore", created.file]);
        assert.equal(refused.code, 6);
        const restored = await target.cli(["backup", "restore", created.file, "--trust-key", keyFile]);
        assert.equal(restored.code, 0, restored.stderr);
        assert.deepEqual(await snapshot(target), await bodyOf(created.file));
      });
    } finally {
      await source.dispose();
    }
  },
});

Deno.test("BACKUP_KEY shorter than 32 bytes is refused naming it (exit 2)", async () => {
  const target = await createBackend("sqlite");
  try {
    const result = await target.cli(["backup", "list"], { env: { BACKUP_KEY: "short" } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /BACKUP_KEY: must be at least 32 bytes long/);
    assert.doesNotMatch(result.stderr, /short/, "the key is not shown");
  } finally {
    await target.dispose();
  }
});
