/**
 * Issue 16, point 1, and issue 20, in server mode: a token is kept for the
 * server origin that issued it and sent to no other; the single token file of
 * older versions is adopted only by the server the user remembered;
 * `login --server URL --ca-cert FILE` keeps a copy of the CA, so that later
 * commands trust the server without `EPIC_EVENTS_CA_CERT`; on a terminal,
 * login says where the password goes before asking for it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { localTime } from "../../src/cli/output/formats.ts";
import { serverEntry } from "../../src/security/token_store.ts";
import { runCli } from "../support/cli.ts";
import { initManager, ok, PASSWORD } from "../support/fixtures.ts";
import { startInTerminal } from "../support/pty.ts";
import { startRecorder } from "../support/recorder.ts";
import { type RemoteBackend, remoteTest, startServe } from "../support/remote.ts";
import { makeTestCa } from "../support/tls.ts";
import { storedToken, tokenEntries } from "../support/tokens.ts";

const NOT_LOGGED_IN = "error: Not logged in: run `epic-events login`.\n";

/** A collaborator's laptop in `b.dir`: its own home, config, logs; no server configured. */
function laptop(b: RemoteBackend, name: string): { dir: string; config: string; env: Record<string, string> } {
  const dir = join(b.dir, name);
  const config = join(dir, "config");
  return {
    dir,
    config,
    env: { HOME: dir, EPIC_EVENTS_CONFIG_DIR: config, EPIC_EVENTS_LOG_DIR: join(dir, "logs"), NO_COLOR: "1" },
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

remoteTest("a token is sent only to the origin that issued it; each origin keeps its own", async (b) => {
  const manager = await initManager(b);
  // The CLI's server (through the contract proxy), and the server itself under another name.
  const server = b.env.EPIC_EVENTS_SERVER;
  const recorder = startRecorder();
  try {
    // Another server named in the environment has no token of ours: nothing is sent, not even a connection.
    for (const args of [["whoami"], ["client", "list"]]) {
      const there = await manager.cli(args, { env: { EPIC_EVENTS_SERVER: recorder.url } });
      assert.equal(there.code, 3, there.stderr);
      assert.equal(there.stderr, NOT_LOGGED_IN);
    }
    const logout = await manager.cli(["logout"], { env: { EPIC_EVENTS_SERVER: recorder.url } });
    assert.equal(logout.stderr, "Not logged in.\n");
    assert.equal(recorder.connections(), 0, `received: ${recorder.text()}`);
    await ok(manager.cli(["whoami"]));

    // The same server by another name is another origin: it gets its own login, and both stay valid.
    const alias = b.servers[0].url.replace("127.0.0.1", "localhost");
    const env = { EPIC_EVENTS_SERVER: alias };
    assert.equal((await manager.cli(["whoami"], { env })).stderr, NOT_LOGGED_IN);
    await ok(manager.cli(["login", "--email", manager.email, "--password-stdin"], { env, stdin: PASSWORD }));
    assert.deepEqual(
      (await tokenEntries(manager.env.EPIC_EVENTS_CONFIG_DIR)).map((e) => e.split("/").slice(-2).join("/")),
      [serverEntry(new URL(server)), serverEntry(new URL(alias))],
    );
    await ok(manager.cli(["logout"], { env }));
    assert.equal((await manager.cli(["whoami"], { env })).stderr, NOT_LOGGED_IN);
    await ok(manager.cli(["whoami"]));
  } finally {
    recorder.close();
  }
});

remoteTest(
  "upgrade: the token file of older versions goes to the remembered server only, never anywhere new",
  async (b) => {
    const manager = await initManager(b);
    const server = b.servers[0].url;
    const token = await storedToken(manager.env.EPIC_EVENTS_CONFIG_DIR);
    const recorder = startRecorder();
    try {
      // As an older version left it after `login --server`: <config>/server and <config>/token.
      const old = laptop(b, "remembered");
      await Deno.mkdir(old.config, { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(join(old.config, "server"), `${server}\n`, { mode: 0o600 });
      await Deno.writeTextFile(join(old.config, "token"), `${token}\n`, { mode: 0o600 });

      const elsewhere = await runCli(["whoami"], {
        env: { ...old.env, EPIC_EVENTS_SERVER: recorder.url },
        cwd: old.dir,
      });
      assert.equal(elsewhere.stderr, NOT_LOGGED_IN, "another server named for one command does not get it");
      assert.equal(recorder.connections(), 0, `received: ${recorder.text()}`);
      assert.ok(await exists(join(old.config, "token")));

      const who = await runCli(["whoami", "--json"], { env: old.env, cwd: old.dir });
      assert.equal(who.code, 0, who.stderr);
      assert.equal(who.json<{ email: string; server: string }>().server, server);
      assert.equal(await exists(join(old.config, "token")), false, "moved, not copied");
      const moved = join(old.config, serverEntry(new URL(server)), "token");
      assert.equal((await Deno.readTextFile(moved)).trim(), token);
      assert.equal((await Deno.stat(moved)).mode! & 0o777, 0o600);
      assert.equal((await runCli(["whoami"], { env: old.env, cwd: old.dir })).code, 0);

      // Without a remembered server nobody knows who issued it: it is sent nowhere, not even back to its server.
      const unknown = laptop(b, "unknown");
      await Deno.mkdir(unknown.config, { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(join(unknown.config, "token"), `${token}\n`, { mode: 0o600 });
      for (const url of [recorder.url, server]) {
        const result = await runCli(["whoami"], { env: { ...unknown.env, EPIC_EVENTS_SERVER: url }, cwd: unknown.dir });
        assert.equal(result.stderr, NOT_LOGGED_IN, url);
      }
      assert.equal(recorder.connections(), 0, `received: ${recorder.text()}`);
      assert.ok(await exists(join(unknown.config, "token")), "left for the user to delete or log out of");
    } finally {
      recorder.close();
    }
  },
);

remoteTest(
  "login --server URL --ca-cert FILE keeps a copy of the CA: later commands trust the server without EPIC_EVENTS_CA_CERT",
  async (b) => {
    await initManager(b);
    const tls = await makeTestCa(join(b.dir, "tls"));
    const https = await startServe({ ...b.serverEnv, EPIC_EVENTS_TLS_CERT: tls.cert, EPIC_EVENTS_TLS_KEY: tls.key }, {
      cwd: b.dir,
    });
    b.servers.push(https);
    const user = laptop(b, "tls-laptop");
    await Deno.mkdir(user.dir, { recursive: true });
    const downloaded = join(user.dir, "company-ca.pem");
    await Deno.copyFile(tls.ca, downloaded);
    const login = (args: string[]) =>
      runCli(["login", "--server", https.url, ...args, "--email", "ada@epic.test", "--password-stdin"], {
        env: { ...user.env, TZ: "Europe/Paris" },
        cwd: user.dir,
        stdin: PASSWORD,
      });

    const notPem = await login(["--ca-cert", tls.notPem]);
    assert.equal(notPem.code, 2);
    assert.match(notPem.stderr, /^error: --ca-cert: .* holds no PEM certificate/);
    const untrusted = await login([]);
    assert.equal(untrusted.code, 7);
    assert.match(untrusted.stderr, /its TLS certificate is not trusted/);
    assert.equal(await exists(join(user.config, "server")), false, "nothing remembered by a failed login");

    const logged = await login(["--ca-cert", downloaded]);
    assert.equal(logged.code, 0, logged.stderr);
    const kept = join(user.config, serverEntry(new URL(https.url)), "ca.pem");
    assert.equal(await Deno.readTextFile(kept), await Deno.readTextFile(tls.ca));
    assert.equal((await Deno.stat(kept)).mode! & 0o777, 0o600);

    // The downloaded file is gone: the copy is what is trusted.
    await Deno.remove(downloaded);
    const who = await runCli(["whoami", "--json"], { env: user.env, cwd: user.dir });
    assert.equal(who.code, 0, who.stderr);
    const me = who.json<{ server: string; expires_at: string }>();
    assert.equal(me.server, https.url);
    // login said the expiry in local time, the time whoami shows.
    assert.equal(
      logged.stderr,
      `Logged in as Ada Lovelace (Management); the session expires at ${localTime(me.expires_at, "Europe/Paris")}.\n`,
    );
    await ok(runCli(["client", "list"], { env: user.env, cwd: user.dir }));

    // --ca-cert goes with --server.
    const alone = await runCli(["login", "--ca-cert", tls.ca, "--email", "ada@epic.test", "--password-stdin"], {
      env: user.env,
      cwd: user.dir,
      stdin: PASSWORD,
    });
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /^error: --ca-cert: goes with --server/);
  },
);

remoteTest("on a terminal, login --server says where the password goes before asking for it", async (b) => {
  await initManager(b);
  const user = laptop(b, "pty-laptop");
  await Deno.mkdir(user.dir, { recursive: true });
  const server = b.servers[0].url;
  const term = await startInTerminal(["login", "--server", server], user.env, user.dir);
  try {
    await term.waitFor(/Email/);
    await term.type("ada@epic.test");
    await term.press("Enter");
    const screen = await term.waitFor(/Password/);
    const where = `Logging in to ${server} as ada@epic.test.`;
    assert.ok(screen.includes(where), screen);
    assert.ok(screen.indexOf(where) < screen.lastIndexOf("Password"), "said before the password is asked");
    await term.type(PASSWORD);
    await term.press("Enter");
    assert.equal(await term.exitCode(), 0, await term.screen());
  } finally {
    await term.close();
  }
});
