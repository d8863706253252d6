/**
 * The HTTP API of a real `epic-events serve` on PostgreSQL: status codes and
 * error objects, headers of every answer, size limit, streaming, display
 * names, forged tokens, the access log and the server's own Sentry.
 */
import assert from "node:assert/strict";
import type { z } from "zod";
import { TEST_SECRET_KEY } from "../support/backends.ts";
import { ok, PASSWORD, type Person, setupCrew } from "../support/fixtures.ts";
import { api, type ApiAnswer, apiLogin } from "../support/http.ts";
import { runCli } from "../support/cli.ts";
import { operatorEnv, remoteTest, startServe } from "../support/remote.ts";
import {
  auditRecord,
  clientRecord,
  contractRecord,
  errorSchema,
  eventRecord,
  meSchema,
  signatureSchema,
  userRecord,
} from "../../src/contract/mod.ts";
import { startFakeSentry } from "../observability/fake_sentry.ts";
import { storedToken } from "../support/tokens.ts";

async function tokenOf(person: Person): Promise<string> {
  return await storedToken(person.env.EPIC_EVENTS_CONFIG_DIR);
}

function assertPlainJson(answer: ApiAnswer, what: string): void {
  assert.equal(answer.headers.get("cache-control"), "no-store", `${what}: no-store`);
  assert.match(answer.headers.get("content-type") ?? "", /^application\/json/, `${what}: JSON`);
  const cors = [...answer.headers.keys()].filter((h) => h.startsWith("access-control-"));
  assert.deepEqual(cors, [], `${what}: no CORS header`);
  answer.json(); // parses
}

function errorOf(answer: ApiAnswer): { code: string; message: string; field?: string } {
  return errorSchema.parse(answer.json()).error;
}

function shaped<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(value);
}

remoteTest(
  "healthz, readyz and openapi need no token; 404 and 405 are JSON; no answer has CORS or caching",
  async (b) => {
    const crew = await setupCrew(b);
    const base = b.servers[0].url;
    const token = await tokenOf(crew.manager);

    const health = await api(base, "GET", "/healthz");
    assert.equal(health.status, 200);
    const probed = await api(base, "GET", "/healthz", { headers: { authorization: "Basic bGI6cHJvYmU=" } });
    assert.equal(probed.status, 200, "a route without a token ignores a foreign Authorization header");
    assert.deepEqual(health.json(), { status: "ok" });
    const ready = await api(base, "GET", "/readyz");
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json(), { status: "ready" });

    const notFound = await api(base, "GET", "/api/v1/nope?x=1");
    assert.equal(notFound.status, 404);
    assert.deepEqual(errorOf(notFound), { code: "not_found", message: "No such route: GET /api/v1/nope." });
    const wrongMethod = await api(base, "PUT", "/api/v1/clients", { token, body: {} });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET, POST");
    assert.equal(errorOf(wrongMethod).code, "invalid_input");
    assert.match(errorOf(wrongMethod).message, /PUT is not allowed on \/api\/v1\/clients; allowed: GET, POST/);

    // A CORS preflight is not special: OPTIONS is a method like any other.
    const preflight = await api(base, "OPTIONS", "/api/v1/clients", {
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 405);
    const cross = await api(base, "GET", "/api/v1/clients", { token, headers: { origin: "https://evil.example" } });
    assert.equal(cross.status, 200);

    const answers: Array<[string, ApiAnswer]> = [
      ["healthz", health],
      ["readyz", ready],
      ["openapi", await api(base, "GET", "/api/v1/openapi.json")],
      ["404", notFound],
      ["405", wrongMethod],
      ["OPTIONS", preflight],
      ["cross-origin GET", cross],
      ["401", await api(base, "GET", "/api/v1/clients")],
      ["whoami", await api(base, "GET", "/api/v1/sessions/current", { token })],
      ["create", await api(base, "POST", "/api/v1/users", { token, body: { first_name: "x" } })],
    ];
    for (const [what, answer] of answers) assertPlainJson(answer, what);
  },
);

