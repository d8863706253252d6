/**
 * Issue 16, point 5: the server never answers 500 to a client's mistake. Each
 * case is written byte by byte on a raw loopback socket, as an attacker
 * would: a NUL or bytes that are not text in a body, a query or a header (400
 * naming the field), a body shorter than its `Content-Length` followed by a
 * half-close (400), 64 KiB of headers (431), headers that stop halfway
 * (closed after 10 s), and clients that drop a streamed list (an `info` line
 * in the access log, nothing in the error log or in Sentry).
 */
import assert from "node:assert/strict";
import { startFakeSentry } from "../observability/fake_sentry.ts";
import { apiLogin } from "../support/http.ts";
import { initManager, PASSWORD } from "../support/fixtures.ts";
import { remoteTest, startServe } from "../support/remote.ts";

const encoder = new TextEncoder();

/** An answer read off a raw socket. */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the last byte written to the server's end of the connection (or the read limit). */
  closedAfterMs: number;
  /** Whether the server closed the connection (rather than the read limit running out). */
  closed: boolean;
}

function bytesOf(...parts: Array<string | number[]>): Uint8Array {
  return new Uint8Array(parts.flatMap((part) => typeof part === "string" ? [...encoder.encode(part)] : part));
}

/** Writes `bytes` to the server of `base`, optionally half-closes, and reads until the server closes. */
async function exchange(
  base: string,
  bytes: Uint8Array,
  options: { closeWrite?: boolean; readLimitMs?: number } = {},
): Promise<RawAnswer> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(base).port) });
  const chunks: Uint8Array[] = [];
  let closed = false;
  const started = performance.now();
  const limit = setTimeout(() => conn.close(), options.readLimitMs ?? 10_000);
  try {
    await conn.write(bytes).catch(() => {});
    if (options.closeWrite) await conn.closeWrite();
    const buffer = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) {
        closed = true;
        break;
      }
      chunks.push(buffer.slice(0, n));
    }
  } catch (error) {
    // Reset by the server counts as closed; the read limit closing our side does not.
    closed = !(error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted);
  } finally {
    clearTimeout(limit);
    try {
      conn.close();
    } catch {
      // closed by the limit
    }
  }
  const closedAfterMs = performance.now() - started;
  const text = new TextDecoder().decode(bytesOf(...chunks.map((c) => [...c])));
  const [head, ...rest] = text.split("\r\n\r\n");
  const [statusLine, ...headerLines] = head.split("\r\n");
  const headers = Object.fromEntries(
    headerLines.map((
      line,
    ) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
  );
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0),
    headers,
    body: rest.join("\r\n\r\n"),
    closedAfterMs,
    closed,
  };
}

/** Asserts a JSON error answer of `status` naming `field`; returns its message. */
function assertError(answer: RawAnswer, status: number, field: string, what: string): string {
  assert.equal(answer.status, status, `${what}: ${answer.status} ${answer.body}`);
  assert.match(answer.headers["content-type"] ?? "", /^application\/json/, what);
  const body = JSON.parse(answer.body) as { error: { code: string; message: string; field?: string } };
  assert.equal(body.error.code, "invalid_input", what);
  assert.equal(body.error.field, field, `${what}: ${body.error.message}`);
  return body.error.message;
}

function request(method: string, path: string, headers: string[], body = ""): string {
  return `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n${
    headers.map((h) => `${h}\r\n`).join("")
  }\r\n${body}`;
}

remoteTest("a NUL or bytes that are not text in a body, a query or a header are a 400 naming the field", async (b) => {
  const manager = await initManager(b);
  const base = b.servers[0].url;
  const token = await apiLogin(base, manager.email, PASSWORD);
  const auth = `authorization: Bearer ${token}`;
  const json = (text: string) => [`content-type: application/json`, `content-length: ${encoder.encode(text).length}`];

  // Unauthenticated: a NUL in the login email (was a 500 from PostgreSQL).
  const login = `{"email":"ada\\u0000@epic.test","password":"${PASSWORD}"}`;
  let answer = await exchange(base, encoder.encode(request("POST", "/api/v1/sessions", json(login), login)));
  assert.match(assertError(answer, 400, "email", "NUL in the login email"), /^email: contains a NUL character$/);

  // A NUL in a field of a body, and a lone surrogate.
  for (const [text, field] of [[`{"full_name":"A\\u0000B"}`, "full_name"], [`{"phone":"\\ud800"}`, "phone"]]) {
    answer = await exchange(
      base,
      encoder.encode(request("PATCH", `/api/v1/users/${manager.id}`, [auth, ...json(text)], text)),
    );
    assertError(answer, 400, field, text);
  }

  // A NUL and bytes that are not UTF-8 in a query parameter.
  for (const query of ["search=a%00b", "search=%FF%FE"]) {
    answer = await exchange(base, encoder.encode(request("GET", `/api/v1/clients?${query}`, [auth])));
    assertError(answer, 400, "search", query);
  }

  // A NUL in a header value (the parser's refusal), bytes that are not UTF-8 in one (the server's).
  answer = await exchange(base, bytesOf(request("GET", "/api/v1/clients", [auth, "x-note: a\0b"])));
  assertError(answer, 400, "x-note", "NUL in a header");
  answer = await exchange(
    base,
    bytesOf("GET /api/v1/clients HTTP/1.1\r\nhost: x\r\nconnection: close\r\n", [
      ...encoder.encode(`${auth}\r\nx-note: a`),
      0xff,
      0xfe,
      ...encoder.encode("\r\n\r\n"),
    ]),
  );
  assertError(answer, 400, "x-note", "bytes that are not UTF-8 in a header");
  // A byte that is not text at the end of a value is refused too: only HTTP's whitespace is stripped around a value.
  answer = await exchange(
    base,
    bytesOf("GET /api/v1/clients HTTP/1.1\r\nhost: x\r\nconnection: close\r\n", [
      ...encoder.encode(auth),
      0xa0,
      ...encoder.encode("\r\n\r\n"),
    ]),
  );
  assertError(answer, 400, "authorization", "a 0xA0 byte after the token");

  // Nothing of it reached the database.
  const db = await b.db();
  const user = await db.one<{ first_name: string; phone: string | null }>(
    "SELECT first_name, phone FROM users WHERE id = $1",
    [manager.id],
  );
  assert.deepEqual(user, { first_name: "Ada", phone: null });
});

