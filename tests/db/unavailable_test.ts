/**
 * Issue 8, points 9–11: a database that cannot be reached, opened or written
 * is exit 7 `unavailable`, one line naming DATABASE_URL (password masked), the
 * host:port or file and the cause; a connect that gets no answer gives up after
 * DATABASE_CONNECT_TIMEOUT; a query the server cancels or a connection it ends
 * is one line too, never a stack trace. Every server here is on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SqliteDatabase } from "../../src/db/sqlite.ts";
import { diagnosePostgres, labelOf, maskUrl, unavailable } from "../../src/db/unavailable.ts";
import { UnavailableError } from "../../src/domain/errors.ts";
import { backendTest, TEST_SECRET_KEY } from "../support/backends.ts";
import { runCli } from "../support/cli.ts";
import { setupCrew } from "../support/fixtures.ts";
import { closedPort, startHangingServer } from "../observability/fake_sentry.ts";
import { PERMISSIONS_APPLY, runChild } from "../support/process.ts";

const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");
const PASSWORD = "hunter2-Secret";

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-unavailable-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function envFor(dir: string, databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: dir,
    DATABASE_URL: databaseUrl,
    SECRET_KEY: TEST_SECRET_KEY,
    EPIC_EVENTS_CONFIG_DIR: join(dir, "config"),
    EPIC_EVENTS_DATA_DIR: join(dir, "data"),
    EPIC_EVENTS_LOG_DIR: join(dir, "logs"),
    NO_COLOR: "1",
    ...extra,
  };
}

/**
 * Runs `migrate status` (human, then --json) against `databaseUrl` and checks
 * the exit-7 contract; returns the human message.
 */
async function expectUnavailable(
  dir: string,
  databaseUrl: string,
  options: { extraEnv?: Record<string, string>; where: string; cause: RegExp },
): Promise<string> {
  const env = envFor(dir, databaseUrl, options.extraEnv);
  const human = await runCli(["migrate", "status"], { env, cwd: dir });
  assert.equal(human.code, 7, human.stderr);
  assert.equal(human.stdout, "");
  assert.equal(human.stderr.trimEnd().split("\n").length, 1, `one line: ${human.stderr}`);
  assert.match(human.stderr, /^error: /);
  assert.match(human.stderr, /DATABASE_URL/);
  assert.ok(human.stderr.includes(options.where), `names ${options.where}: ${human.stderr}`);
  assert.match(human.stderr, options.cause);
  assert.ok(!human.stderr.includes(PASSWORD), "the password is masked");
  assert.doesNotMatch(human.stderr, /Something went wrong/);

  const json = await runCli(["--json", "migrate", "status"], { env, cwd: dir });
  assert.equal(json.code, 7);
  assert.equal(json.stdout, "");
  const body = JSON.parse(json.stderr) as { error: { code: string; message: string; field?: string } };
  assert.equal(body.error.code, "unavailable");
  assert.equal(body.error.field, "DATABASE_URL");
  assert.match(body.error.message, options.cause);
  assert.ok(!json.stderr.includes(PASSWORD));
  return human.stderr;
}

Deno.test("connection refused: exit 7 naming DATABASE_URL with the password masked, host:port and the cause", async () => {
  await withTempDir(async (dir) => {
    const port = closedPort();
    const stderr = await expectUnavailable(dir, `postgres://epic:${PASSWORD}@127.0.0.1:${port}/crm`, {
      where: `127.0.0.1:${port}`,
      cause: /connection refused/,
    });
    assert.ok(stderr.includes(`postgres://epic:***@127.0.0.1:${port}/crm`), stderr);
  });
});

Deno.test("a server that accepts and never answers: exit 7 after DATABASE_CONNECT_TIMEOUT", async () => {
  const silent = startHangingServer();
  try {
    await withTempDir(async (dir) => {
      const url = `postgres://epic:${PASSWORD}@127.0.0.1:${silent.port}/crm`;
      // A real process, killed after 60 s: today's program would wait (and fail) far longer.
      const result = await runChild(["migrate", "status"], {
        env: envFor(dir, url, { DATABASE_CONNECT_TIMEOUT: "1" }),
        cwd: dir,
      });
      assert.equal(result.code, 7, result.stderr);
      assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, /DATABASE_CONNECT_TIMEOUT/);
      assert.match(result.stderr, /no answer within 1 s/);
      assert.ok(result.stderr.includes(`127.0.0.1:${silent.port}`));
      assert.ok(!result.stderr.includes(PASSWORD));
    });
  } finally {
    silent.close();
  }
});