remoteTest(
  "request bodies over 1 MiB are refused with 413, whether declared or streamed; nothing is written",
  async (b) => {
    const crew = await setupCrew(b);
    const base = b.servers[0].url;
    const token = await tokenOf(crew.sales);
    const huge = JSON.stringify({
      full_name: "x".repeat(1024 * 1024),
      email: "a@b.io",
      phone: "12345",
      company_name: "c",
    });

    const declared = await api(base, "POST", "/api/v1/clients", { token, rawBody: huge });
    assert.equal(declared.status, 413);
    assert.deepEqual(errorOf(declared), {
      code: "invalid_input",
      message: "request body: larger than 1048576 bytes (1 MiB)",
      field: "body",
    });
    assertPlainJson(declared, "413");

    // Without Content-Length (chunked): refused once the count passes the limit.
    const bytes = new TextEncoder().encode(huge);
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, offset + 65536));
        offset += 65536;
      },
    });
    const streamed = await api(base, "POST", "/api/v1/clients", { token, rawBody: stream });
    assert.equal(streamed.status, 413);

    // Just under the limit is read, then refused by the service's validation (400 naming the field).
    const under = JSON.stringify({ full_name: "x".repeat(1024 * 1024 - 200), email: "a@b.io", phone: "12345" });
    const validated = await api(base, "POST", "/api/v1/clients", { token, rawBody: under });
    assert.equal(validated.status, 400);
    assert.equal(errorOf(validated).field, "full_name");

    const db = await b.db();
    assert.deepEqual(await db.query("SELECT id FROM clients"), []);
  },
);

