/**
 * `epic-events backup …` as an operator sees it, on both backends: round
 * trip, cross-backend moves, refusals that change nothing, older and newer
 * schema versions, prune, list and verify.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MIGRATIONS } from "../../migrations/mod.ts";
import { createBackupFile as writeBackup, FORMAT_VERSION, openBackup } from "../../src/backup/format.ts";
import type { Database } from "../../src/db/database.ts";
import { BACKUP_TABLES, NOT_BACKED_UP, SESSION_TABLES } from "../../src/repositories/backup.ts";
import { hashPassword } from "../../src/security/passwords.ts";
import { type Backend, type BackendName, backendTest, createBackend } from "../support/backends.ts";
import { runCli } from "../support/cli.ts";
import { loginAs, ok, PASSWORD, type Person, setupCrew } from "../support/fixtures.ts";
import {
  bodyOf,
  countsOf,
  createBackupFile,
  gzipText,
  headerOf,
  linesOf,
  seed,
  tablesOf,
  TEST_AUTH,
  TEST_BACKUP_KEY,
} from "./helpers.ts";

const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;
const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");

/** A fresh empty database of `name` for the body of `fn`. */
async function withTarget(name: BackendName, fn: (target: Backend) => Promise<void>): Promise<void> {
  const target = await createBackend(name);
  try {
    await fn(target);
  } finally {
    await target.dispose();
  }
}