Deno.test("DATABASE_CONNECT_TIMEOUT must be a number of seconds above 0", async () => {
  await withTempDir(async (dir) => {
    for (const value of ["0", "-1", "soon", "99999"]) {
      const env = envFor(dir, `postgres://epic@127.0.0.1:${closedPort()}/crm`, { DATABASE_CONNECT_TIMEOUT: value });
      const result = await runCli(["--json", "migrate", "status"], { env, cwd: dir });
      assert.equal(result.code, 2, `${value}: ${result.stderr}`);
      assert.equal(JSON.parse(result.stderr).error.field, "DATABASE_CONNECT_TIMEOUT");
    }
  });
});

/**
 * A fake PostgreSQL server on 127.0.0.1 speaking just enough of the protocol:
 * `sslRefused` answers "N" to an SSL request; otherwise every startup gets
 * an ErrorResponse with `sqlstate` and `message`.
 */
function startFakePostgres(reply: { sqlstate: string; message: string }): { port: number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const encoder = new TextEncoder();
  const errorResponse = () => {
    const fields = [`SFATAL`, `VFATAL`, `C${reply.sqlstate}`, `M${reply.message}`].map((f) => encoder.encode(`${f}\0`));
    const body = fields.reduce((n, f) => n + f.length, 0) + 1;
    const out = new Uint8Array(1 + 4 + body);
    out[0] = "E".charCodeAt(0);
    new DataView(out.buffer).setUint32(1, 4 + body);
    let offset = 5;
    for (const f of fields) {
      out.set(f, offset);
      offset += f.length;
    }
    out[offset] = 0;
    return out;
  };
  (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      (async () => {
        const buffer = new Uint8Array(8192);
        try {
          for (;;) {
            const n = await conn.read(buffer);
            if (n === null) break;
            const code = n >= 8 ? new DataView(buffer.buffer).getUint32(4) : 0;
            if (code === 80877103) await conn.write(encoder.encode("N")); // SSLRequest: no TLS here
            else await conn.write(errorResponse());
          }
        } catch {
          // closed
        } finally {
          conns.delete(conn);
          try {
            conn.close();
          } catch {
            // already closed
          }
        }
      })();
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      listener.close();
    },
  };
}

Deno.test("a wrong password: exit 7, the password masked, the server's reason given", async () => {
  const server = startFakePostgres({ sqlstate: "28P01", message: 'password authentication failed for user "epic"' });
  try {
    await withTempDir(async (dir) => {
      await expectUnavailable(dir, `postgres://epic:${PASSWORD}@127.0.0.1:${server.port}/crm`, {
        where: `127.0.0.1:${server.port}`,
        cause: /wrong password \(password authentication failed for user "epic"\)/,
      });
    });
  } finally {
    server.close();
  }
});

Deno.test("TLS required but the server has none: exit 7, a TLS failure", async () => {
  const server = startFakePostgres({ sqlstate: "08P01", message: "unused" });
  try {
    await withTempDir(async (dir) => {
      await expectUnavailable(dir, `postgres://epic:${PASSWORD}@127.0.0.1:${server.port}/crm?sslmode=require`, {
        where: `127.0.0.1:${server.port}`,
        cause: /TLS failure/,
      });
    });
  } finally {
    server.close();
  }
});

Deno.test({
  name: "an unknown role or database on the real server: exit 7 with the server's reason",
  ignore: !PG_URL,
  async fn() {
    await withTempDir(async (dir) => {
      const base = new URL(PG_URL!);
      const role = new URL(base);
      role.username = "no_such_role_epic";
      role.password = PASSWORD;
      await expectUnavailable(dir, role.toString(), {
        where: `${base.hostname}:${base.port || 5432}`,
        cause: /role "no_such_role_epic" does not exist/,
      });
      const database = new URL(base);
      database.pathname = "/no_such_database_epic";
      await expectUnavailable(dir, database.toString(), {
        where: `${base.hostname}:${base.port || 5432}`,
        cause: /database "no_such_database_epic" does not exist/,
      });
    });
  },
});

Deno.test("an SQLite path that cannot be opened or created: exit 7 naming the path and the cause", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plain-file");
    await Deno.writeTextFile(file, "not a folder");
    await expectUnavailable(dir, `sqlite://${file}/crm.db`, {
      where: `${file}/crm.db`,
      cause: /a part of the path is a file, not a folder/,
    });

    const folder = join(dir, "a-folder.db");
    await Deno.mkdir(folder);
    await expectUnavailable(dir, `sqlite://${folder}`, { where: folder, cause: /it is a folder, not a file/ });

    const text = join(dir, "notes.db");
    await Deno.writeTextFile(text, "These are my notes, not a database. ".repeat(40));
    await expectUnavailable(dir, `sqlite://${text}`, { where: text, cause: /not an SQLite database/ });
  });
});