remoteTest("errors are the CLI's error object, with 400/401/403/404/409 for exit codes 2/3/4/5/6", async (b) => {
  const crew = await setupCrew(b);
  const base = b.servers[0].url;
  const sales = await tokenOf(crew.sales);
  const created = await ok<{ id: number; email: string }>(crew.sales.cli([
    "client",
    "create",
    "--full-name",
    "Kevin Casey",
    "--email",
    "kevin@startup.io",
    "--phone",
    "+678 123 456 78",
    "--company-name",
    "Cool Startup",
    "--json",
  ]));

  // The same failure through the CLI (exit code, --json error on stderr) and through the API.
  const cases: Array<{ cli: string[]; who: Person; status: number; exit: number; request: () => Promise<ApiAnswer> }> =
    [
      {
        cli: ["client", "create", "--full-name", "A", "--email", "no-email", "--phone", "12345", "--company-name", "X"],
        who: crew.sales,
        status: 400,
        exit: 2,
        request: () =>
          api(base, "POST", "/api/v1/clients", {
            token: sales,
            body: { full_name: "A", email: "no-email", phone: "12345", company_name: "X" },
          }),
      },
      {
        cli: [
          "user",
          "create",
          "--first-name",
          "A",
          "--last-name",
          "B",
          "--email",
          "x@y.io",
          "--role",
          "SALES",
          "--password-stdin",
        ],
        who: crew.sales,
        status: 403,
        exit: 4,
        request: () =>
          api(base, "POST", "/api/v1/users", {
            token: sales,
            body: { first_name: "A", last_name: "B", email: "x@y.io", role: "SALES", password: PASSWORD },
          }),
      },
      {
        cli: ["client", "show", "999", "--json"],
        who: crew.sales,
        status: 404,
        exit: 5,
        request: () => api(base, "GET", "/api/v1/clients/999", { token: sales }),
      },
      {
        cli: [
          "client",
          "create",
          "--full-name",
          "Other",
          "--email",
          created.email,
          "--phone",
          "12345",
          "--company-name",
          "X",
          "--json",
        ],
        who: crew.sales,
        status: 409,
        exit: 6,
        request: () =>
          api(base, "POST", "/api/v1/clients", {
            token: sales,
            body: { full_name: "Other", email: created.email, phone: "12345", company_name: "X" },
          }),
      },
    ];
  for (const c of cases) {
    const answer = await c.request();
    assert.equal(answer.status, c.status, answer.text);
    assertPlainJson(answer, String(c.status));
    // The local CLI (on the database, with the key and the server's token) says the same as the API.
    const viaCli = await runCli([...c.cli.filter((a) => a !== "--json"), "--json"], {
      stdin: PASSWORD,
      cwd: b.dir,
      env: { ...operatorEnv(b.serverEnv, c.who.env), EPIC_EVENTS_TOKEN: await tokenOf(c.who) },
    });
    assert.equal(viaCli.code, c.exit, viaCli.stderr);
    const cliError = JSON.parse(viaCli.stderr).error;
    // The CLI names the flag it was given (--limit) where the API names the field (limit).
    assert.deepEqual({ ...errorOf(answer), message: undefined }, { ...cliError, message: undefined });
    assert.equal(errorOf(answer).message.replace(/^--/, ""), cliError.message.replace(/^--/, ""));
  }

  const zero = await api(base, "GET", "/api/v1/clients?limit=0", { token: sales });
  assert.deepEqual(errorOf(zero), {
    code: "invalid_input",
    message: "limit: must be a positive integer",
    field: "limit",
  });
  const noToken = await api(base, "GET", "/api/v1/clients");
  assert.equal(noToken.status, 401);
  assert.deepEqual(errorOf(noToken), { code: "not_authenticated", message: "Not logged in: run `epic-events login`." });
  const badId = await api(base, "GET", "/api/v1/clients/abc", { token: sales });
  assert.equal(badId.status, 400);
  assert.deepEqual(errorOf(badId), {
    code: "invalid_input",
    message: "id: must be a positive integer id",
    field: "id",
  });
  const unknown = await api(base, "GET", "/api/v1/clients?mnie=true", { token: sales });
  assert.equal(unknown.status, 400);
  assert.match(errorOf(unknown).message, /^unknown query parameter mnie; known: mine, search, limit, offset, display$/);
  const twice = await api(base, "GET", "/api/v1/clients?limit=1&limit=2", { token: sales });
  assert.equal(twice.status, 400);
  const notJson = await api(base, "POST", "/api/v1/clients", { token: sales, rawBody: "{nope" });
  assert.deepEqual(errorOf(notJson), { code: "invalid_input", message: "request body: not valid JSON", field: "body" });
  const notObject = await api(base, "POST", "/api/v1/clients", { token: sales, rawBody: "[1]" });
  assert.equal(errorOf(notObject).message, "request body: must be a JSON object");
  const badAuth = await api(base, "GET", "/api/v1/clients", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
  assert.equal(badAuth.status, 401);
});

remoteTest(
  "resources are the CLI's --json output; names only with ?display=true; filters are the flags; lists stream",
  async (b) => {
    const crew = await setupCrew(b);
    const base = b.servers[0].url;
    const token = await tokenOf(crew.sales);
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
      "Cool Startup",
      "--json",
    ]));
    const signed = await ok<{ id: number }>(
      crew.sales.cli(["contract", "create", "--client", String(client.id), "--total", "1500.5", "--json"]),
    );
    await ok(crew.sales.cli(["contract", "create", "--client", String(client.id), "--total", "99", "--json"]));
    await ok(crew.sales.cli(["contract", "sign", String(signed.id), "--json"]));
    const event = await ok<{ id: number }>(crew.sales.cli([
      "event",
      "create",
      "--contract",
      String(signed.id),
      "--name",
      "Launch",
      "--client-contact",
      "Kevin, +678 123",
      "--start-date",
      "2031-06-04T18:00:00Z",
      "--end-date",
      "2031-06-05T02:00:00Z",
      "--location",
      "Hall",
      "--attendees",
      "75",
      "--json",
    ]));
    await ok(crew.manager.cli(["event", "assign", String(event.id), "--support", String(crew.support.id), "--json"]));

    const pairs: Array<[string[], string, z.ZodType]> = [
      [["client", "show", String(client.id)], `/api/v1/clients/${client.id}`, clientRecord],
      [["contract", "show", String(signed.id)], `/api/v1/contracts/${signed.id}`, contractRecord],
      [["event", "show", String(event.id)], `/api/v1/events/${event.id}`, eventRecord],
      [["user", "show", String(crew.sales.id)], `/api/v1/users/${crew.sales.id}`, userRecord],
      [["client", "list"], "/api/v1/clients", clientRecord.array()],
      [
        ["contract", "list", "--mine", "--unsigned", "--limit", "50"],
        "/api/v1/contracts?mine=true&unsigned=true&limit=50",
        contractRecord.array(),
      ],
      [
        ["event", "list", "--contract", String(signed.id)],
        `/api/v1/events?contract=${signed.id}`,
        eventRecord.array(),
      ],
      [
        ["user", "list", "--limit", "2", "--offset", "1"],
        "/api/v1/users?limit=2&offset=1",
        userRecord.array(),
      ],
    ];
    for (const [args, path, schema] of pairs) {
      const viaCli = await ok<unknown>(crew.sales.cli([...args, "--json"]));
      const answer = await api(base, "GET", path, { token });
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.json(), viaCli, path);
      shaped(schema, answer.json());
    }
    const unsigned = await api(base, "GET", "/api/v1/contracts?mine=true&unsigned=true&limit=50", { token });
    assert.deepEqual(unsigned.json<{ signed_status: boolean }[]>().map((c) => c.signed_status), [false]);

    // Names for tables only when asked for, under `display`.
    const named = await api(base, "GET", `/api/v1/events/${event.id}?display=true`, { token });
    assert.deepEqual(shaped(eventRecord, named.json()).display, {
      client_name: "Kevin Casey",
      support_contact_name: "Tom Helper",
    });
    const namedList = await api(base, "GET", "/api/v1/clients?display=true", { token });
    assert.deepEqual(namedList.json<{ display: unknown }[]>().map((c) => c.display), [{
      sales_contact_name: "Sam Seller",
    }]);
    const sign = await api(base, "POST", `/api/v1/contracts/${signed.id}/sign`, { token });
    assert.equal(shaped(signatureSchema, sign.json()).already_signed, true);

    // A list is streamed (chunked), one row per line, not sent with a length.
    const list = await api(base, "GET", "/api/v1/contracts", { token });
    assert.equal(list.headers.get("content-length"), null);
    assert.equal(list.text, `[\n${list.json<unknown[]>().map((r) => JSON.stringify(r)).join(",\n")}\n]\n`);
    const empty = await api(base, "GET", "/api/v1/events?unassigned=true", { token });
    assert.equal(empty.text, "[]\n");

    const audit = await api(base, "GET", "/api/v1/audit?entity=contract&limit=2", {
      token: await tokenOf(crew.manager),
    });
    shaped(auditRecord.array(), audit.json());
    const me = await api(base, "GET", "/api/v1/sessions/current", { token });
    assert.equal(shaped(meSchema, me.json()).id, crew.sales.id);
  },
);

