/**
 * Session tokens: JWTs signed with HS256 (jose, loaded on first use). The
 * algorithm is pinned on verification, so `alg: none` or any other algorithm is
 * refused. Every failure to verify is a {@link NotAuthenticatedError} (exit 3).
 *
 * A token or secret is never logged, printed or put in an error message.
 * @module
 */
import { InvalidInputError, NotAuthenticatedError } from "../domain/errors.ts";
import { isRole, type Role } from "../domain/roles.ts";
import { msg } from "../domain/messages.ts";

/** The verified claims of a session token. */
export interface TokenClaims {
  /** The user id (a string `sub` in the JWT itself). */
  sub: number;
  /** The role when the token was issued; decisions use the role in the database. */
  role: Role;
  /** Issued at, in seconds since the epoch. */
  iat: number;
  /** Expires at, in seconds since the epoch. */
  exp: number;
  /** Unique token id, for revocation. */
  jti: string;
  /** Id of the database that issued the token (`did`); a token is valid only there. */
  did?: string;
  /** The user's session epoch when the token was issued (`sep`); a newer epoch ends the session. */
  sep?: number;
}

/** Fewest bytes accepted in `SECRET_KEY`. */
export const SECRET_KEY_MIN_BYTES = 32;

const ALGORITHM = "HS256";
const EXPIRED_MESSAGE = msg("errors.session.expired");
const INVALID_MESSAGE = msg("errors.session.invalid_token");

// jose's entry point loads every JOSE module (~46 files); signing and
// verifying need only these subpaths, each loaded on first use.
let signer: Promise<typeof import("jose/jwt/sign")> | undefined;
let verifier: Promise<[typeof import("jose/jwt/verify"), typeof import("jose/errors")]> | undefined;

const encoder = new TextEncoder();

/** Secrets whose HMAC key was imported, at most this many (a process has one; tests have a few). */
const MAX_KEYS = 8;
const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The HS256 key of `secret`, imported once: given the secret's bytes, jose
 * imports a WebCrypto key at every call, which cost 4 times the verification
 * itself (~60 of ~75 µs per request of `serve`).
 */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
    // A failed import is not kept.
    key.catch(() => keys.delete(secret));
  }
  return key;
}

/**
 * Checks that `secret` is long enough to sign tokens.
 *
 * @throws {InvalidInputError} naming `SECRET_KEY` when it is shorter than 32 bytes.
 */
export function assertSecretKey(secret: string): void {
  if (encoder.encode(secret).length < SECRET_KEY_MIN_BYTES) {
    throw new InvalidInputError(msg("errors.key.secret_short", { min: SECRET_KEY_MIN_BYTES }), "SECRET_KEY");
  }
}

/** How a token is signed and what binds it to one database and one session epoch. */
export interface IssueOptions {
  secret: string;
  lifetimeMinutes: number;
  now: Date;
  /** Id of the issuing database, put in the `did` claim. */
  databaseId?: string;
  /** The user's session epoch, put in the `sep` claim. */
  sessionEpoch?: number;
}

/**
 * Issues a token for `user`, valid `lifetimeMinutes` from `now`, with a fresh
 * random `jti`, and the `did` and `sep` claims when given.
 *
 * @throws {InvalidInputError} when the secret is too short.
 */
export async function issueToken(
  user: { id: number; role: Role },
  options: IssueOptions,
): Promise<{ token: string; claims: TokenClaims }> {
  assertSecretKey(options.secret);
  if (!Number.isSafeInteger(user.id) || user.id < 1) {
    throw new TypeError("issueToken: user.id must be a positive integer"); // i18n-ignore: a bug of the program
  }
  if (!isRole(user.role)) throw new TypeError("issueToken: user.role must be a role"); // i18n-ignore: a bug of the program
  if (!Number.isFinite(options.lifetimeMinutes) || options.lifetimeMinutes <= 0) {
    throw new TypeError("issueToken: lifetimeMinutes must be positive"); // i18n-ignore: a bug of the program
  }
  if (options.databaseId !== undefined && !isDatabaseId(options.databaseId)) {
    throw new TypeError("issueToken: databaseId must be 1 to 64 letters, digits or dashes"); // i18n-ignore: a bug of the program
  }
  if (options.sessionEpoch !== undefined && !isEpoch(options.sessionEpoch)) {
    throw new TypeError("issueToken: sessionEpoch must be a non-negative integer"); // i18n-ignore: a bug of the program
  }
  const { SignJWT } = await (signer ??= import("jose/jwt/sign"));
  const iat = Math.floor(options.now.getTime() / 1000);
  const claims: TokenClaims = {
    sub: user.id,
    role: user.role,
    iat,
    exp: iat + Math.round(options.lifetimeMinutes * 60),
    jti: crypto.randomUUID(),
    ...(options.databaseId !== undefined ? { did: options.databaseId } : {}),
    ...(options.sessionEpoch !== undefined ? { sep: options.sessionEpoch } : {}),
  };
  const payload: Record<string, unknown> = { role: claims.role };
  if (claims.did !== undefined) payload.did = claims.did;
  if (claims.sep !== undefined) payload.sep = claims.sep;
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setSubject(String(claims.sub))
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setJti(claims.jti)
    .sign(await hmacKey(options.secret));
  return { token, claims };
}

