import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { SignJWT } from "jose";
import { assertSecretKey, issueToken, verifyToken } from "../../src/security/tokens.ts";
import { InvalidInputError, NotAuthenticatedError } from "../../src/domain/errors.ts";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const OTHER_SECRET = "another-test-secret-that-is-long-enough-9876";
const NOW = new Date("2030-06-01T12:00:00Z");
const INVALID = /^Invalid session token: run `epic-events login`\.$/;
const EXPIRED = /^Your session has expired: run `epic-events login`\.$/;

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decode(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
}

async function assertRejected(token: string, message: RegExp, secret = SECRET, now = NOW) {
  await assert.rejects(verifyToken(token, { secret, now }), (error: unknown) => {
    assert.ok(error instanceof NotAuthenticatedError, `expected NotAuthenticatedError, got ${error}`);
    assert.equal(error.exitCode, 3);
    assert.match(error.message, message);
    return true;
  });
}

function signRaw(claims: Record<string, unknown>, alg = "HS256", secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

const iat = Math.floor(NOW.getTime() / 1000);

Deno.test("issue then verify returns the same claims", async () => {
  const { token, claims } = await issueToken({ id: 42, role: "SALES" }, {
    secret: SECRET,
    lifetimeMinutes: 60,
    now: NOW,
  });
  assert.deepEqual(claims, { sub: 42, role: "SALES", iat, exp: iat + 3600, jti: claims.jti });
  assert.match(claims.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const [header, payload] = token.split(".");
  assert.deepEqual(decode(header), { alg: "HS256", typ: "JWT" });
  assert.equal(decode(payload).sub, "42", "sub is a string inside the JWT");
  assert.deepEqual(await verifyToken(token, { secret: SECRET, now: new Date(NOW.getTime() + 59 * 60_000) }), claims);
});

Deno.test("each token gets its own jti", async () => {
  const options = { secret: SECRET, lifetimeMinutes: 5, now: NOW };
  const a = await issueToken({ id: 1, role: "MANAGEMENT" }, options);
  const b = await issueToken({ id: 1, role: "MANAGEMENT" }, options);
  assert.notEqual(a.claims.jti, b.claims.jti);
  assert.notEqual(a.token, b.token);
});

Deno.test("a tampered payload (role changed) is rejected", async () => {
  const { token } = await issueToken({ id: 7, role: "SUPPORT" }, { secret: SECRET, lifetimeMinutes: 60, now: NOW });
  const [header, payload, signature] = token.split(".");
  const forged = [header, b64url({ ...decode(payload), role: "MANAGEMENT" }), signature].join(".");
  await assertRejected(forged, INVALID);
  const otherUser = [header, b64url({ ...decode(payload), sub: "1" }), signature].join(".");
  await assertRejected(otherUser, INVALID);
});

Deno.test("alg none with an empty signature is rejected", async () => {
  const { token } = await issueToken({ id: 7, role: "SUPPORT" }, { secret: SECRET, lifetimeMinutes: 60, now: NOW });
  const payload = token.split(".")[1];
  await assertRejected(`${b64url({ alg: "none", typ: "JWT" })}.${payload}.`, INVALID);
  await assertRejected(`${b64url({ alg: "none" })}.${b64url({ ...decode(payload), role: "MANAGEMENT" })}.`, INVALID);
});

Deno.test("an expired token is rejected with the expired message", async () => {
  const twoDaysAgo = new Date(NOW.getTime() - 2 * 24 * 3600_000);
  const { token } = await issueToken({ id: 3, role: "SALES" }, {
    secret: SECRET,
    lifetimeMinutes: 60,
    now: twoDaysAgo,
  });
  await assertRejected(token, EXPIRED);
  // Exactly at exp it is already expired; one second before it is not.
  const fresh = await issueToken({ id: 3, role: "SALES" }, { secret: SECRET, lifetimeMinutes: 1, now: NOW });
  await verifyToken(fresh.token, { secret: SECRET, now: new Date(NOW.getTime() + 59_000) });
  await assertRejected(fresh.token, EXPIRED, SECRET, new Date(NOW.getTime() + 60_000));
});

Deno.test("a token verified once is checked again for its secret and its times, and each caller gets its own claims", async () => {
  const { token, claims } = await issueToken({ id: 4, role: "SUPPORT" }, {
    secret: SECRET,
    lifetimeMinutes: 5,
    now: NOW,
  });
  const first = await verifyToken(token, { secret: SECRET, now: NOW });
  assert.deepEqual(first, claims);
  (first as { sub: number }).sub = 99; // a caller's changes stay its own
  assert.deepEqual(await verifyToken(token, { secret: SECRET, now: NOW }), claims);
  // Verified with one secret, not accepted with another (a server restarted with a new SECRET_KEY).
  await assertRejected(token, INVALID, OTHER_SECRET);
  await assertRejected(token, EXPIRED, SECRET, new Date(NOW.getTime() + 5 * 60_000));
  // Later still: expired (verified again in full, since an expired token is forgotten).
  await assertRejected(token, EXPIRED, SECRET, new Date(NOW.getTime() + 5 * 60_000 + 1_000));
  // A token that is not valid yet (nbf) is invalid, before and after a verification that succeeded.
  const later = await signRaw({ sub: "4", role: "SUPPORT", iat, exp: iat + 600, jti: "j-nbf", nbf: iat + 60 });
  await assertRejected(later, INVALID);
  assert.equal((await verifyToken(later, { secret: SECRET, now: new Date(NOW.getTime() + 60_000) })).jti, "j-nbf");
  await assertRejected(later, INVALID);
});

Deno.test("an expired token with a bad signature is invalid, not merely expired", async () => {
  const { token } = await issueToken({ id: 3, role: "SALES" }, {
    secret: OTHER_SECRET,
    lifetimeMinutes: 60,
    now: new Date(NOW.getTime() - 2 * 24 * 3600_000),
  });
  await assertRejected(token, INVALID);
});

Deno.test("a token signed with another secret is rejected", async () => {
  const { token } = await issueToken({ id: 7, role: "MANAGEMENT" }, {
    secret: OTHER_SECRET,
    lifetimeMinutes: 60,
    now: NOW,
  });
  await assertRejected(token, INVALID);
});

Deno.test("the algorithm is pinned: an HS512 token with the same secret is rejected", async () => {
  const token = await signRaw({ sub: "7", role: "MANAGEMENT", iat, exp: iat + 3600, jti: "x" }, "HS512");
  await assertRejected(token, INVALID);
  // The same claims under HS256 are accepted, so the rejection above is about the algorithm.
  const hs256 = await signRaw({ sub: "7", role: "MANAGEMENT", iat, exp: iat + 3600, jti: "x" });
  assert.equal((await verifyToken(hs256, { secret: SECRET, now: NOW })).sub, 7);
});

Deno.test("missing or malformed claims are rejected even when correctly signed", async () => {
  const base = { sub: "7", role: "SALES", iat, exp: iat + 3600, jti: "abc" };
  for (const key of ["sub", "role", "iat", "exp", "jti"] as const) {
    const claims: Record<string, unknown> = { ...base };
    delete claims[key];
    await assertRejected(await signRaw(claims), INVALID);
  }
  for (
    const patch of [{ sub: "abc" }, { sub: "0" }, { sub: "-1" }, { sub: "1.5" }, { sub: 7 }, { role: "ADMIN" }, {
      jti: "",
    }, { jti: 5 }]
  ) {
    await assertRejected(await signRaw({ ...base, ...patch }), INVALID);
  }
});

Deno.test("garbage is rejected as invalid", async () => {
  for (const token of ["", "garbage", "a.b.c", "...", "eyJhbGciOiJIUzI1NiJ9..", `${"x".repeat(5000)}`]) {
    await assertRejected(token, INVALID);
  }
});

Deno.test("a short secret is an InvalidInputError naming SECRET_KEY", async () => {
  const check = (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${error}`);
    assert.equal(error.field, "SECRET_KEY");
    assert.match(error.message, /SECRET_KEY/);
    assert.ok(!error.message.includes("short-secret"), "the message must not echo the secret");
    return true;
  };
  assert.throws(() => assertSecretKey("short-secret"), check);
  assert.throws(() => assertSecretKey("x".repeat(31)), check);
  assertSecretKey("x".repeat(32));
  await assert.rejects(
    issueToken({ id: 1, role: "SALES" }, { secret: "short-secret", lifetimeMinutes: 5, now: NOW }),
    check,
  );
  await assert.rejects(verifyToken("a.b.c", { secret: "short-secret", now: NOW }), check);
});

Deno.test("the database id (did) and session epoch (sep) travel in the token; malformed ones are rejected", async () => {
  const { token, claims } = await issueToken({ id: 9, role: "SUPPORT" }, {
    secret: SECRET,
    lifetimeMinutes: 60,
    now: NOW,
    databaseId: "0f3a9c",
    sessionEpoch: 4,
  });
  assert.equal(claims.did, "0f3a9c");
  assert.equal(claims.sep, 4);
  assert.deepEqual(decode(token.split(".")[1]).did, "0f3a9c");
  assert.deepEqual(await verifyToken(token, { secret: SECRET, now: NOW }), claims);
  const base = { sub: "7", role: "SALES", iat, exp: iat + 3600, jti: "abc" };
  for (const patch of [{ did: "" }, { did: 5 }, { did: "x".repeat(65) }, { sep: -1 }, { sep: 1.5 }, { sep: "1" }]) {
    await assertRejected(await signRaw({ ...base, ...patch }), INVALID);
  }
  await assert.rejects(
    issueToken({ id: 1, role: "SALES" }, { secret: SECRET, lifetimeMinutes: 5, now: NOW, sessionEpoch: -1 }),
    TypeError,
  );
});