async function forge(claims: Record<string, unknown>, key: string, alg = "HS256"): Promise<string> {
  const { SignJWT } = await import("jose");
  return await new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(key));
}

function b64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
}

remoteTest(
  "a token forged with any key a client could hold is refused (401, exit 3) and changes nothing",
  async (b) => {
    const crew = await setupCrew(b);
    const base = b.servers[0].url;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: String(crew.sales.id),
      role: "MANAGEMENT",
      iat: now,
      exp: now + 3600,
      jti: crypto.randomUUID(),
    };
    const genuine = await tokenOf(crew.sales);
    const [header, , signature] = genuine.split(".");
    const forged: Record<string, string> = {
      "random key": await forge(claims, crypto.randomUUID() + crypto.randomUUID()),
      "the example key of .env.example": await forge(claims, "change-me-to-a-long-random-secret-of-32-bytes-or-more"),
      "a short key": await forge(claims, "x"),
      "HS512, random key": await forge(claims, crypto.randomUUID().repeat(3), "HS512"),
      "alg none": `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}.`,
      "genuine signature, role edited": `${header}.${b64url(claims)}.${signature}`,
    };
    const body = {
      first_name: "Eve",
      last_name: "Forger",
      email: "eve@evil.io",
      role: "MANAGEMENT",
      password: PASSWORD,
    };
    for (const [what, token] of Object.entries(forged)) {
      const answer = await api(base, "POST", "/api/v1/users", { token, body });
      assert.equal(answer.status, 401, what);
      assert.equal(errorOf(answer).code, "not_authenticated", what);
      const viaCli = await crew.sales.cli(["user", "list"], { env: { EPIC_EVENTS_TOKEN: token } });
      assert.equal(viaCli.code, 3, `${what}: ${viaCli.stderr}`);
    }
    // Even signed with the server's own key (which no client holds), a token for an unknown user is refused.
    const unknownUser = await forge({ ...claims, sub: "999" }, TEST_SECRET_KEY);
    assert.equal((await api(base, "GET", "/api/v1/sessions/current", { token: unknownUser })).status, 401);
    const db = await b.db();
    assert.deepEqual(await db.query("SELECT id FROM users WHERE email = $1", ["eve@evil.io"]), []);
  },
);

