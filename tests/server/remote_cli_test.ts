/**
 * The CLI in server mode, as a collaborator uses it: `login --server`, the
 * same output as local mode in every format, refusals of unsafe or
 * unreachable servers, and the login throttle per client address.
 */
import assert from "node:assert/strict";
import { runCli } from "../support/cli.ts";
import { addPerson, initManager, loginAs, ok, PASSWORD, type Person, setupCrew } from "../support/fixtures.ts";
import { closedPort, startHangingServer } from "../observability/fake_sentry.ts";
import { operatorEnv, type RemoteBackend, remoteTest } from "../support/remote.ts";
import { serverEntry } from "../../src/security/token_store.ts";
import { storedToken } from "../support/tokens.ts";

/**
 * Runs the CLI as `person` on the database itself (local mode), as an operator
 * could, with the token the server issued (`EPIC_EVENTS_TOKEN`: the CLI keeps
 * it for the server's origin alone).
 */
async function local(
  b: RemoteBackend,
  person: Person,
  args: string[],
  options: { tty?: boolean; stdin?: string } = {},
) {
  const token = await storedToken(person.env.EPIC_EVENTS_CONFIG_DIR);
  return await runCli(args, {
    cwd: b.dir,
    ...options,
    env: { ...operatorEnv(b.serverEnv, person.env), EPIC_EVENTS_TOKEN: token, TZ: "UTC" },
  });
}

/** A token for servers that are not `epic-events serve`: the stored one is only sent to its own origin. */
const MADE_UP_TOKEN = "made.up.token";

function remote(person: Person, args: string[], options: { tty?: boolean; stdin?: string } = {}) {
  return person.cli(args, { ...options, env: { TZ: "UTC" } });
}

