import assert from "node:assert/strict";
import { escapeControl, REDACTED, scrubSecrets, scrubString } from "../../src/observability/scrub.ts";

const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsImV4cCI6MTcwMDAwMDAwMH0.Hx3e2hHk7Q0a1b2c3d4e5f6g7h8i9j0kLmNoPqRsTuV";
const BCRYPT_B = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
const BCRYPT_A = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
const BCRYPT_Y = "$2y$04$abcdefghijklmnopqrstuu5ykv1nPZsQlH3uDpSHi8AQNaT7bsLBy";

Deno.test("values under secret-looking keys are redacted, at any depth, whatever their type", () => {
  const input = {
    email: "ada@example.com",
    password: "hunter2",
    Password: 1234,
    newPassword: "x",
    pass: "y",
    password_hash: BCRYPT_B,
    passwordHash: { algo: "bcrypt" },
    token: "abc",
    accessToken: "abc",
    refresh_token: ["a", "b"],
    secret: "s",
    SECRET_KEY: "k",
    BACKUP_KEY: "b",
    backupKey: "b",
    client_secret: "c",
    authorization: "Bearer abc",
    headers: { Authorization: "Basic abc", cookie: "sid=1", "set-cookie": "sid=2", "x-api-key": "k", apiKey: "k" },
    api_key: "k",
    dsn: "https://key@o1.ingest.sentry.io/1",
    SENTRY_DSN: "https://key@o1.ingest.sentry.io/1",
    nested: [{ user: { password: "deep", name: "kept" } }],
    nothing: null,
  };
  const out = scrubSecrets(input) as Record<string, unknown>;
  assert.deepEqual(out, {
    email: "ada@example.com",
    password: REDACTED,
    Password: REDACTED,
    newPassword: REDACTED,
    pass: REDACTED,
    password_hash: REDACTED,
    passwordHash: REDACTED,
    token: REDACTED,
    accessToken: REDACTED,
    refresh_token: REDACTED,
    secret: REDACTED,
    SECRET_KEY: REDACTED,
    BACKUP_KEY: REDACTED,
    backupKey: REDACTED,
    client_secret: REDACTED,
    authorization: REDACTED,
    headers: {
      Authorization: REDACTED,
      cookie: REDACTED,
      "set-cookie": REDACTED,
      "x-api-key": REDACTED,
      apiKey: REDACTED,
    },
    api_key: REDACTED,
    dsn: REDACTED,
    SENTRY_DSN: REDACTED,
    nested: [{ user: { password: REDACTED, name: "kept" } }],
    nothing: null,
  });
  // A deep copy: the input is untouched.
  assert.equal(input.password, "hunter2");
  assert.equal(input.nested[0].user.password, "deep");
});

Deno.test("secrets inside strings are redacted, the rest of the text is kept", () => {
  assert.equal(scrubString(`token ${JWT} expired`), `token ${REDACTED} expired`);
  assert.equal(scrubString(`unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. end`), `unsigned ${REDACTED} end`);
  for (const hash of [BCRYPT_A, BCRYPT_B, BCRYPT_Y]) {
    assert.equal(scrubString(`stored ${hash}.`), `stored ${REDACTED}.`);
  }
  assert.equal(
    scrubString("connect to postgres://crm:S3cr3t!pw@db.internal:5432/crm failed"),
    `connect to postgres://crm:${REDACTED}@db.internal:5432/crm failed`,
  );
  assert.equal(scrubString("postgresql://u:p%40ss@h/db"), `postgresql://u:${REDACTED}@h/db`);
  assert.equal(scrubString("redis://:only-password@cache:6379"), `redis://:${REDACTED}@cache:6379`);
  assert.equal(scrubString("SECRET_KEY=abcdef0123456789 next"), `SECRET_KEY=${REDACTED} next`);
  assert.equal(scrubString('SECRET_KEY="with spaces inside" next'), `SECRET_KEY=${REDACTED} next`);
  assert.equal(scrubString("BACKUP_KEY=abcdef0123456789 next"), `BACKUP_KEY=${REDACTED} next`);
  assert.equal(scrubString('{"backup_key":"abc"}'), `{"backup_key":"${REDACTED}"}`);
  assert.equal(scrubString("DATABASE_URL=postgres://a:b@h/d"), `DATABASE_URL=${REDACTED}`);
  assert.equal(scrubString("?user=ada&password=hunter2&x=1"), `?user=ada&password=${REDACTED}&x=1`);
  assert.equal(scrubString("api_key = k-123"), `api_key = ${REDACTED}`);
  assert.equal(scrubString('{"email":"a@b.c","password":"hun\\"ter2"}'), `{"email":"a@b.c","password":"${REDACTED}"}`);
  assert.equal(scrubString("Authorization: Bearer abcdefgh12345678"), `Authorization: Bearer ${REDACTED}`);

  // Ordinary text is left alone.
  for (
    const text of [
      "ada@example.com",
      "Client 12 not found",
      "total_amount must be at least 0 (got 1500.00)",
      "2026-11-26T15:00:00.000Z",
      "https://example.com/path?x=1",
      "sqlite:///home/ada/.local/share/epic-events/epic-events.db",
      "password: must be at least 8 characters",
      "SECRET_KEY: must be at least 32 bytes long",
    ]
  ) {
    assert.equal(scrubString(text), text);
  }
});