remoteTest(
  "the access log has one line per request: method, path, status, duration, user; no token, password, body or query",
  async (b) => {
    const crew = await setupCrew(b);
    const base = b.servers[0].url;
    const token = await apiLogin(base, crew.sales.email, PASSWORD);
    const requests: ApiAnswer[] = [
      await api(base, "GET", "/api/v1/clients?search=secret-search-term", { token }),
      await api(base, "POST", "/api/v1/sessions", {
        body: { email: crew.sales.email, password: "wrong-password-123" },
      }),
      await api(base, "GET", "/api/v1/nope", { token }),
      await api(base, "GET", "/api/v1/users", { headers: { authorization: "Bearer not.a-real.token-value" } }),
      await api(base, "POST", "/api/v1/clients", {
        token,
        body: { full_name: "Body Secret", email: "body@x.io", phone: "12345", company_name: "Corp" },
      }),
    ];
    const ids = requests.map((r) => r.headers.get("x-request-id")!);
    await b.servers[0].stop();
    const info = await Deno.readTextFile(`${b.serverLogDir}/info.log`);
    const expected = [
      ["GET", "/api/v1/clients", 200, crew.sales.id],
      ["POST", "/api/v1/sessions", 401, "-"],
      ["GET", "/api/v1/nope", 404, "-"],
      ["GET", "/api/v1/users", 401, "-"],
      ["POST", "/api/v1/clients", 201, crew.sales.id],
    ] as const;
    for (const [i, [method, path, status, user]] of expected.entries()) {
      const lines = info.split("\n").filter((l) => l.includes(`request_id=${ids[i]}`));
      assert.equal(lines.length, 1, `one line for request ${i}`);
      assert.match(
        lines[0],
        new RegExp(
          `^\\S+Z \\| \\w+ \\| request method=${method} path=${path} status=${status} duration_ms=\\d+ user_id=${user} `,
        ),
      );
    }
    const logs = info + await Deno.readTextFile(`${b.serverLogDir}/error.log`);
    for (const secret of [token, PASSWORD, "wrong-password-123", "secret-search-term", "Body Secret", "Bearer"]) {
      assert.ok(!logs.includes(secret), `the server log holds ${secret}`);
    }
  },
);

remoteTest("the server's Sentry gets business events and unexpected failures, never a header or a body", async (b) => {
  const crew = await setupCrew(b);
  const token = await tokenOf(crew.manager);
  const sentry = startFakeSentry();
  try {
    // A server started with SENTRY_DSN (the CLI's own Sentry is another matter).
    await b.servers[0].stop();
    const server = await startServe({ ...b.serverEnv, SENTRY_DSN: sentry.dsn }, { cwd: b.dir });
    b.servers.push(server);
    const created = await api(server.url, "POST", "/api/v1/users", {
      token,
      body: { first_name: "New", last_name: "Hire", email: "new@epic.test", role: "SALES", password: PASSWORD },
    });
    assert.equal(created.status, 201, created.text);
    await sentry.waitFor((envs) => envs.some((e) => e.raw.includes("user.created")), 10_000);

    // An unexpected failure: the audit table vanishes under the server.
    const db = await b.db();
    await db.execute("DROP TABLE audit_log");
    const broken = await api(server.url, "POST", "/api/v1/clients", {
      token: await tokenOf(crew.sales),
      body: { full_name: "Body Secret", email: "b@x.io", phone: "12345", company_name: "Corp" },
    });
    assert.equal(broken.status, 500);
    const requestId = broken.headers.get("x-request-id")!;
    assert.deepEqual(errorOf(broken), {
      code: "internal",
      message:
        `Something went wrong on the server (request ${requestId}); its operator finds the details in the server's error log.`,
    });
    const viaCli = await crew.sales.cli(["client", "list", "--json"], {
      env: { EPIC_EVENTS_SERVER: server.url, EPIC_EVENTS_TOKEN: await tokenOf(crew.sales) },
    });
    assert.equal(viaCli.code, 0, "reads still work");
    await sentry.waitFor((envs) => envs.some((e) => e.raw.includes(requestId)), 10_000);
    const failure = sentry.events().find((e) => e.tags?.request_id === requestId)!;
    assert.equal(failure.tags?.route, "POST /api/v1/clients");
    assert.ok(failure.exception?.values?.length);
    const raw = sentry.envelopes.map((e) => e.raw).join("\n");
    for (const secret of [token, PASSWORD, "Body Secret", "authorization", "Bearer"]) {
      assert.ok(!raw.toLowerCase().includes(secret.toLowerCase()), `Sentry got ${secret}`);
    }
    await server.stop();
    const errorLog = await Deno.readTextFile(`${b.serverLogDir}/error.log`);
    assert.match(errorLog, new RegExp(`unexpected failure route="POST /api/v1/clients" request_id=${requestId}`));
    assert.ok(!errorLog.includes(token));
  } finally {
    await sentry.close();
  }
});
