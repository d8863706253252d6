/**
 * The floor of `GET /api/v1/clients?limit=N`: a bare `Deno.serve` handler on
 * postgres.js and jose doing the same work as `epic-events serve` — verify
 * the HS256 token, check its session (this database's id, not revoked, the
 * user's session epoch) in one query, read N clients in another — and
 * answering the same bytes, with nothing else: no router, no services, no
 * logging. `bench/http_throughput.ts` runs it beside `serve` to say how far
 * the program is from what the runtime and the driver allow.
 *
 *     DATABASE_URL=postgres://… SECRET_KEY=… deno run -A bench/http_bare.ts
 *
 * Like `serve` (`src/security/tokens.ts`), it verifies a token's signature
 * once and remembers it by its text (at most 1,024), checking `exp` again at
 * each use, so that the floor is the best the runtime allows; with
 * `BARE_VERIFY_EVERY=1` it verifies every request (the floor before issue 20's
 * fourth pass, for reference).
 *
 * Prints `listening on http://127.0.0.1:PORT` once bound (loopback only).
 * @module
 */
import postgres from "postgres";
import { jwtVerify } from "jose/jwt/verify";

const url = Deno.env.get("DATABASE_URL");
const secret = Deno.env.get("SECRET_KEY");
if (!url?.startsWith("postgres") || !secret) {
  console.error("DATABASE_URL (postgres://…) and SECRET_KEY are needed.");
  Deno.exit(2);
}
// Imported once: given the secret's bytes, jose would import a key at every request (~60 µs).
const key = await crypto.subtle.importKey(
  "raw",
  new TextEncoder().encode(secret),
  { name: "HMAC", hash: "SHA-256" },
  false,
  [
    "verify",
  ],
);
const sql = postgres(url, {
  onnotice: () => {},
  types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
});

const headers = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

function refuse(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: { code: "not_authenticated", message } }) + "\n", { status, headers });
}

type Claims = { sub?: string; jti?: string; did?: unknown; sep?: unknown; exp?: number };
const verifyEvery = Deno.env.get("BARE_VERIFY_EVERY") === "1";
const verified = new Map<string, Claims>();

async function verify(token: string): Promise<Claims> {
  const known = verifyEvery ? undefined : verified.get(token);
  if (known && (known.exp === undefined || known.exp > Date.now() / 1000)) return known;
  const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"] });
  if (!verifyEvery) {
    if (verified.size >= 1024) verified.delete(verified.keys().next().value!);
    verified.set(token, payload);
  }
  return payload;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
}, async (request) => {
  const target = new URL(request.url);
  if (request.method !== "GET" || target.pathname !== "/api/v1/clients") return refuse(404, "No such route.");
  const bearer = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!bearer) return refuse(401, "No token.");
  let claims: Claims;
  try {
    claims = await verify(bearer);
  } catch {
    return refuse(401, "Invalid session token.");
  }
  const [state] = await sql`SELECT (SELECT database_id FROM database_identity WHERE singleton = 1) AS database_id,
      (SELECT count(*) FROM revoked_tokens WHERE jti = ${claims.jti ?? ""}) AS revoked,
      u.session_epoch, u.role
    FROM users u WHERE u.id = ${Number(claims.sub)}`;
  if (!state || state.database_id !== claims.did || state.revoked > 0 || state.session_epoch !== claims.sep) {
    return refuse(401, "Session ended.");
  }
  const limit = Math.min(Math.max(Number(target.searchParams.get("limit") ?? 100), 1), 1000);
  const rows = await sql`SELECT id, full_name, email, phone, company_name, sales_contact_id, created_at, last_updated
    FROM clients ORDER BY id LIMIT ${limit}`;
  let body = rows.length === 0 ? "[]\n" : "[\n";
  rows.forEach((row, i) => {
    body += (i === 0 ? "" : ",\n") +
      JSON.stringify({ ...row, created_at: iso(row.created_at), last_updated: iso(row.last_updated) });
  });
  if (rows.length > 0) body += "\n]\n";
  return new Response(body, { headers: { ...headers, "x-request-id": crypto.randomUUID() } });
});
// Ends normally on SIGTERM, so that `--cpu-prof` writes its profile.
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
