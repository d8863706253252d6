/**
 * Two `serve` processes behind a real nginx (Debian's package), configured
 * with docs/server.md's own snippet (only its addresses, ports and
 * certificate replaced), with `EPIC_EVENTS_TRUSTED_PROXY`: the login throttle
 * sees each client's real address through the proxy whichever server answers,
 * and an `X-Forwarded-For` sent by a client neither unlocks it nor locks
 * anyone else. Clients are told apart by their loopback source address
 * (127.0.0.2, 127.0.0.3 …). nginx runs in a folder of its own (config, pid,
 * logs, temp files), in the foreground, on loopback.
 *
 * Skipped, with a line saying so, when nginx is not installed, except under
 * CI=true (where .ci/run installs it); needs PostgreSQL (the servers share
 * its throttle).
 * @module
 */
import assert from "node:assert/strict";
import https from "node:https";
import { join } from "node:path";
import { createBackend, TEST_SECRET_KEY } from "../support/backends.ts";
import { runCli } from "../support/cli.ts";
import { codeBlocks } from "../support/markdown.ts";
import { type ServeProcess, startServe } from "../support/remote.ts";
import { makeTestCa } from "../support/tls.ts";
import { ADDRESS_MAX_FAILURES } from "../../src/services/address_throttle.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"].find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});
const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");
const IN_CI = Deno.env.get("CI") === "true";
const PASSWORD = "correct horse battery";

function skipReason(): string | undefined {
  if (!NGINX) {
    if (IN_CI) throw new Error("CI=true but nginx is not installed (.ci/run installs Debian's nginx)");
    return "nginx is not installed (apt-get install nginx)";
  }
  if (!PG_URL) {
    if (IN_CI) throw new Error("CI=true but EPIC_EVENTS_TEST_POSTGRES_URL is not set");
    return "EPIC_EVENTS_TEST_POSTGRES_URL is unset";
  }
  return undefined;
}
const SKIP = skipReason();
if (SKIP) console.error(`note: the reverse-proxy test is skipped: ${SKIP}.`);

