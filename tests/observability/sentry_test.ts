import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { initSentry, NOOP_SENTRY } from "../../src/observability/sentry.ts";
import { closedPort, type Envelope, type SentryEvent, startFakeSentry, startHangingServer } from "./fake_sentry.ts";

// The SDK keeps a few timers and sockets of its own after a flush (its
// processing loop, the aborted request of a stalled host): not ours to await.
const opts = { sanitizeOps: false, sanitizeResources: false };

const RELEASE = "epic-events@0.0.0-test";

const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsInJvbGUiOiJNQU5BR0VNRU5UIn0.c2lnbmF0dXJlLXRoYXQtaXMtc2VjcmV0";
const BCRYPT = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
const PG_PASSWORD = "pgS3cretPw";
const PG_URL = `postgres://crm:${PG_PASSWORD}@db.internal:5432/crm`;
const PLAIN_PASSWORD = "hunter2-correct-horse";
const SECRET_KEY = "k3y-0f-at-least-thirty-two-bytes-long!!";
const SECRETS = [JWT, BCRYPT, PG_PASSWORD, PLAIN_PASSWORD, SECRET_KEY];

function message(event: SentryEvent): string | undefined {
  return typeof event.message === "string" ? event.message : event.message?.formatted ?? event.message?.message;
}

function eventWithTag(envelopes: Envelope[], key: string, value: string): boolean {
  return envelopes.some((e) =>
    e.items.some((i) => i.header.type === "event" && (i.payload as SentryEvent).tags?.[key] === value)
  );
}

Deno.test("captureUnexpected sends an exception envelope tagged with the command name", opts, async () => {
  const fake = startFakeSentry();
  try {
    const sentry = await initSentry({ dsn: fake.dsn, environment: "staging", release: RELEASE });
    sentry.captureUnexpected(new TypeError("cannot read properties of undefined"), { command: "client create" });
    assert.equal(await sentry.flush(), true);
    await fake.waitFor((envelopes) => eventWithTag(envelopes, "command", "client create"));

    const events = fake.events();
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.level, "error");
    assert.equal(event.release, RELEASE);
    assert.equal(event.environment, "staging");
    assert.deepEqual(event.tags, { command: "client create" });
    assert.equal(event.exception?.values?.at(-1)?.type, "TypeError");
    assert.equal(event.exception?.values?.at(-1)?.value, "cannot read properties of undefined");
    assert.equal(event.server_name, undefined, "the host name is not sent");
    assert.equal(fake.envelopes[0].path, "/api/1/envelope/");
  } finally {
    await fake.close();
  }
});

Deno.test(
  "captureBusinessEvent sends an info message with action, entity, actor, id and field names",
  opts,
  async () => {
    const fake = startFakeSentry();
    try {
      const sentry = await initSentry({ dsn: fake.dsn, environment: "production", release: RELEASE });
      sentry.captureBusinessEvent({
        action: "user.updated",
        actorId: 1,
        entity: "user",
        entityId: 42,
        changedFields: ["role", "password"],
      });
      sentry.captureBusinessEvent({ action: "contract.signed", actorId: 3, entity: "contract", entityId: 9 });
      assert.equal(await sentry.flush(), true);
      await fake.waitFor((envelopes) => eventWithTag(envelopes, "action", "contract.signed"));

      const events = fake.events();
      const updated = events.find((e) => e.tags?.action === "user.updated");
      assert.ok(updated, "user.updated event received");
      assert.equal(message(updated), "user.updated");
      assert.equal(updated.level, "info");
      assert.deepEqual(updated.tags, { action: "user.updated", entity: "user" });
      assert.deepEqual(updated.extra, { actor_id: 1, entity_id: 42, changed_fields: ["role", "password"] });
      assert.equal(updated.exception, undefined);

      const signed = events.find((e) => e.tags?.action === "contract.signed");
      assert.ok(signed, "contract.signed event received");
      assert.equal(message(signed), "contract.signed");
      assert.deepEqual(signed.extra, { actor_id: 3, entity_id: 9, changed_fields: [] });
    } finally {
      await fake.close();
    }
  },
);

Deno.test("no password, hash, token, secret key or URL password reaches the ingest endpoint", opts, async () => {
  const fake = startFakeSentry();
  const Sentry = await import("@sentry/deno");
  const scope = Sentry.getGlobalScope();
  try {
    const sentry = await initSentry({ dsn: fake.dsn, environment: "test", release: RELEASE });
    // Secrets in places an SDK user could put them: scope extra, tags,
    // contexts, breadcrumbs, user — and in the error, its message and cause.
    scope.setExtra("password", PLAIN_PASSWORD);
    scope.setExtra("config", { database_url: PG_URL, SECRET_KEY, nested: [{ api_key: "abc", note: `jwt ${JWT}` }] });
    scope.setTag("token", JWT);
    scope.setContext("db", { url: PG_URL, password_hash: BCRYPT });
    Sentry.addBreadcrumb({ message: `login with Authorization: Bearer ${JWT}`, data: { password: PLAIN_PASSWORD } });

    const cause = new Error(`connect ECONNREFUSED ${PG_URL}`);
    const error = new Error(
      `boom: token=${JWT} hash ${BCRYPT} SECRET_KEY=${SECRET_KEY} {"password":"${PLAIN_PASSWORD}"}`,
      { cause },
    );
    sentry.captureUnexpected(error, { command: "user create" });
    sentry.captureUnexpected(`thrown string with ${PG_URL}`, { command: "login" });
    sentry.captureBusinessEvent({ action: "user.created", actorId: 1, entity: "user", entityId: 2 });
    assert.equal(await sentry.flush(), true);
    await fake.waitFor((envelopes) =>
      eventWithTag(envelopes, "command", "user create") && eventWithTag(envelopes, "command", "login") &&
      eventWithTag(envelopes, "action", "user.created")
    );

    const bodies = fake.envelopes.map((e) => e.raw).join("\n");
    for (const secret of SECRETS) {
      assert.ok(!bodies.includes(secret), `secret leaked: ${secret}`);
    }
    // The events still say what happened, with the secrets marked as removed.
    assert.ok(bodies.includes("[redacted]"));
    assert.ok(bodies.includes("postgres://crm:[redacted]@db.internal:5432/crm"));
    assert.ok(bodies.includes("connect ECONNREFUSED"), "the cause (linked error) is sent");
    const failure = fake.events().find((e) => e.tags?.command === "user create");
    assert.ok(failure?.exception?.values?.some((v) => v.value?.startsWith("boom: token=[redacted]")));
    assert.equal(failure?.extra?.password, "[redacted]");
  } finally {
    scope.clear();
    await fake.close();
  }
});

