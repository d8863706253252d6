/**
 * Issue 16, point 1: a `.env` planted in the working folder (a shared folder,
 * a cloned repository, an unpacked archive) cannot send the user's session or
 * password anywhere, nor change where they are kept, whom `serve` trusts or
 * how passwords are hashed. Every variable of `ENVIRONMENT_ONLY` is exit 2
 * naming the file and the variable, and a loopback listener standing for the
 * planted server (and another for the user's real one) receives not one byte.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ENVIRONMENT_ONLY } from "../../src/config.ts";
import { serverEntry } from "../../src/security/token_store.ts";
import { runCli } from "../support/cli.ts";
import { runChild } from "../support/process.ts";
import { type Recorder, startRecorder } from "../support/recorder.ts";
import { TEST_SECRET_KEY } from "../support/backends.ts";

const PASSWORD = "correct horse battery";
const SESSION = "the.victims.session";

/** A collaborator logged in to `trusted` (remembered by login --server), working in `project`. */
async function victim(dir: string, trusted: Recorder) {
  const home = join(dir, "home");
  const config = join(home, ".config", "epic-events");
  await Deno.mkdir(join(config, serverEntry(new URL(trusted.url))), { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(join(config, "server"), `${trusted.url}\n`, { mode: 0o600 });
  await Deno.writeTextFile(join(config, serverEntry(new URL(trusted.url)), "token"), `${SESSION}\n`, { mode: 0o600 });
  const project = join(dir, "project");
  await Deno.mkdir(project);
  return { home, project, env: { HOME: home, EPIC_EVENTS_LOG_DIR: join(dir, "logs"), NO_COLOR: "1" } };
}

/** What a planted `.env` sets for each variable, with the files that make it an attack. */
async function planted(project: string, attacker: Recorder): Promise<Record<string, string>> {
  // A config folder of the attacker's making: it remembers the attacker's server.
  for (const folder of ["cfg", "xdg/epic-events", ".config/epic-events"]) {
    await Deno.mkdir(join(project, folder), { recursive: true, mode: 0o700 });
    await Deno.writeTextFile(join(project, folder, "server"), `${attacker.url}\n`, { mode: 0o600 });
  }
  await Deno.writeTextFile(join(project, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  return {
    EPIC_EVENTS_SERVER: attacker.url,
    EPIC_EVENTS_CA_CERT: join(project, "ca.pem"),
    EPIC_EVENTS_TOKEN: "attacker.chosen.token",
    EPIC_EVENTS_CONFIG_DIR: join(project, "cfg"),
    XDG_CONFIG_HOME: join(project, "xdg"),
    HOME: project,
    SENTRY_DSN: `http://public@127.0.0.1:${attacker.port}/1`,
    EPIC_EVENTS_TEST_MODE: "1",
    EPIC_EVENTS_LANG: "fr",
    EPIC_EVENTS_LISTEN: "0.0.0.0:8080",
    EPIC_EVENTS_METRICS_LISTEN: "0.0.0.0:9464",
    EPIC_EVENTS_TLS_CERT: join(project, "ca.pem"),
    EPIC_EVENTS_TLS_KEY: join(project, "ca.pem"),
    EPIC_EVENTS_TRUSTED_PROXY: "127.0.0.1",
  };
}

/** Runs `body` with a real server and a planted one (recorders), then checks neither received a byte. */
async function withServers(
  body: (servers: { dir: string; trusted: Recorder; attacker: Recorder }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-planted-" });
  const trusted = startRecorder();
  const attacker = startRecorder();
  try {
    await body({ dir, trusted, attacker });
    assert.equal(attacker.connections(), 0, `the planted server received: ${attacker.text()}`);
  } finally {
    trusted.close();
    attacker.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function assertRefused(result: { code: number; stdout: string; stderr: string }, path: string, name: string): void {
  assert.equal(result.code, 2, `${name}: ${result.stderr}`);
  assert.equal(result.stdout, "");
  assert.ok(
    result.stderr.startsWith(`error: .env: ${path} sets ${name}, which is taken only from `),
    `${name}: ${result.stderr}`,
  );
  assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
}

Deno.test("a planted .env setting any environment-only variable: exit 2 naming it, and nothing reaches any server", () =>
  withServers(async ({ dir, trusted, attacker }) => {
    const { project, env } = await victim(dir, trusted);
    const values = await planted(project, attacker);
    assert.deepEqual(Object.keys(values).sort(), Object.keys(ENVIRONMENT_ONLY).sort(), "every refused variable");
    const path = join(project, ".env");
    for (const [name, value] of Object.entries(values)) {
      await Deno.writeTextFile(path, `# for this project\nTZ=UTC\n${name}=${value}\n`);
      for (const args of [["whoami"], ["client", "list"], ["login", "--email", "ada@epic.test", "--password-stdin"]]) {
        const result = await runCli(args, { env, cwd: project, stdin: PASSWORD });
        assertRefused(result, path, name);
      }
      const json = await runCli(["whoami", "--json"], { env, cwd: project });
      assert.equal(json.code, 2);
      assert.deepEqual(JSON.parse(json.stderr).error.field, name);
    }
    assert.equal(trusted.connections(), 0, `the real server received: ${trusted.text()}`);
  }));

Deno.test("as a real process: whoami and login in a folder whose .env names another server send nothing, not even a connection", () =>
  withServers(async ({ dir, trusted, attacker }) => {
    const { project, env } = await victim(dir, trusted);
    const path = join(project, ".env");
    await Deno.writeTextFile(path, `EPIC_EVENTS_SERVER=${attacker.url}\n`);
    for (const args of [["whoami"], ["login", "--email", "ada@epic.test", "--password-stdin"]]) {
      assertRefused(await runChild(args, { env, cwd: project, stdin: PASSWORD }), path, "EPIC_EVENTS_SERVER");
    }
    assert.equal(trusted.connections(), 0, `the real server received: ${trusted.text()}`);
    // The same folder without the planted line: the session goes to the server it was issued by, and only there.
    await Deno.writeTextFile(path, "TZ=UTC\n");
    const whoami = await runChild(["whoami"], { env, cwd: project });
    assert.equal(whoami.code, 7, whoami.stderr);
    assert.match(trusted.text(), new RegExp(`authorization: Bearer ${SESSION.replaceAll(".", "\\.")}`, "i"));
  }));

Deno.test("serve in a folder whose .env sets where it listens, its certificate or the proxy it believes: exit 2 before binding", () =>
  withServers(async ({ dir, attacker }) => {
    const values = await planted(dir, attacker);
    const env = {
      HOME: join(dir, "operator"),
      DATABASE_URL: `sqlite://${dir}/crm.db`,
      SECRET_KEY: TEST_SECRET_KEY,
      EPIC_EVENTS_LOG_DIR: join(dir, "logs"),
    };
    const path = join(dir, ".env");
    for (
      const name of [
        "EPIC_EVENTS_LISTEN",
        "EPIC_EVENTS_METRICS_LISTEN",
        "EPIC_EVENTS_TLS_CERT",
        "EPIC_EVENTS_TLS_KEY",
        "EPIC_EVENTS_TRUSTED_PROXY",
      ]
    ) {
      await Deno.writeTextFile(path, `${name}=${values[name]}\n`);
      assertRefused(await runChild(["serve"], { env, cwd: dir, killAfterMs: 60_000 }), path, name);
    }
  }));

/** A PostgreSQL error message (`E`): FATAL, SQLSTATE `code`, `message`. */
function pgError(code: string, message: string): Uint8Array {
  const fields = new TextEncoder().encode(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
  const bytes = new Uint8Array(5 + fields.length);
  bytes[0] = 0x45;
  new DataView(bytes.buffer).setInt32(1, 4 + fields.length);
  bytes.set(fields, 5);
  return bytes;
}

/**
 * A PostgreSQL server as a planted DATABASE_URL would name it: it asks for
 * the password in clear text, keeps what it gets, and refuses it.
 */
function cleartextPostgres(): Recorder {
  const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return startRecorder((received) => {
    if (received.length < 4) return null;
    const startup = view(received).getInt32(0);
    if (received.length === startup) {
      // AuthenticationCleartextPassword.
      return { reply: new Uint8Array([0x52, 0, 0, 0, 8, 0, 0, 0, 3]), close: false };
    }
    // The password message: 'p', its length, the password.
    if (received.length < startup + 5 || received.length < startup + 1 + view(received).getInt32(startup + 1)) {
      return null;
    }
    return { reply: pgError("28P01", 'password authentication failed for user "ann"'), close: true };
  });
}

Deno.test("a planted DATABASE_URL with no password does not receive the user's PGPASSWORD", async () => {
  const dir = await Deno.makeTempDir({ prefix: "epic-planted-" });
  const postgres = cleartextPostgres();
  try {
    const secret = "the-users-own-pg-password";
    await Deno.writeTextFile(join(dir, ".env"), `DATABASE_URL=postgres://ann@127.0.0.1:${postgres.port}/crm\n`);
    const env = {
      HOME: dir,
      EPIC_EVENTS_LOG_DIR: join(dir, "logs"),
      PGPASSWORD: secret,
      DATABASE_CONNECT_TIMEOUT: "20",
    };
    const result = await runChild(["migrate", "status"], { env, cwd: dir });
    assert.equal(result.code, 7, result.stderr);
    const received = postgres.text();
    assert.ok(received.includes("user\0ann\0"), "the planted server was reached and asked for the password");
    assert.ok(received.includes("p\0\0\0\x05\0"), `an empty password answered: ${JSON.stringify(received)}`);
    assert.ok(!received.includes(secret), "PGPASSWORD was sent to the planted server");
  } finally {
    postgres.close();
    await Deno.remove(dir, { recursive: true });
  }
});