Deno.test("errors become plain objects with scrubbed message, stack and cause", () => {
  const cause = new Error(`FATAL: password authentication failed for postgres://crm:pw1@h/db`);
  const error = new TypeError(`bad token ${JWT}`, { cause });
  const out = scrubSecrets({ error }) as { error: { name: string; message: string; stack: string; cause: unknown } };
  assert.equal(out.error.name, "TypeError");
  assert.equal(out.error.message, `bad token ${REDACTED}`);
  assert.ok(out.error.stack.startsWith(`TypeError: bad token ${REDACTED}`));
  assert.ok(!JSON.stringify(out).includes(JWT));
  assert.ok(!JSON.stringify(out).includes("pw1"));
  assert.equal((out.error.cause as { name: string }).name, "Error");
});

Deno.test("cycles, dates, maps, sets, functions and primitives are copied safely", () => {
  const a: Record<string, unknown> = { name: "a" };
  a.self = a;
  const when = new Date("2026-01-01T00:00:00Z");
  const out = scrubSecrets({
    a,
    when,
    map: new Map([["token", "t"], ["k", "v"]]),
    set: new Set([JWT]),
    fn: () => 1,
    n: 1.5,
    b: true,
    big: 10n,
    u: undefined,
  }) as Record<string, unknown>;
  assert.deepEqual((out.a as Record<string, unknown>).self, "[circular]");
  assert.ok(out.when instanceof Date && out.when !== when && out.when.getTime() === when.getTime());
  assert.deepEqual(out.map, { token: REDACTED, k: "v" });
  assert.deepEqual(out.set, [REDACTED]);
  assert.equal(out.fn, "[function]");
  assert.equal(out.n, 1.5);
  assert.equal(out.b, true);
  assert.equal(out.big, 10n);
  assert.equal(out.u, undefined);
  // Shared (non-cyclic) references are copied twice, not marked circular.
  const shared = { x: 1 };
  assert.deepEqual(scrubSecrets([shared, shared]), [{ x: 1 }, { x: 1 }]);
  assert.equal(scrubSecrets(JWT), REDACTED);
  assert.equal(scrubSecrets(null), null);
});

Deno.test("scrubbing a long string stays fast (no catastrophic backtracking)", () => {
  const long = "a".repeat(200_000) + "=" + "b".repeat(200_000) + "://" + "c".repeat(100_000);
  const started = performance.now();
  scrubString(long);
  assert.ok(performance.now() - started < 1000);
});

Deno.test("escapeControl makes control characters visible", () => {
  assert.equal(escapeControl("a\nb"), "a\\nb");
  assert.equal(escapeControl("a\r\nb\tc"), "a\\r\\nb\\tc");
  assert.equal(escapeControl("\x1b[2J\x1b]0;title\x07"), "\\x1b[2J\\x1b]0;title\\x07");
  assert.equal(escapeControl("\0\x7f\x85\x9b"), "\\x00\\x7f\\x85\\x9b");
  assert.equal(escapeControl("line\u2028sep\u2029para"), "line\\u2028sep\\u2029para");
  assert.equal(escapeControl("evil\u202egnp.exe"), "evil\\u202egnp.exe");
  assert.equal(escapeControl('Zoé Ñandú 日本 🎉 | = " \\'), 'Zoé Ñandú 日本 🎉 | = " \\');
  const forged = escapeControl("x\n2026-01-01T00:00:00.000Z | ERROR | forged");
  assert.ok(!forged.includes("\n"));
});

Deno.test("a truncated bcrypt hash is redacted too", () => {
  assert.equal(scrubString(`hash ${BCRYPT_B.slice(0, 40)}…`), `hash ${REDACTED}…`);
});
