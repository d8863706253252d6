/**
 * `epic-events serve` as an operator runs it: refusal with pending
 * migrations, readiness, bad flags, and a graceful shutdown that loses none
 * of the requests it accepted.
 */
import assert from "node:assert/strict";
import { migrateDown, migrateUp } from "../../src/db/migrator.ts";
import { MIGRATIONS } from "../../migrations/mod.ts";
import { addPerson, initManager, PASSWORD } from "../support/fixtures.ts";
import { spawnCli } from "../support/cli.ts";
import { api } from "../support/http.ts";
import { createRemoteBackend, remoteTest, startServe } from "../support/remote.ts";
import { storedToken } from "../support/tokens.ts";
import { makeTestCa } from "../support/tls.ts";

remoteTest(
  "serve refuses to start with pending migrations (exit 6); readyz says 503 until they are applied",
  async (b) => {
    const db = await b.db();
    await migrateDown(db, { to: "0002", migrations: MIGRATIONS });
    const base = b.servers[0].url;
    const health = await api(base, "GET", "/healthz");
    assert.equal(health.status, 200, "alive, whatever the database");
    const notReady = await api(base, "GET", "/readyz");
    assert.equal(notReady.status, 503);
    assert.deepEqual(notReady.json(), {
      error: {
        code: "conflict",
        message: `The database has ${MIGRATIONS.filter((m) => m.version > "0002").length} pending migration(s).`,
      },
    });
    assert.equal(notReady.headers.get("cache-control"), "no-store");

    const refused = await spawnCli(["serve", "--listen", "127.0.0.1:0"], { env: b.serverEnv, cwd: b.dir });
    assert.equal(refused.code, 6);
    assert.equal(refused.stdout, "", "no listening line");
    const pending = MIGRATIONS.filter((m) => m.version > "0002").map((m) => `${m.version}_${m.name}`);
    assert.equal(
      refused.stderr,
      `error: The database has ${pending.length} pending migration(s) (${
        pending.join(", ")
      }): run \`epic-events migrate up\`.\n`,
    );

    await migrateUp(db, { migrations: MIGRATIONS });
    assert.equal((await api(base, "GET", "/readyz")).status, 200);
  },
);