remoteTest("login --server is remembered next to the token; whoami shows it; no database or key is read", async (b) => {
  await initManager(b);
  const dir = `${b.dir}/laptop`;
  // A collaborator's laptop: no server configured yet, and stale database settings that must not matter.
  const env = {
    HOME: dir,
    EPIC_EVENTS_CONFIG_DIR: `${dir}/config`,
    EPIC_EVENTS_DATA_DIR: `${dir}/data`,
    EPIC_EVENTS_LOG_DIR: `${dir}/logs`,
    DATABASE_URL: "nonsense://not-a-database",
    SECRET_KEY: "short",
    NO_COLOR: "1",
  };
  const before = await runCli(["whoami"], { env, cwd: b.dir });
  assert.equal(before.code, 2, "without a server, the stale DATABASE_URL is refused");

  const url = b.servers[0].url;
  const login = await runCli(["login", "--server", url, "--email", "ada@epic.test", "--password-stdin"], {
    env: { ...env, TZ: "UTC" },
    cwd: b.dir,
    stdin: PASSWORD,
  });
  assert.equal(login.code, 0, login.stderr);
  assert.match(
    login.stderr,
    /^Logged in as Ada Lovelace \(Management\); the session expires at [\d-]+ [\d:]+ UTC\.\n$/,
  );
  const remembered = await Deno.stat(`${dir}/config/server`);
  assert.equal(remembered.mode! & 0o777, 0o600);
  assert.equal(await Deno.readTextFile(`${dir}/config/server`), `${url}\n`);

  const whoami = await runCli(["whoami", "--json"], { env, cwd: b.dir });
  assert.equal(whoami.code, 0, whoami.stderr);
  assert.deepEqual(
    Object.keys(whoami.json()),
    ["id", "email", "first_name", "last_name", "role", "expires_at", "server"],
  );
  assert.equal(whoami.json<{ server: string }>().server, url);
  const table = await runCli(["whoami"], { env, cwd: b.dir, tty: true });
  assert.match(table.stdout, new RegExp(`SERVER\\s+│?\\s*${url.replaceAll(".", "\\.")}`));
  await ok(runCli(["client", "list", "--json"], { env, cwd: b.dir }));

  // Operator commands need the database: refused in server mode, naming where the setting comes from.
  for (const args of [["init", "--email", "x@y.io"], ["migrate", "status"], ["serve"]]) {
    const refused = await runCli(args, { env, cwd: b.dir });
    assert.equal(refused.code, 2, `${args[0]}: ${refused.stderr}`);
    assert.match(refused.stderr, new RegExp(`^error: ${args[0]}.* needs the database, but this CLI uses the server`));
  }
  assert.ok(!(await exists(`${dir}/data`)), "no local database was created");

  const tokenPath = `${dir}/config/${serverEntry(new URL(url))}/token`;
  assert.ok(await exists(tokenPath), "the token is kept under the server's origin");
  const logout = await runCli(["logout"], { env, cwd: b.dir });
  assert.equal(logout.code, 0);
  assert.equal(logout.stderr, "Logged out.\n");
  assert.ok(!(await exists(tokenPath)));
  assert.ok(await exists(`${dir}/config/server`), "the server stays remembered");
  assert.equal((await runCli(["whoami"], { env, cwd: b.dir })).code, 3);
  // EPIC_EVENTS_SERVER wins over the remembered server.
  const other = await runCli(["whoami"], { env: { ...env, EPIC_EVENTS_SERVER: `http://127.0.0.1:${closedPort()}` } });
  assert.equal(other.code, 3, "not logged in: no request is even sent");
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

remoteTest("every read prints exactly what local mode prints, in every format, errors included", async (b) => {
  const crew = await setupCrew(b);
  const client = await ok<{ id: number }>(crew.sales.cli([
    "client",
    "create",
    "--full-name",
    "Kevin Casey",
    "--email",
    "kevin@startup.io",
    "--phone",
    "+678 123 456 78",
    "--company-name",
    'Cool, "Startup" LLC',
    "--json",
  ]));
  const contract = await ok<{ id: number }>(
    crew.sales.cli(["contract", "create", "--client", String(client.id), "--total", "12500.5", "--json"]),
  );
  await ok(crew.sales.cli(["contract", "sign", String(contract.id), "--json"]));
  const event = await ok<{ id: number }>(crew.sales.cli([
    "event",
    "create",
    "--contract",
    String(contract.id),
    "--name",
    'Launch, "the" party',
    "--client-contact",
    "Kevin",
    "--start-date",
    "2031-06-04T18:00:00Z",
    "--end-date",
    "2031-06-05T02:00:00Z",
    "--location",
    "Hall",
    "--attendees",
    "75",
    "--notes",
    "line one\nline two",
    "--json",
  ]));
  await ok(crew.manager.cli(["event", "assign", String(event.id), "--support", String(crew.support.id), "--json"]));

  const reads = [
    ["client", "list"],
    ["client", "list", "--mine", "--search", "kev"],
    ["client", "show", String(client.id)],
    ["contract", "list", "--unpaid"],
    ["contract", "show", String(contract.id)],
    ["event", "list", "--upcoming"],
    ["event", "show", String(event.id)],
    ["user", "list", "--limit", "3", "--offset", "1"],
    ["user", "show", String(crew.support.id)],
    ["audit", "list", "--entity", "contract"],
    ["client", "show", "999"],
    ["contract", "list", "--client", "0"],
    ["user", "delete", String(crew.sales.id)],
  ];
  const formats: Array<[string[], boolean]> = [[["--json"], false], [["--format", "csv"], false], [[], false], [
    [],
    true,
  ]];
  for (const who of [crew.sales, crew.manager]) {
    for (const args of reads) {
      for (const [format, tty] of formats) {
        const command = [...args, ...format];
        const here = await local(b, who, command, { tty });
        const there = await remote(who, command, { tty });
        const what = `${who.role} ${command.join(" ")}${tty ? " (terminal)" : ""}`;
        assert.equal(there.code, here.code, `${what}: exit code\n${there.stderr}`);
        assert.equal(there.stdout, here.stdout, `${what}: stdout`);
        assert.equal(there.stderr, here.stderr, `${what}: stderr`);
      }
    }
  }
});

remoteTest(
  "http:// is refused unless loopback, bad server URLs are exit 2, an unreachable server is exit 7",
  async (b) => {
    const crew = await setupCrew(b);
    const refused: Array<[Record<string, string>, string[], RegExp]> = [
      [
        { EPIC_EVENTS_SERVER: "http://192.0.2.10:8080" },
        ["client", "list"],
        /^error: EPIC_EVENTS_SERVER: plain http:\/\/ is only accepted for a loopback address .*use https:\/\/\n$/,
      ],
      [
        { EPIC_EVENTS_SERVER: "ftp://crm.example" },
        ["client", "list"],
        /EPIC_EVENTS_SERVER: must start with https:\/\//,
      ],
      [
        { EPIC_EVENTS_SERVER: "https://u:p@crm.example" },
        ["client", "list"],
        /must not contain a user name or password/,
      ],
      [{ EPIC_EVENTS_SERVER: "not a url" }, ["whoami"], /EPIC_EVENTS_SERVER: not a URL/],
      [
        {},
        ["login", "--server", "http://crm.example", "--email", "x@y.io", "--password-stdin"],
        /^error: --server: plain http:\/\//,
      ],
    ];
    for (const [env, args, message] of refused) {
      const result = await crew.sales.cli(args, { env, stdin: PASSWORD });
      assert.equal(result.code, 2, `${JSON.stringify(env)}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    const asJson = await crew.sales.cli(["client", "list", "--json"], {
      env: { EPIC_EVENTS_SERVER: "http://10.0.0.1" },
    });
    assert.equal(JSON.parse(asJson.stderr).error.field, "EPIC_EVENTS_SERVER");

    // Nothing listens: exit 7 at once, with the URL and the cause.
    const port = closedPort();
    for (const host of ["127.0.0.1", "localhost"]) {
      const closed = await crew.sales.cli(["client", "list"], {
        env: { EPIC_EVENTS_SERVER: `http://${host}:${port}`, EPIC_EVENTS_TOKEN: MADE_UP_TOKEN },
      });
      assert.equal(closed.code, 7, closed.stderr);
      assert.equal(closed.stderr, `error: Cannot reach the server at http://${host}:${port}: connection refused.\n`);
    }
    const closedJson = await crew.sales.cli(["client", "list", "--json"], {
      env: { EPIC_EVENTS_SERVER: `http://127.0.0.1:${port}`, EPIC_EVENTS_TOKEN: MADE_UP_TOKEN },
    });
    assert.equal(JSON.parse(closedJson.stderr).error.code, "unavailable");

    // A server that accepts and never answers: exit 7 after the time limit.
    const hanging = startHangingServer();
    try {
      const silent = await crew.sales.cli(["client", "list"], {
        env: {
          EPIC_EVENTS_SERVER: `http://127.0.0.1:${hanging.port}`,
          EPIC_EVENTS_SERVER_TIMEOUT: "1",
          EPIC_EVENTS_TOKEN: MADE_UP_TOKEN,
        },
      });
      assert.equal(silent.code, 7);
      assert.equal(silent.stderr, `error: The server at http://127.0.0.1:${hanging.port} did not answer within 1 s.\n`);
      const badTimeout = await crew.sales.cli(["client", "list"], {
        env: { EPIC_EVENTS_SERVER: `http://127.0.0.1:${hanging.port}`, EPIC_EVENTS_SERVER_TIMEOUT: "soon" },
      });
      assert.equal(badTimeout.code, 2);
      assert.match(badTimeout.stderr, /EPIC_EVENTS_SERVER_TIMEOUT: must be a whole number of seconds/);
    } finally {
      hanging.close();
    }
  },
);

/** A raw HTTP/1.1 server: a list broken off mid-body, a redirect, a proxy's 502, a foreign 404. */
function startOddServer(): { port: number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const encoder = new TextEncoder();
  const serveOne = async (conn: Deno.Conn) => {
    try {
      const buffer = new Uint8Array(8192);
      const read = await conn.read(buffer);
      const head = new TextDecoder().decode(buffer.subarray(0, read ?? 0));
      const path = head.split(" ")[1] ?? "";
      let answer: string;
      if (path.startsWith("/api/v1/clients")) {
        const chunk = '[\n{"id":1,"full_name":"A"},\n{"id":2,';
        answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n" +
          `${encoder.encode(chunk).length.toString(16)}\r\n${chunk}\r\n`; // and no final chunk
      } else if (path.startsWith("/api/v1/users")) {
        answer = `HTTP/1.1 301 Moved Permanently\r\nlocation: https://127.0.0.1:1${path}\r\n` +
          "content-length: 0\r\nconnection: close\r\n\r\n";
      } else {
        const [status, body] = path.startsWith("/api/v1/contracts")
          ? ["502 Bad Gateway", "<html>Bad Gateway</html>"]
          : ["404 Not Found", "<html>Not Found</html>"];
        answer = `HTTP/1.1 ${status}\r\ncontent-type: text/html\r\ncontent-length: ${body.length}\r\n` +
          `connection: close\r\n\r\n${body}`;
      }
      await conn.write(encoder.encode(answer));
    } catch {
      // the client went away
    } finally {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  };
  (async () => {
    try {
      for await (const conn of listener) serveOne(conn);
    } catch {
      // closed
    }
  })();
  return { port: (listener.addr as Deno.NetAddr).port, close: () => listener.close() };
}

remoteTest("a list the server breaks off, a redirect, a proxy's 502 and a foreign server are told apart", async (b) => {
  const crew = await setupCrew(b);
  const odd = startOddServer();
  try {
    const env = { EPIC_EVENTS_SERVER: `http://127.0.0.1:${odd.port}`, EPIC_EVENTS_TOKEN: MADE_UP_TOKEN };
    const broken = await crew.sales.cli(["client", "list", "--format", "csv"], { env });
    assert.equal(broken.code, 7, broken.stderr);
    assert.equal(
      broken.stderr,
      `error: The server at http://127.0.0.1:${odd.port} broke off the list: the connection was closed.\n`,
    );
    const gateway = await crew.sales.cli(["contract", "list"], { env });
    assert.equal(gateway.code, 7);
    assert.match(gateway.stderr, /answered 502 Bad Gateway\.\n$/);
    const moved = await crew.sales.cli(["user", "list"], { env });
    assert.equal(moved.code, 2, "a redirect is not followed (the token would go along)");
    assert.equal(
      moved.stderr,
      `error: The server at ${env.EPIC_EVENTS_SERVER} redirects to https://127.0.0.1:1: ` +
        "log in with --server https://127.0.0.1:1 (or set EPIC_EVENTS_SERVER to it).\n",
    );
    const foreign = await crew.sales.cli(["event", "list"], { env });
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /answered 404 Not Found, which is not an answer of epic-events serve/);
  } finally {
    odd.close();
  }
});

remoteTest("the login throttle also counts per client address, shared through the database", async (b) => {
  const manager = await initManager(b);
  const sales = await addPerson(manager, b, { first: "Sam", last: "Seller", email: "sam@epic.test", role: "SALES" });
  // Twenty failures from this address, each for a different email (no email reaches its own limit).
  for (let i = 0; i < 20; i++) {
    const failed = await b.cli(["login", "--email", `nobody${i}@epic.test`, "--password-stdin"], {
      stdin: "wrong" + i,
    });
    assert.equal(failed.code, 3);
    assert.equal(failed.stderr, "error: Invalid email or password.\n");
  }
  // Now even the right password is refused from this address, with the same message.
  const locked = await loginAs(b, sales).then(() => null, (error: Error) => error.message);
  assert.match(String(locked), /exit 3/);
  const again = await b.cli(["login", "--email", sales.email, "--password-stdin"], { stdin: PASSWORD });
  assert.equal(again.code, 3);
  assert.equal(again.stderr, "error: Invalid email or password.\n");
  // Sessions already open are not affected; the lock is in the audit trail.
  const audit = await ok<{ action: string; changes: Record<string, { new: unknown }> | null }[]>(
    manager.cli(["audit", "list", "--entity", "user", "--json"]),
  );
  assert.ok(audit.some((a) => a.action === "login.failed" && a.changes?.address_locked?.new === true));
  const db = await b.db();
  const row = await db.one<{ email: string }>("SELECT email FROM login_attempts WHERE email LIKE 'address:%'");
  assert.equal(row?.email, "address:127.0.0.1");
});