/** docs/server.md's nginx configuration, for this machine: each replacement must match exactly once. */
export async function nginxSite(replace: Record<string, string>): Promise<string> {
  const blocks = codeBlocks("docs/server.md", await Deno.readTextFile(join(ROOT, "docs/server.md")))
    .filter((b) => b.lang === "nginx");
  assert.equal(blocks.length, 1, "docs/server.md has one nginx block");
  let site = blocks[0].body;
  for (const [from, to] of Object.entries(replace)) {
    assert.equal(site.split(from).length - 1, 1, `docs/server.md's nginx block no longer has "${from}" once`);
    site = site.replace(from, to);
  }
  return site;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

interface Answer {
  status: number;
  body: string;
}

/** A request to the proxy from the loopback address `from`, trusting the test's certificate. */
function request(
  port: number,
  ca: string,
  from: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = https.request({
      host: "127.0.0.1",
      port,
      method,
      path,
      ca,
      localAddress: from,
      agent: false,
      headers: { ...(body ? { "content-type": "application/json" } : {}), ...options.headers },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
    req.end(body);
  });
}

Deno.test({
  name: "two servers behind nginx: the login throttle sees each client's real address, never a forged one",
  ignore: SKIP !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const pg = await createBackend("postgres");
    const dir = pg.dir;
    const servers: ServeProcess[] = [];
    let nginx: Deno.ChildProcess | undefined;
    try {
      const init = await runCli(
        ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"],
        { env: pg.env, cwd: dir, stdin: PASSWORD },
      );
      assert.equal(init.code, 0, init.stderr);
      for (const name of ["a", "b"]) {
        servers.push(
          await startServe(
            {
              ...pg.env,
              SECRET_KEY: TEST_SECRET_KEY,
              EPIC_EVENTS_TRUSTED_PROXY: "127.0.0.1",
              EPIC_EVENTS_LOG_DIR: join(dir, `logs-${name}`),
            },
            { cwd: dir },
          ),
        );
      }
      const [a, b] = servers.map((s) => new URL(s.url).host);

      // A private CA's certificate for 127.0.0.1, and nginx in a folder of its own.
      const prefix = join(dir, "nginx");
      await Deno.mkdir(join(prefix, "temp"), { recursive: true });
      const { ca: caFile, cert, key } = await makeTestCa(prefix);
      const port = freePort();
      const site = await nginxSite({
        "listen 443 ssl;": `listen 127.0.0.1:${port} ssl;`,
        "server 127.0.0.1:8080;": `server ${a};`,
        "server 127.0.0.1:8081;": `server ${b};`,
        "/etc/letsencrypt/live/crm.example.com/fullchain.pem": cert,
        "/etc/letsencrypt/live/crm.example.com/privkey.pem": key,
      });
      await Deno.writeTextFile(join(prefix, "site.conf"), site);
      const temp = (name: string) => `${name}_temp_path ${join(prefix, "temp", name)};`;
      await Deno.writeTextFile(
        join(prefix, "nginx.conf"),
        [
          "daemon off;",
          "worker_processes 1;",
          `pid ${join(prefix, "nginx.pid")};`,
          `error_log ${join(prefix, "error.log")} warn;`,
          "events { worker_connections 64; }",
          "http {",
          `  access_log ${join(prefix, "access.log")};`,
          ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((n) => `  ${temp(n)}`),
          `  include ${join(prefix, "site.conf")};`,
          "}",
        ].join("\n") + "\n",
      );
      nginx = new Deno.Command(NGINX!, {
        args: ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log")],
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      const ca = await Deno.readTextFile(caFile);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ready = await request(port, ca, "127.0.0.1", "GET", "/readyz").catch(() => undefined);
        if (ready?.status === 200) break;
        if (Date.now() > deadline) {
          throw new Error(
            `nginx did not answer: ${await Deno.readTextFile(join(prefix, "error.log")).catch(() => "")}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }

      const login = (from: string, email: string, password: string, headers?: Record<string, string>) =>
        request(port, ca, from, "POST", "/api/v1/sessions", { body: { email, password }, headers });
      const fail = async (from: string, headers?: Record<string, string>) => {
        for (let i = 0; i < ADDRESS_MAX_FAILURES; i++) {
          // A new email each time: the email throttle (5 failures) stays out of it.
          const answer = await login(from, `guess-${from}-${i}@epic.test`, "wrong password", headers);
          assert.equal(answer.status, 401, answer.body);
        }
      };

      // 127.0.0.2 fails its way to a lock, its guesses spread over both servers.
      await fail("127.0.0.2");
      const locked = await login("127.0.0.2", "ada@epic.test", PASSWORD);
      assert.equal(locked.status, 401, "the right password from a locked address is refused");
      assert.deepEqual(JSON.parse(locked.body).error.code, "not_authenticated");
      const other = await login("127.0.0.3", "ada@epic.test", PASSWORD);
      assert.equal(other.status, 201, `another address is not locked: ${other.body}`);
      for (const [name, server] of [["a", a], ["b", b]]) {
        const log = await Deno.readTextFile(join(dir, `logs-${name}`, "info.log"));
        const answered = log.split("\n").filter((l) => /path=\/api\/v1\/sessions status=401/.test(l)).length;
        assert.ok(answered >= 5, `server ${name} (${server}) answered only ${answered} failed logins`);
      }

      // A forged X-Forwarded-For does not unlock the locked address …
      const forged = await login("127.0.0.2", "ada@epic.test", PASSWORD, { "X-Forwarded-For": "127.0.0.3" });
      assert.equal(forged.status, 401, "a client's own X-Forwarded-For is not believed");
      // … nor lay the failures at someone else's door: 127.0.0.4 locks itself, not 127.0.0.5.
      await fail("127.0.0.4", { "X-Forwarded-For": "127.0.0.5" });
      assert.equal((await login("127.0.0.5", "ada@epic.test", PASSWORD)).status, 201, "127.0.0.5 was not locked");
      assert.equal((await login("127.0.0.4", "ada@epic.test", PASSWORD)).status, 401, "127.0.0.4 locked itself");
      assert.equal(
        (await login("127.0.0.6", "ada@epic.test", PASSWORD, { "X-Forwarded-For": "127.0.0.4" })).status,
        201,
        "naming a locked address in the header does not lock the sender out",
      );

      // The CLI works through the proxy too: login, then a streamed list.
      const cliEnv = {
        ...pg.env,
        DATABASE_URL: undefined,
        SECRET_KEY: undefined,
        EPIC_EVENTS_CA_CERT: caFile,
        EPIC_EVENTS_SERVER: `https://127.0.0.1:${port}`,
      };
      const cliLogin = await runCli(["login", "--email", "ada@epic.test", "--password-stdin"], {
        env: cliEnv,
        cwd: dir,
        stdin: PASSWORD,
      });
      assert.equal(cliLogin.code, 0, cliLogin.stderr);
      const users = await runCli(["user", "list", "--json"], { env: cliEnv, cwd: dir });
      assert.equal(users.code, 0, users.stderr);
      assert.deepEqual(users.json<{ email: string }[]>().map((u) => u.email), ["ada@epic.test"]);
    } finally {
      if (nginx) {
        try {
          nginx.kill("SIGQUIT");
        } catch {
          // already gone
        }
        await nginx.output();
      }
      for (const server of servers) await server.stop();
      await pg.dispose();
    }
  },
});