/**
 * Verifies `token` (signature with the algorithm pinned to HS256, expiry
 * against `now`, required claims) and returns its claims.
 *
 * @throws {NotAuthenticatedError} for any bad token: expired ("Your session has
 * expired…"), or tampered, wrongly signed, of another algorithm, malformed
 * ("Invalid session token…").
 * @throws {InvalidInputError} when the secret itself is too short.
 */
export async function verifyToken(token: string, options: { secret: string; now: Date }): Promise<TokenClaims> {
  assertSecretKey(options.secret);
  const known = verified.get(token);
  if (known !== undefined && known.secret === options.secret) return checkTimes(token, known, options.now);
  const [{ jwtVerify }, errors] = await (verifier ??= Promise.all([import("jose/jwt/verify"), import("jose/errors")]));
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, await hmacKey(options.secret), {
      algorithms: [ALGORITHM],
      typ: "JWT",
      currentDate: options.now,
      requiredClaims: ["sub", "role", "iat", "exp", "jti"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new NotAuthenticatedError(EXPIRED_MESSAGE);
    throw new NotAuthenticatedError(INVALID_MESSAGE);
  }
  const { sub, role, iat, exp, jti, did, sep } = payload;
  if (
    typeof sub !== "string" || !/^[1-9][0-9]{0,15}$/.test(sub) || !Number.isSafeInteger(Number(sub)) ||
    !isRole(role) || typeof iat !== "number" || typeof exp !== "number" || typeof jti !== "string" || jti === "" ||
    (did !== undefined && !isDatabaseId(did)) || (sep !== undefined && !isEpoch(sep))
  ) {
    throw new NotAuthenticatedError(INVALID_MESSAGE);
  }
  const claims: TokenClaims = {
    sub: Number(sub),
    role,
    iat,
    exp,
    jti,
    ...(did !== undefined ? { did: did as string } : {}),
    ...(sep !== undefined ? { sep: sep as number } : {}),
  };
  remember(token, { secret: options.secret, claims, nbf: typeof payload.nbf === "number" ? payload.nbf : undefined });
  return { ...claims };
}

/** A token whose signature and claims were verified with `secret`; `nbf` and `exp` are checked again at each use. */
interface Verified {
  secret: string;
  claims: TokenClaims;
  nbf: number | undefined;
}

/** Tokens verified already, at most this many (a server sees the same few tokens request after request). */
const MAX_VERIFIED = 1024;

/**
 * Verified tokens by their text: the same text signed with the same secret
 * verifies the same way, so only what depends on the time is checked again.
 * A server's clients send one token with every request (the CLI one per
 * session), and the HMAC verification through WebCrypto (an asynchronous
 * operation on another thread) was the largest single cost of an
 * authenticated request (docs/performance.md). Whether the session still
 * holds (revoked, epoch, database) is asked of the database at every request
 * by the caller, as before.
 */
const verified = new Map<string, Verified>();

function remember(token: string, entry: Verified): void {
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
  verified.set(token, entry);
}

/** jose's time checks (no clock tolerance): not yet valid is an invalid token, `exp` reached an expired one. */
function checkTimes(token: string, known: Verified, now: Date): TokenClaims {
  const seconds = Math.floor(now.getTime() / 1000);
  if (known.nbf !== undefined && known.nbf > seconds) throw new NotAuthenticatedError(INVALID_MESSAGE);
  if (known.claims.exp <= seconds) {
    verified.delete(token);
    throw new NotAuthenticatedError(EXPIRED_MESSAGE);
  }
  return { ...known.claims };
}

function isDatabaseId(value: unknown): value is string {
  return typeof value === "string" && /^[0-9A-Za-z-]{1,64}$/.test(value);
}

function isEpoch(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