/** Data in every table: users, a client, a signed contract with cents, an event, a failed login, a logout, audit. */
async function populate(b: Backend): Promise<{ manager: Person; sales: Person }> {
  const { manager, sales, support } = await setupCrew(b);
  const client = await ok<{ id: number }>(sales.cli([
    "client",
    "create",
    "--full-name",
    "Kate Hastroff",
    "--email",
    "kate@startup.test",
    "--phone",
    "+33 6 12 34 56 78",
    "--company-name",
    "Cool Startup LLC",
    "--json",
  ]));
  const contract = await ok<{ id: number }>(sales.cli([
    "contract",
    "create",
    "--client",
    String(client.id),
    "--total",
    "1500.50",
    "--due",
    "500.25",
    "--json",
  ]));
  await ok(sales.cli(["contract", "create", "--client", String(client.id), "--total", "99.99", "--json"]));
  await ok(sales.cli(["contract", "sign", String(contract.id), "--json"]));
  await ok(manager.cli([
    "event",
    "create",
    "--contract",
    String(contract.id),
    "--name",
    "Launch party",
    "--client-contact",
    "Kate, +33 6 00 00 00 00",
    "--start-date",
    "2031-06-04T13:00:00Z",
    "--end-date",
    "2031-06-05T02:00:00Z",
    "--location",
    "53 Rue du Château, 41120 Candé-sur-Beuvron",
    "--attendees",
    "75",
    "--notes",
    'Wedding: DJ, "tabs"\tand\nnew lines',
    "--support-contact-id",
    String(support.id),
    "--json",
  ]));
  // A failed login (login_attempts) and a logout (revoked_tokens).
  const failed = await b.cli(["login", "--email", "nobody@epic.test", "--password-stdin"], {
    stdin: "wrong password",
    env: { EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-failed` },
  });
  assert.notEqual(failed.code, 0);
  await ok(support.cli(["logout"]));
  return { manager, sales };
}

function rowsOf(lines: string[], table: string): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l)).filter((l) => l.table === table).map((l) => l.row);
}

backendTest("backup create → restore into an empty database → create again: identical rows", async (b) => {
  const { manager } = await populate(b);
  const dir = join(b.dir, "backups");
  const created = await b.cli(["backup", "create", "--dir", dir, "--json"]);
  assert.equal(created.code, 0, created.stderr);
  const summary = created.json<
    { file: string; schema_version: string; backend: string; tables: Record<string, number> }
  >();
  assert.match(summary.file, /\/epic-events-\d{8}T\d{6}\.\d{3}Z\.jsonl\.gz$/);
  assert.equal(summary.schema_version, LATEST);
  assert.equal(summary.backend, b.name);
  const db = await b.db();
  assert.deepEqual(summary.tables, await countsOf(db), "the counts of every table");
  for (const table of BACKUP_TABLES) assert.ok(summary.tables[table.name] !== undefined, table.name);
  assert.ok(summary.tables.audit_log >= 1);
  // The state of sessions and of the login throttle is not data: never backed up.
  for (const table of SESSION_TABLES) assert.equal(summary.tables[table], undefined, table);
  assert.equal((await Deno.stat(summary.file)).mode! & 0o777, 0o600, "file 0600");
  assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700, "folder 0700");
  assert.doesNotMatch(created.stdout + created.stderr, /\$2[aby]\$|kate@startup/, "never prints row contents");

  // Exact values: integer cents, booleans, UTC ISO timestamps, the password hash.
  const lines = await linesOf(summary.file);
  const header = JSON.parse(lines[0]);
  assert.equal(header.format, "epic-events-backup");
  assert.equal(header.schema_version, LATEST);
  const contract = rowsOf(lines, "contracts").find((c) => c.total_amount_cents === 150050)!;
  assert.deepEqual([contract.amount_due_cents, contract.signed_status], [50025, true]);
  assert.equal(rowsOf(lines, "contracts").find((c) => c.total_amount_cents === 9999)!.signed_status, false);
  const event = rowsOf(lines, "events")[0];
  assert.equal(event.start_date, "2031-06-04T13:00:00.000Z");
  assert.equal(event.notes, 'Wedding: DJ, "tabs"\tand\nnew lines');
  const user = rowsOf(lines, "users").find((u) => u.id === manager.id)!;
  assert.match(String(user.password_hash), /^\$2[aby]\$/);
  assert.match(String(user.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  await withTarget(b.name, async (target) => {
    const restored = await target.cli(["backup", "restore", summary.file, "--json"]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(restored.json<{ tables: unknown }>().tables, summary.tables);
    assert.doesNotMatch(restored.stdout + restored.stderr, /\$2[aby]\$|kate@startup/);
    const again = await createBackupFile(target, join(target.dir, "backups"));
    assert.deepEqual(await bodyOf(again), await bodyOf(summary.file), "same rows, same order, same values");
    assert.deepEqual((await headerOf(again)).tables, header.tables);

    // The restored database works: same password, and new ids come after the restored ones.
    const admin = await loginAs(target, { id: manager.id, email: manager.email, role: "MANAGEMENT" });
    const maxId = Math.max(...rowsOf(lines, "clients").map((c) => c.id as number));
    const sales = rowsOf(lines, "users").find((u) => u.role === "SALES")!;
    const fresh = await ok<{ id: number }>(admin.cli([
      "client",
      "create",
      "--full-name",
      "After Restore",
      "--email",
      "after@restore.test",
      "--phone",
      "0102030405",
      "--company-name",
      "Later",
      "--sales-contact-id",
      String(sales.id),
      "--json",
    ]));
    assert.equal(fresh.id, maxId + 1);
  });
});

for (const [from, to] of [["sqlite", "postgres"], ["postgres", "sqlite"]] as const) {
  Deno.test({
    name: `a backup made on ${from} restores on ${to} with every row identical`,
    ignore: !PG_URL,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const source = await createBackend(from);
      try {
        await populate(source);
        const file = await createBackupFile(source, join(source.dir, "backups"));
        await withTarget(to, async (target) => {
          const restored = await target.cli(["backup", "restore", file]);
          assert.equal(restored.code, 0, restored.stderr);
          const again = await createBackupFile(target, join(target.dir, "backups"));
          assert.deepEqual(await bodyOf(again), await bodyOf(file));
          assert.equal((await headerOf(again)).backend, to);
          // And back again, on the first backend.
          await withTarget(from, async (back) => {
            assert.equal((await back.cli(["backup", "restore", again])).code, 0);
            assert.deepEqual(await bodyOf(await createBackupFile(back, join(back.dir, "b"))), await bodyOf(file));
          });
        });
      } finally {
        await source.dispose();
      }
    },
  });
}

backendTest(
  "restore into a used database needs --replace, and --yes off a terminal; refusals change nothing",
  async (b) => {
    const source = await b.db();
    await b.cli(["migrate", "up"]);
    await seed(source, { clients: 5, eventsPerClient: 2 });
    const file = await createBackupFile(b, join(b.dir, "backups"));

    await withTarget(b.name, async (target) => {
      await populate(target);
      const before = await bodyOf(await createBackupFile(target, join(target.dir, "before")));

      const noReplace = await target.cli(["backup", "restore", file]);
      assert.equal(noReplace.code, 6, noReplace.stderr);
      assert.match(noReplace.stderr, /not empty .*5 users.*--replace/);

      const noYes = await target.cli(["backup", "restore", file, "--replace", "--json"]);
      assert.equal(noYes.code, 2);
      const error = JSON.parse(noYes.stderr).error;
      assert.equal(error.code, "invalid_input");
      assert.equal(error.field, "yes");
      assert.match(error.message, /5 users, .*1 clients.*--yes/);
      assert.equal(noYes.stdout, "");

      assert.deepEqual(await bodyOf(await createBackupFile(target, join(target.dir, "after"))), before, "unchanged");

      const replaced = await target.cli(["backup", "restore", file, "--replace", "--yes", "--json"]);
      assert.equal(replaced.code, 0, replaced.stderr);
      assert.equal(replaced.json<{ replaced: Record<string, number> }>().replaced.users, 5);
      assert.deepEqual(await bodyOf(await createBackupFile(target, join(target.dir, "now"))), await bodyOf(file));
    });
  },
);

/** Writes a copy of `source` whose header is changed by `change` (a valid MAC under the test key). */
async function rewrite(source: string, path: string, change: (header: Record<string, unknown>) => void) {
  const reader = await openBackup(source, TEST_AUTH);
  const header = structuredClone(reader.header) as unknown as Record<string, unknown>;
  change(header);
  const writer = await writeBackup(path, header as never, TEST_BACKUP_KEY);
  for await (const batch of reader.batches()) for (const { table, row } of batch) await writer.write(table, row);
  await writer.finish();
}

async function assertNoTables(target: Backend, what: string): Promise<void> {
  const db = await target.db();
  assert.deepEqual(await tablesOf(db), [], `${what}: nothing was written`);
}

backendTest("a flipped byte or a truncated file is refused (exit 6) before anything is written", async (b) => {
  await b.cli(["migrate", "up"]);
  await seed(await b.db(), { clients: 300, eventsPerClient: 3 });
  const file = await createBackupFile(b, join(b.dir, "backups"));
  const bytes = await Deno.readFile(file);
  const text = (await linesOf(file)).join("\n") + "\n";
  const recompress = async (s: string) =>
    new Uint8Array(await new Response(new Blob([s]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
  const damaged: Array<[string, Uint8Array, RegExp]> = [
    ["flipped byte", bytes.map((x, i) => (i === bytes.length >> 1 ? x ^ 0x01 : x)), /corrupt|JSON|checksum|truncated/],
    ["truncated", bytes.slice(0, Math.floor(bytes.length * 0.9)), /truncated|corrupt/],
    ["altered value", await recompress(text.replace('"attendees":7,', '"attendees":8,')), /MAC mismatch/],
    ["trailer cut off", await recompress(text.slice(0, text.lastIndexOf("\n", text.length - 2) + 1)), /truncated/],
  ];
  const bad = join(b.dir, "bad", "epic-events-20250101T000000.000Z.jsonl.gz");
  await Deno.mkdir(join(b.dir, "bad"));

  await withTarget(b.name, async (empty) => {
    await withTarget(b.name, async (used) => {
      await used.cli(["migrate", "up"]);
      await seed(await used.db(), { clients: 2, eventsPerClient: 1 });
      const before = await bodyOf(await createBackupFile(used, join(used.dir, "before")));
      for (const [what, data, message] of damaged) {
        await Deno.writeFile(bad, data);
        const verify = await b.cli(["backup", "verify", bad]);
        assert.equal(verify.code, 6, `${what}: verify`);
        assert.match(verify.stderr, message, what);

        const intoEmpty = await empty.cli(["backup", "restore", bad, "--json"]);
        assert.equal(intoEmpty.code, 6, `${what}: restore`);
        assert.equal(JSON.parse(intoEmpty.stderr).error.code, "conflict");
        await assertNoTables(empty, what);

        const intoUsed = await used.cli(["backup", "restore", bad, "--replace", "--yes"]);
        assert.equal(intoUsed.code, 6, `${what}: restore --replace`);
        assert.deepEqual(await bodyOf(await createBackupFile(used, join(used.dir, "after"))), before, what);
      }
      const list = await b.cli(["backup", "list", "--dir", join(b.dir, "bad"), "--json"]);
      const [entry] = list.json<{ intact: boolean; problem: string }[]>();
      assert.equal(entry.intact, false);
      assert.match(entry.problem, /truncated/);
    });
  });
});

backendTest("an older backup restores at its schema version, then newer migrations are applied", async (b) => {
  const first = MIGRATIONS[0].version;
  const up = await b.cli(["migrate", "up", "--to", first]);
  assert.equal(up.code, 0, up.stderr);
  const source = await b.db();
  await seed(source, { clients: 3, eventsPerClient: 2, passwordHash: await hashPassword(PASSWORD, 4) });
  const file = await createBackupFile(b, join(b.dir, "backups"));
  const header = await headerOf(file);
  assert.equal(header.schema_version, first);
  assert.deepEqual((header.tables as { name: string }[]).map((t) => t.name), [
    "users",
    "clients",
    "contracts",
    "events",
  ]);

  const newer = MIGRATIONS.filter((m) => m.version > first).map((m) => m.version);
  const check = async (target: Backend, restored: { migrated: string[] }) => {
    assert.deepEqual(restored.migrated, newer);
    const status = await ok<{ version: string; state: string }[]>(target.cli(["migrate", "status", "--json"]));
    assert.ok(status.every((s) => s.state === "applied"), JSON.stringify(status));
    const mia = await loginAs(target, { id: 1, email: "mia@seed.test", role: "MANAGEMENT" });
    const clients = await ok<{ id: number }[]>(mia.cli(["client", "list", "--json"]));
    assert.deepEqual(clients.map((c) => c.id), [1, 2, 3]);
    const added = await ok<{ id: number }>(mia.cli([
      "client",
      "create",
      "--full-name",
      "New One",
      "--email",
      "new@one.test",
      "--phone",
      "0102030405",
      "--company-name",
      "New",
      "--sales-contact-id",
      "2",
      "--json",
    ]));
    assert.equal(added.id, 4, "ids continue after the restored ones");
  };

  await withTarget(b.name, async (target) => {
    const restored = await target.cli(["backup", "restore", file, "--json"]);
    assert.equal(restored.code, 0, restored.stderr);
    await check(target, restored.json());
  });
  // Into a used database at the newest schema: replaced, back to the backup's version, then migrated again.
  await withTarget(b.name, async (target) => {
    await populate(target);
    const restored = await target.cli(["backup", "restore", file, "--replace", "--yes", "--json"]);
    assert.equal(restored.code, 0, restored.stderr);
    await check(target, restored.json());
    const [was, now] = [await countsOf(source), await countsOf(await target.db())];
    assert.deepEqual([now.users, now.contracts, now.events], [was.users, was.contracts, was.events]);
    const attempts = await (await target.db()).one<{ n: number | string }>("SELECT COUNT(*) AS n FROM login_attempts");
    assert.equal(Number(attempts!.n), 0, "the used database's rows are gone");
  });
});

backendTest("a backup from a newer program (unknown schema or format version) is refused with exit 6", async (b) => {
  await b.cli(["migrate", "up"]);
  await seed(await b.db(), { clients: 2, eventsPerClient: 1 });
  const file = await createBackupFile(b, join(b.dir, "backups"));
  const future = join(b.dir, "future.jsonl.gz");
  await rewrite(file, future, (h) => void (h.schema_version = "9999"));
  const verified = await b.cli(["backup", "verify", future, "--json"]);
  assert.equal(verified.code, 0, "the file itself is intact");
  await withTarget(b.name, async (target) => {
    const restored = await target.cli(["backup", "restore", future]);
    assert.equal(restored.code, 6);
    assert.match(restored.stderr, /schema version 9999, unknown to this program/);
    await assertNoTables(target, "newer schema");

    const newerFormat = join(b.dir, "format.jsonl.gz");
    const lines = await linesOf(file);
    lines[0] = JSON.stringify({ ...JSON.parse(lines[0]), format_version: FORMAT_VERSION + 1 });
    await Deno.writeFile(newerFormat, await gzipText(lines.join("\n") + "\n"));
    const refused = await target.cli(["backup", "restore", newerFormat]);
    assert.equal(refused.code, 6);
    assert.match(refused.stderr, /newer program/);
    await assertNoTables(target, "newer format");
  });
});

async function columnsOf(db: Database, table: string): Promise<string[]> {
  const rows = db.dialect === "sqlite"
    ? await db.query<{ name: string }>("SELECT name FROM pragma_table_info($1)", [table])
    : await db.query<{ name: string }>(
      "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
      [table],
    );
  return rows.map((r) => r.name);
}

backendTest("every table and column of a fully migrated database is covered by backups", async (b) => {
  const up = await b.cli(["migrate", "up"]);
  assert.equal(up.code, 0, up.stderr);
  const db = await b.db();
  const specs = new Map(BACKUP_TABLES.map((t) => [t.name, t]));
  // Not data: schema_migrations, and derived tables rebuilt by triggers as a restore loads the rows.
  const notData = new Set(NOT_BACKED_UP);
  const tables = (await tablesOf(db)).filter((t) => !notData.has(t));
  assert.ok(tables.length >= 4);
  for (const table of tables) {
    const spec = specs.get(table);
    assert.ok(spec, `table ${table} is not in BACKUP_TABLES (src/repositories/backup.ts)`);
    for (const column of await columnsOf(db, table)) {
      assert.ok(
        column in spec.columns || spec.derived?.includes(column),
        `column ${table}.${column} is not in BACKUP_TABLES`,
      );
    }
  }
  // And a backup says so: an uncovered table makes `backup create` fail rather than leave it out.
  await db.execute("CREATE TABLE not_covered (id INTEGER PRIMARY KEY)");
  const refused = await b.cli(["backup", "create", "--dir", join(b.dir, "backups")]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Table not_covered is not covered by backups/);
  assert.deepEqual([...Deno.readDirSync(join(b.dir, "backups"))], [], "no file, not even a temporary one");
});

backendTest("backup create fails (non-zero) on an unmigrated database or a bad --dir, writing nothing", async (b) => {
  const unmigrated = await b.cli(["backup", "create", "--dir", join(b.dir, "backups")]);
  assert.equal(unmigrated.code, 6);
  assert.match(unmigrated.stderr, /no schema yet/);
  await b.cli(["migrate", "up"]);
  await Deno.writeTextFile(join(b.dir, "a-file"), "");
  const notDir = await b.cli(["backup", "create", "--dir", join(b.dir, "a-file")]);
  assert.equal(notDir.code, 2);
  assert.match(notDir.stderr, /--dir/);
  const badDays = await b.cli(["backup", "create", "--keep-days", "soon"]);
  assert.equal(badDays.code, 2);
  assert.match(badDays.stderr, /--keep-days/);
  // The default folder: EPIC_EVENTS_BACKUP_DIR, else <data dir>/backups.
  const byDefault = await ok<{ file: string }>(b.cli(["backup", "create", "--json"]));
  assert.ok(byDefault.file.startsWith(join(b.env.EPIC_EVENTS_DATA_DIR, "backups") + "/"), byDefault.file);
  const byEnv = await ok<{ file: string }>(
    b.cli(["backup", "create", "--json"], { env: { EPIC_EVENTS_BACKUP_DIR: join(b.dir, "env-dir") } }),
  );
  assert.ok(byEnv.file.startsWith(join(b.dir, "env-dir") + "/"), byEnv.file);
});

backendTest("progress is drawn on stderr on a terminal only, never with --json", async (b) => {
  await b.cli(["migrate", "up"]);
  await seed(await b.db(), { clients: 20, eventsPerClient: 2 });
  const onTerminal = await b.cli(["backup", "create", "--dir", join(b.dir, "t")], { tty: true });
  assert.equal(onTerminal.code, 0, onTerminal.stderr);
  assert.match(onTerminal.stderr, /create \[#+\] 83\/83 rows/);
  assert.doesNotMatch(onTerminal.stdout, /\[#/);
  const piped = await b.cli(["backup", "create", "--dir", join(b.dir, "p")]);
  assert.equal(piped.stderr, "");
  const json = await b.cli(["backup", "create", "--dir", join(b.dir, "j"), "--json"], { tty: true });
  assert.equal(json.stderr, "");
  await withTarget(b.name, async (target) => {
    const file = (await ok<{ file: string }>(Promise.resolve(json))).file;
    const restored = await target.cli(["backup", "restore", file], { tty: true });
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stderr, /verify \[#+\] 83\/83 rows/);
    assert.match(restored.stderr, /restore \[#+\] 83\/83 rows/);
  });
});

/** A backup folder holding fake backups at the given ages (days), plus files that are not ours. */
async function fakeFolder(ages: number[]): Promise<{ dir: string; names: Map<number, string> }> {
  const dir = await Deno.makeTempDir({ prefix: "epic-prune-" });
  const names = new Map<number, string>();
  for (const days of ages) {
    const time = new Date(Date.now() - days * 86_400_000 - 60_000);
    const name = `epic-events-${time.toISOString().replace(/[-:]/g, "")}.jsonl.gz`;
    names.set(days, name);
    await Deno.writeTextFile(join(dir, name), "fake");
  }
  for (
    const other of [
      "notes.txt",
      "epic-events-20000101T000000Z.jsonl.gz",
      "epic-events-20000101T000000.000Z.jsonl.gz.tmp",
    ]
  ) {
    await Deno.writeTextFile(join(dir, other), "not ours");
  }
  await Deno.mkdir(join(dir, "epic-events-20000102T000000.000Z.jsonl.gz"));
  return { dir, names };
}

function remaining(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("prune deletes backups older than N days, never the newest, never a file that is not ours", async () => {
  const { dir, names } = await fakeFolder([400, 45, 31, 29, 1]);
  const env = { EPIC_EVENTS_DATA_DIR: join(dir, "data"), NO_COLOR: "1" };
  try {
    const all = remaining(dir);
    const dry = await runCli(["backup", "prune", "--dir", dir, "--keep-days", "30", "--dry-run", "--json"], { env });
    assert.equal(dry.code, 0, dry.stderr);
    const plan = dry.json<{ dry_run: boolean; deleted: { file: string }[] }>();
    assert.equal(plan.dry_run, true);
    assert.deepEqual(plan.deleted.map((d) => d.file).sort(), [400, 45, 31].map((d) => join(dir, names.get(d)!)).sort());
    assert.deepEqual(remaining(dir), all, "a dry run deletes nothing");

    const pruned = await runCli(["backup", "prune", "--dir", dir, "--keep-days", "30"], { env });
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stderr, /Deleted 3 backup\(s\); kept 2/);
    assert.deepEqual(remaining(dir), all.filter((n) => ![400, 45, 31].some((d) => names.get(d) === n)));
    assert.ok(remaining(dir).includes("notes.txt") && remaining(dir).includes("epic-events-20000101T000000Z.jsonl.gz"));

    // Every backup old: the newest stays anyway.
    const zero = await runCli(["backup", "prune", "--dir", dir, "--keep-days", "0", "--json"], { env });
    assert.equal(zero.code, 0);
    assert.ok(remaining(dir).includes(names.get(1)!), "the newest backup is kept");
    assert.ok(!remaining(dir).includes(names.get(29)!));
    assert.equal(remaining(dir).filter((n) => /\.jsonl\.gz$/.test(n)).length, 3, "ours: one; not ours: two");

    const bad = await runCli(["backup", "prune", "--dir", dir, "--keep-days", "-3"], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--keep-days/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

backendTest("backup create --keep-days prunes old backups after writing the new one", async (b) => {
  await b.cli(["migrate", "up"]);
  const { dir, names } = await fakeFolder([60, 40, 10]);
  try {
    const created = await ok<{ file: string; pruned: string[] }>(
      b.cli(["backup", "create", "--dir", dir, "--keep-days", "30", "--json"]),
    );
    assert.deepEqual(created.pruned.sort(), [join(dir, names.get(60)!), join(dir, names.get(40)!)].sort());
    assert.ok(remaining(dir).includes(names.get(10)!));
    assert.ok(remaining(dir).includes("notes.txt"));
    const listed = await ok<{ file: string; intact: boolean }[]>(b.cli(["backup", "list", "--dir", dir, "--json"]));
    assert.deepEqual(listed.map((l) => [l.file, l.intact]), [[join(dir, names.get(10)!), false], [created.file, true]]);
    const verify = await b.cli(["backup", "verify", created.file]);
    assert.equal(verify.code, 0);
    assert.match(verify.stdout, /CHECKSUM\tok/);
    const missing = await b.cli(["backup", "verify", join(dir, "nope.jsonl.gz")]);
    assert.equal(missing.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