Deno.test("the default SQLite file that cannot be created names DATABASE_URL (unset) and the path", async () => {
  await withTempDir(async (dir) => {
    const env = envFor(dir, "", { EPIC_EVENTS_DATA_DIR: join(dir, "data") });
    delete (env as Record<string, string | undefined>).DATABASE_URL;
    await Deno.mkdir(join(dir, "data", "epic-events.db"), { recursive: true });
    const result = await runCli(["migrate", "status"], { env, cwd: dir });
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /DATABASE_URL unset/);
    assert.ok(result.stderr.includes(join(dir, "data", "epic-events.db")));
  });
});

Deno.test({
  name: "a read-only SQLite database: exit 7, nothing written",
  ignore: PERMISSIONS_APPLY === null,
  async fn() {
    await withTempDir(async (dir) => {
      const env = envFor(dir, `sqlite://${dir}/db/crm.db`);
      const init = await runCli(["migrate", "up"], { env, cwd: dir });
      assert.equal(init.code, 0, init.stderr);
      const before = Deno.readFileSync(`${dir}/db/crm.db`);
      // A read-only file in a read-only folder: what a read-only disk looks like to SQLite.
      Deno.chmodSync(`${dir}/db/crm.db`, 0o444);
      Deno.chmodSync(`${dir}/db`, 0o555);
      try {
        const init = ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace"];
        const result = await runChild([...init, "--password-stdin"], {
          env: { ...env, EPIC_EVENTS_TEST_MODE: "1", BCRYPT_ROUNDS: "4" },
          cwd: dir,
          stdin: "correct horse battery\n",
          permissionsApply: true,
        });
        assert.equal(result.code, 7, result.stderr);
        assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
        assert.match(result.stderr, /read-only/);
        assert.ok(result.stderr.includes(`${dir}/db/crm.db`));
      } finally {
        Deno.chmodSync(`${dir}/db`, 0o700);
        Deno.chmodSync(`${dir}/db/crm.db`, 0o600);
      }
      assert.deepEqual(Deno.readFileSync(`${dir}/db/crm.db`), before, "nothing written");
    });
  },
});

Deno.test("a full disk while writing SQLite is exit 7 'the disk is full', and the transaction is rolled back", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "full.db");
    const db = new SqliteDatabase(path);
    try {
      await db.execute("CREATE TABLE notes (body TEXT)");
      await db.execute("INSERT INTO notes VALUES ('kept')");
      // No more pages than the file has now: the next big write finds the "disk" full.
      const [{ page_count }] = await db.query<{ page_count: number }>("PRAGMA page_count");
      await db.query(`PRAGMA max_page_count = ${page_count}`);
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.execute("INSERT INTO notes VALUES ('small')");
          await tx.execute("INSERT INTO notes VALUES ($1)", ["x".repeat(200_000)]);
        }),
        (error: unknown) => {
          assert.ok(error instanceof UnavailableError, String(error));
          assert.equal(error.exitCode, 7);
          assert.equal(error.field, "DATABASE_URL");
          assert.match(error.message, /the disk is full/);
          assert.ok(error.message.includes(path));
          return true;
        },
      );
      assert.deepEqual((await db.query<{ body: string }>("SELECT body FROM notes")).map((r) => r.body), ["kept"]);
    } finally {
      await db.close();
    }
  });
});

/** Installs a trigger that runs `body` (PL/pgSQL) before each insert into clients. */
async function clientInsertTrigger(url: string, body: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`
      CREATE FUNCTION epic_test_trap() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NEW; END $$;
      CREATE TRIGGER epic_test_trap BEFORE INSERT ON clients FOR EACH ROW EXECUTE FUNCTION epic_test_trap();
    `);
  } finally {
    await sql.end();
  }
}

const CLIENT = [
  "client",
  "create",
  "--full-name",
  "Kim Doe",
  "--email",
  "kim@client.test",
  "--phone",
  "+33 1 23 45 67 89",
  "--company-name",
  "Kim & Co",
];