remoteTest("bad serve flags are exit 2 naming the flag; a port in use is exit 7", async (b) => {
  const cases: Array<[string[], Record<string, string>, number, RegExp]> = [
    [["--listen", "8080"], {}, 2, /^error: --listen: expected HOST:PORT, e\.g\. 127\.0\.0\.1:8080 or \[::1\]:8080\n$/],
    [[], { EPIC_EVENTS_LISTEN: "127.0.0.1:99999" }, 2, /^error: EPIC_EVENTS_LISTEN: expected HOST:PORT/],
    [["--tls-cert", `${b.dir}/cert.pem`], {}, 2, /^error: --tls-key: --tls-cert and --tls-key go together/],
    [
      ["--tls-cert", `${b.dir}/no.pem`, "--tls-key", `${b.dir}/no.key`],
      {},
      2,
      /^error: --tls-cert: cannot read .*no\.pem: no such file\n$/,
    ],
    [
      [],
      { EPIC_EVENTS_REQUEST_TIMEOUT: "0" },
      2,
      /^error: EPIC_EVENTS_REQUEST_TIMEOUT: must be a whole number of seconds/,
    ],
    [["--listen", new URL(b.servers[0].url).host], {}, 7, /^error: Cannot listen on 127\.0\.0\.1:\d+: /],
  ];
  for (const [args, env, code, message] of cases) {
    const result = await spawnCli(["serve", ...args], { env: { ...b.serverEnv, ...env }, cwd: b.dir });
    assert.equal(result.code, code, `${args.join(" ")} ${JSON.stringify(env)}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, "");
  }
});

Deno.test({
  name:
    "SIGTERM during a burst of requests: every accepted request is answered and kept, then the server exits 0 [remote]",
  ignore: !Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL"),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // Collaborators' passwords hashed at cost 11 on the server make each login take a while.
    const b = await createRemoteBackend({ serverEnv: { BCRYPT_ROUNDS: "11" } });
    try {
      const manager = await initManager(b);
      const sales = await addPerson(manager, b, {
        first: "Sam",
        last: "Seller",
        email: "sam@epic.test",
        role: "SALES",
      });
      const token = await storedToken(sales.env.EPIC_EVENTS_CONFIG_DIR);
      const server = b.servers[0];
      // A new connection for every request: none is sent on a connection the server is closing.
      const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
      type Outcome = { kind: "login" | "create"; status: number | "refused"; id?: number };
      let sigtermSent = false;
      let answeredAfterSigterm = 0;
      const send = async (kind: Outcome["kind"], i: number): Promise<Outcome> => {
        try {
          const response = await fetch(`${server.url}${kind === "login" ? "/api/v1/sessions" : "/api/v1/clients"}`, {
            method: "POST",
            client,
            headers: {
              "content-type": "application/json",
              ...(kind === "create" ? { authorization: `Bearer ${token}` } : {}),
            },
            body: JSON.stringify(
              kind === "login"
                ? { email: sales.email, password: PASSWORD }
                : { full_name: `Client ${i}`, email: `c${i}@burst.io`, phone: "12345", company_name: "Burst" },
            ),
            signal: AbortSignal.timeout(30_000),
          });
          const body = await response.json();
          if (sigtermSent) answeredAfterSigterm++;
          return { kind, status: response.status, id: body.id ?? body.user?.id };
        } catch {
          return { kind, status: "refused" };
        }
      };
      const requests: Promise<Outcome>[] = [];
      // Four logins: fewer than the login throttle's budget of parallel password
      // checks for one email (5), so none is refused for that reason.
      for (let i = 0; i < 24; i++) requests.push(send(i % 6 === 0 ? "login" : "create", i));
      // SIGTERM as soon as the first answer is in: the slower logins are still being worked on.
      await Promise.race(requests);
      const stopping = server.stop({ signal: "SIGTERM", timeoutMs: 20_000 });
      sigtermSent = true;
      const outcomes = await Promise.all(requests);
      const { code, stderr } = await stopping;
      client.close();

      assert.equal(code, 0, `serve exits 0 after a graceful shutdown: ${stderr}`);
      assert.equal(stderr, "");
      const errorLog = () => Deno.readTextFile(`${b.serverLogDir}/error.log`).catch(() => "(no error log)");
      for (const o of outcomes) {
        if (o.status !== "refused" && o.status !== 201) {
          assert.fail(`${o.kind}: answered ${o.status}; the server's error log:\n${await errorLog()}`);
        }
      }
      const logins = outcomes.filter((o) => o.kind === "login" && o.status === 201).length;
      const creates = outcomes.filter((o) => o.kind === "create" && o.status === 201);
      assert.ok(logins + creates.length > 0);
      assert.ok(answeredAfterSigterm > 0, "requests in flight at SIGTERM were finished and answered");
      // Nothing was done without an answer, nor answered without being done.
      const db = await b.db();
      const clients = await db.query<{ id: number }>("SELECT id FROM clients ORDER BY id");
      assert.deepEqual(clients.map((c) => c.id), creates.map((c) => c.id!).sort((x, y) => x - y));
      const audited = await db.query("SELECT id FROM audit_log WHERE action = 'login' AND actor_id = $1", [sales.id]);
      assert.equal(audited.length, logins + 1, "one audit row per answered login (plus the fixture's)");
      // Stopped: new connections are refused.
      await assert.rejects(fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5_000) }));
    } finally {
      await b.dispose();
    }
  },
});