Deno.test("an unreachable DSN (closed port): flush returns promptly without throwing", opts, async () => {
  const port = closedPort();
  const sentry = await initSentry({
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    environment: "test",
    release: RELEASE,
  });
  sentry.captureUnexpected(new Error("boom"), { command: "client list" });
  sentry.captureBusinessEvent({ action: "user.deleted", actorId: 1, entity: "user", entityId: 5 });
  const started = performance.now();
  const flushed = await sentry.flush();
  const elapsed = performance.now() - started;
  assert.equal(typeof flushed, "boolean");
  assert.ok(elapsed < 2500, `flush took ${Math.round(elapsed)} ms`);
});

Deno.test("a Sentry host that accepts and never answers: flush gives up after ~2 s", opts, async () => {
  const hanging = startHangingServer();
  try {
    const sentry = await initSentry({
      dsn: `http://publickey@127.0.0.1:${hanging.port}/1`,
      environment: "test",
      release: RELEASE,
    });
    sentry.captureUnexpected(new Error("boom"), { command: "event update" });
    const started = performance.now();
    await sentry.flush();
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 1500 && elapsed < 2500, `flush took ${Math.round(elapsed)} ms`);

    sentry.captureUnexpected(new Error("boom again"), { command: "event update" });
    const quick = performance.now();
    assert.equal(await sentry.flush(300), false, "still pending when a shorter bound is reached");
    assert.ok(performance.now() - quick < 800, "a shorter bound is honoured");
  } finally {
    hanging.close();
  }
});

async function runFixture(
  args: string[],
  permissions = ["--allow-net", "--allow-read", "--allow-write", "--allow-env"],
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const fixture = fromFileUrl(new URL("./exit_fixture.ts", import.meta.url));
  const config = fromFileUrl(new URL("../../deno.json", import.meta.url));
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, ...permissions, fixture, ...args],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    // A child that hangs is killed, and the test fails instead of hanging too.
    signal: AbortSignal.timeout(15_000),
  }).output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
    ms: performance.now() - started,
  };
}

Deno.test("a real process reporting to a stalled Sentry host exits on its own, quietly", opts, async () => {
  const hanging = startHangingServer();
  try {
    const child = await runFixture(["sentry", `http://publickey@127.0.0.1:${hanging.port}/1`]);
    assert.equal(child.code, 0, child.stderr);
    assert.match(child.stdout, /^flushed=(true|false)\n$/);
    assert.equal(child.stderr, "", "nothing on stderr");
    // Start-up plus the 2 s bound; without the request timeout the child would
    // wait for the stalled socket instead.
    assert.ok(child.ms < 8000, `child took ${Math.round(child.ms)} ms`);
  } finally {
    hanging.close();
  }
});

Deno.test("a real process reporting to a reachable Sentry delivers and prints nothing else", opts, async () => {
  const fake = startFakeSentry();
  try {
    const child = await runFixture(["sentry", fake.dsn]);
    assert.equal(child.code, 0, child.stderr);
    assert.equal(child.stdout, "flushed=true\n");
    assert.equal(child.stderr, "");
    await fake.waitFor((envelopes) => eventWithTag(envelopes, "command", "client create"));
    await fake.waitFor((envelopes) => eventWithTag(envelopes, "action", "user.created"));
  } finally {
    await fake.close();
  }
});

Deno.test("without net permission a real process sends nothing, says nothing and does not fail", opts, async () => {
  const fake = startFakeSentry();
  try {
    const child = await runFixture(["sentry", fake.dsn], ["--allow-read", "--allow-env"]);
    assert.equal(child.code, 0, child.stderr);
    assert.match(child.stdout, /^flushed=(true|false)\n$/);
    assert.equal(child.stderr, "", "no permission warning, no prompt");
    assert.ok(child.ms < 8000);
    assert.equal(fake.envelopes.length, 0);
  } finally {
    await fake.close();
  }
});

Deno.test("NOOP_SENTRY accepts everything and flushes at once", async () => {
  NOOP_SENTRY.captureUnexpected(new Error("x"), { command: "whoami" });
  NOOP_SENTRY.captureBusinessEvent({ action: "user.created", actorId: null, entity: "user", entityId: 1 });
  assert.equal(await NOOP_SENTRY.flush(), true);
});