backendTest(
  "a query cancelled by the server (statement_timeout): one line, JSON with --json, nothing written",
  async (b) => {
    if (b.name === "sqlite") return; // A PostgreSQL server's doing.
    const crew = await setupCrew(b);
    await clientInsertTrigger(b.url, "PERFORM pg_sleep(5)");
    const url = new URL(b.url);
    url.searchParams.set("statement_timeout", "200");
    const env = { ...crew.sales.env, DATABASE_URL: url.toString() };
    for (const json of [false, true]) {
      const result = await runChild(json ? ["--json", ...CLIENT] : CLIENT, { env, cwd: b.dir });
      assert.equal(result.code, 7, result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
      assert.doesNotMatch(result.stderr, /Uncaught|\n\s+at /);
      assert.match(result.stderr, /statement timeout/);
      if (json) assert.equal(JSON.parse(result.stderr).error.code, "unavailable");
    }
    const db = await b.db();
    assert.deepEqual(await db.query("SELECT id FROM clients"), [], "nothing written");
  },
);

backendTest(
  "a connection ended by the server (pg_terminate_backend): one line, no 'Uncaught' stack trace",
  async (b) => {
    if (b.name === "sqlite") return; // A PostgreSQL server's doing.
    const crew = await setupCrew(b);
    // The backend serving the insert is terminated, as an administrator would.
    await clientInsertTrigger(b.url, "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(1)");
    for (const json of [false, true]) {
      const result = await runChild(json ? ["--json", ...CLIENT] : CLIENT, { env: crew.sales.env, cwd: b.dir });
      assert.equal(result.code, 7, result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
      assert.doesNotMatch(result.stderr, /Uncaught|TypeError|\n\s+at /);
      assert.match(result.stderr, /DATABASE_URL/);
      if (json) assert.equal(JSON.parse(result.stderr).error.code, "unavailable");
    }
    const db = await b.db();
    assert.deepEqual(await db.query("SELECT id FROM clients"), [], "nothing written");
  },
);

Deno.test("SQLite: waiting for another process's write lock does not block the event loop", async () => {
  // So that Ctrl-C (a signal listener) is handled while a write waits; the
  // write goes through once the lock is released.
  await withTempDir(async (dir) => {
    const path = join(dir, "locked.db");
    const db = new SqliteDatabase(path);
    await db.execute("CREATE TABLE notes (body TEXT)");
    const other = new DatabaseSync(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      let settled = false;
      const write = db.transaction((tx) => tx.execute("INSERT INTO notes VALUES ('mine')"))
        .finally(() => (settled = true));
      write.catch(() => {});
      // A timer runs while the write waits: with a blocking wait (busy_timeout),
      // it would only run once the write had given up.
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(settled, false, "the write is still waiting, and the event loop is not blocked");
      other.exec("COMMIT");
      await write;
    } finally {
      if (other.isTransaction) other.exec("ROLLBACK");
      other.close();
      await db.close();
    }
    const check = new DatabaseSync(path);
    assert.deepEqual(check.prepare("SELECT body FROM notes").all().map((r) => r.body), ["mine"]);
    check.close();
  });
});

Deno.test("driver errors that cannot be provoked on loopback are diagnosed too (unknown host, DNS, unreachable)", () => {
  // An unknown host would need a DNS query off this machine: the driver's
  // error objects are built here instead, as node:net reports them.
  const label = labelOf({ kind: "postgres", url: `postgres://epic:${PASSWORD}@db.invalid:6543/crm` }, 10);
  assert.equal(label.where, "db.invalid:6543");
  assert.equal(label.source, "DATABASE_URL=postgres://epic:***@db.invalid:6543/crm");
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND db.invalid" }, /unknown host/],
    [{ code: "EAI_AGAIN", message: "getaddrinfo EAI_AGAIN db.invalid" }, /could not be resolved/],
    [{ code: "EHOSTUNREACH", message: "connect EHOSTUNREACH" }, /host unreachable/],
    [{ code: "ENETUNREACH", message: "connect ENETUNREACH" }, /network unreachable/],
    [{ code: "CONNECT_TIMEOUT", message: "write CONNECT_TIMEOUT db.invalid:6543" }, /no answer within 10 s/],
    [{ code: "DEPTH_ZERO_SELF_SIGNED_CERT", message: "self-signed certificate" }, /TLS failure/],
    [
      { name: "PostgresError", code: "53300", severity: "FATAL", message: "sorry, too many clients already" },
      /too many/,
    ],
    [
      { name: "PostgresError", code: "53100", severity: "ERROR", message: "could not extend file: No space left" },
      /No space/,
    ],
    [{
      name: "PostgresError",
      code: "57P01",
      severity: "FATAL",
      message: "terminating connection due to administrator command",
    }, /administrator command/],
  ];
  for (const [error, cause] of cases) {
    const diagnosis = diagnosePostgres(error, label);
    assert.ok(diagnosis, JSON.stringify(error));
    const mapped = unavailable(label, diagnosis, error);
    assert.equal(mapped.exitCode, 7);
    assert.match(mapped.message, cause);
    assert.ok(mapped.message.includes("db.invalid:6543") && mapped.message.includes("DATABASE_URL="));
    assert.ok(!mapped.message.includes(PASSWORD));
  }
  // Not about reaching the server: left alone (a constraint, a bug).
  assert.equal(diagnosePostgres({ name: "PostgresError", code: "23505", severity: "ERROR" }, label), undefined);
  assert.equal(diagnosePostgres({ name: "PostgresError", code: "42703", severity: "ERROR" }, label), undefined);
  assert.equal(diagnosePostgres(new TypeError("x is undefined"), label), undefined);
  assert.equal(
    maskUrl("postgres://u:p@h/db?password=p2&sslmode=require"),
    "postgres://u:***@h/db?password=***&sslmode=require",
  );
});