remoteTest(
  "a body shorter than its Content-Length, then a half-close, is a 400; a whole one is answered",
  async (b) => {
    const manager = await initManager(b);
    const base = b.servers[0].url;
    const whole = `{"email":"${manager.email}","password":"${PASSWORD}"}`;
    const cut = request("POST", "/api/v1/sessions", ["content-type: application/json", "content-length: 200"], whole);
    const answer = await exchange(base, encoder.encode(cut), { closeWrite: true });
    assert.match(assertError(answer, 400, "body", "a truncated body"), /^request body: incomplete/);
    const complete = request("POST", "/api/v1/sessions", [
      "content-type: application/json",
      `content-length: ${whole.length}`,
    ], whole);
    const ok = await exchange(base, encoder.encode(complete), { closeWrite: true });
    assert.equal(ok.status, 201, ok.body);
  },
);

remoteTest("64 KiB of headers are a JSON 431; headers that stop halfway are closed within 10 s", async (b) => {
  const base = b.servers[0].url;
  const big = Array.from({ length: 64 }, (_, i) => `x-filler-${i}: ${"a".repeat(1000)}`);
  const answer = await exchange(base, encoder.encode(request("GET", "/healthz", big)));
  assert.match(assertError(answer, 431, "headers", "64 KiB of headers"), /^request headers: larger than 16384 bytes/);

  // Half a request, then silence: the server gives up on it (10 s, checked every second).
  const slow = await exchange(base, encoder.encode("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: a"), {
    readLimitMs: 30_000,
  });
  assert.ok(slow.closed, "the server closed the connection");
  assert.ok(slow.closedAfterMs < 10_000 + 8_000, `closed after ${Math.round(slow.closedAfterMs)} ms`);
  if (slow.status !== 0) assertError(slow, 408, "headers", "headers too slow");
  // The server still answers.
  const healthy = await exchange(base, encoder.encode(request("GET", "/healthz", [])));
  assert.equal(healthy.status, 200);
});

remoteTest(
  "clients that drop a streamed list are info lines in the access log, never errors nor Sentry events",
  async (b) => {
    const manager = await initManager(b);
    const sentry = startFakeSentry();
    try {
      const server = await startServe({ ...b.serverEnv, SENTRY_DSN: sentry.dsn }, { cwd: b.dir });
      b.servers.push(server);
      const token = await apiLogin(server.url, manager.email, PASSWORD);
      const newUser = (first: string) =>
        fetch(`${server.url}/api/v1/users`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            first_name: first,
            last_name: "Seller",
            email: `${first.toLowerCase()}@epic.test`,
            role: "SALES",
            password: PASSWORD,
          }),
        });
      const sales = await (await newUser("Sam")).json() as { id: number };
      // A list far larger than what the sockets buffer: the server is still writing when the client leaves.
      const db = await b.db();
      await db.execute(
        `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
       SELECT 'Client ' || n, 'client' || n || '@drop.test', '+33 1 02 03 04 05', 'Company ' || n, $1,
              '2031-01-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z'
       FROM generate_series(1, 20000) AS n`,
        [sales.id],
      );
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(server.url).port) });
        await conn.write(encoder.encode(request("GET", "/api/v1/clients", [`authorization: Bearer ${token}`])));
        // Read the head and a few bytes of the list, then go away.
        let head = "";
        const buffer = new Uint8Array(512);
        while (!/\r\n\r\n[\s\S]/.test(head)) {
          const n = await conn.read(buffer);
          if (n === null) break;
          head += new TextDecoder().decode(buffer.subarray(0, n));
        }
        conn.close();
        assert.match(head, /^HTTP\/1\.1 200 /);
        ids.push(/x-request-id: (\S+)/i.exec(head)![1]);
      }
      // A business event after them (Sam's was the first): once Sentry has it, it has had everything before it.
      const created = await newUser("Lea");
      assert.equal(created.status, 201, await created.text());
      await sentry.waitFor((envelopes) => envelopes.filter((e) => e.raw.includes("user.created")).length >= 2, 10_000);
      await server.stop();

      const info = await Deno.readTextFile(`${b.serverLogDir}/info.log`);
      for (const id of ids) {
        const lines = info.split("\n").filter((line) => line.includes(`request_id=${id}`));
        assert.equal(lines.length, 1, `one access line for ${id}`);
        assert.match(lines[0], /\| INFO \| request method=GET path=\/api\/v1\/clients status=200 .*client_gone=true/);
      }
      const errors = await Deno.readTextFile(`${b.serverLogDir}/error.log`).catch(() => "");
      assert.doesNotMatch(errors, /unexpected failure/, errors);
      assert.deepEqual(sentry.events().filter((e) => e.exception), [], "no exception reached Sentry");
    } finally {
      await sentry.close();
    }
  },
);