remoteTest("HTTPS with its own certificate; the CLI trusts a private CA with EPIC_EVENTS_CA_CERT", async (b) => {
  const dir = `${b.dir}/tls`;
  const tls = await makeTestCa(dir);
  // The certificate and key from the environment this time (the flags are tested above).
  const https = await startServe(
    { ...b.serverEnv, EPIC_EVENTS_TLS_CERT: tls.cert, EPIC_EVENTS_TLS_KEY: tls.key },
    { cwd: b.dir },
  );
  b.servers.push(https);
  assert.match(https.url, /^https:\/\/127\.0\.0\.1:\d+$/);

  const manager = await initManager(b);
  const trusted = { EPIC_EVENTS_SERVER: https.url, EPIC_EVENTS_CA_CERT: tls.ca };
  const login = await manager.cli(["login", "--email", manager.email, "--password-stdin"], {
    env: trusted,
    stdin: PASSWORD,
  });
  assert.equal(login.code, 0, login.stderr);
  const whoami = await manager.cli(["whoami", "--json"], { env: trusted });
  assert.equal(whoami.code, 0, whoami.stderr);
  assert.equal(whoami.json<{ server: string }>().server, https.url);

  const untrusted = await manager.cli(["whoami"], { env: { EPIC_EVENTS_SERVER: https.url } });
  assert.equal(untrusted.code, 7);
  assert.match(
    untrusted.stderr,
    new RegExp(
      `^error: Cannot reach the server at ${https.url}: its TLS certificate is not trusted.*EPIC_EVENTS_CA_CERT`,
    ),
  );
  const missing = await manager.cli(["whoami"], { env: { ...trusted, EPIC_EVENTS_CA_CERT: `${dir}/nope.pem` } });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: EPIC_EVENTS_CA_CERT: cannot read .*nope\.pem: no such file\n$/);
  const notPem = await manager.cli(["whoami"], { env: { ...trusted, EPIC_EVENTS_CA_CERT: tls.notPem } });
  assert.equal(notPem.code, 2);
  assert.match(notPem.stderr, /holds no PEM certificate/);
  // Plain HTTP to the TLS port gets no answer the CLI could mistake for the API.
  const plain = await manager.cli(["whoami"], {
    env: {
      EPIC_EVENTS_SERVER: https.url.replace("https:", "http:"),
      EPIC_EVENTS_SERVER_TIMEOUT: "2",
      // Another origin: the stored token is not sent there; a made-up one is.
      EPIC_EVENTS_TOKEN: "made.up.token",
    },
  });
  assert.ok(plain.code === 7 || plain.code === 1, plain.stderr);
});

remoteTest(
  "a request that takes longer than EPIC_EVENTS_REQUEST_TIMEOUT is answered 503 and the CLI exits 7",
  async (b) => {
    const manager = await initManager(b);
    const server = await startServe({ ...b.serverEnv, EPIC_EVENTS_REQUEST_TIMEOUT: "1" }, { cwd: b.dir });
    b.servers.push(server);
    const token = await storedToken(manager.env.EPIC_EVENTS_CONFIG_DIR);
    const db = await b.db();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    // Another session holds the clients table: reads of it wait.
    const holder = db.transaction(async (tx) => {
      await tx.execute("LOCK TABLE clients IN ACCESS EXCLUSIVE MODE");
      locked();
      await held;
    });
    try {
      await lockTaken;
      const slow = await api(server.url, "GET", "/api/v1/clients", { token });
      assert.equal(slow.status, 503);
      assert.deepEqual(slow.json(), {
        error: {
          code: "unavailable",
          message:
            "The server did not finish the request within 1 s; a change may still be applied: check before retrying it.",
        },
      });
      const viaCli = await manager.cli(["client", "list"], {
        env: { EPIC_EVENTS_SERVER: server.url, EPIC_EVENTS_TOKEN: token },
      });
      assert.equal(viaCli.code, 7);
      assert.match(viaCli.stderr, /^error: The server did not finish the request within 1 s/);
      // A body that never comes is cut off the same way.
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(server.url).port) });
      const request = "POST /api/v1/clients HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n" +
        `authorization: Bearer ${token}\r\ncontent-length: 100\r\n\r\n{"full_name":`;
      await conn.write(new TextEncoder().encode(request));
      const buffer = new Uint8Array(4096);
      const read = await conn.read(buffer);
      conn.close();
      assert.match(new TextDecoder().decode(buffer.subarray(0, read ?? 0)), /^HTTP\/1\.1 503 /);
    } finally {
      release();
      await holder;
    }
    assert.equal((await api(server.url, "GET", "/healthz")).status, 200);
  },
);
