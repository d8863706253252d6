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
}

/** Fewest bytes accepted in `SECRET_KEY`. */
export const SECRET_KEY_MIN_BYTES = 32;

const ALGORITHM = "HS256";
const EXPIRED_MESSAGE = "Your session has expired: run `epic-events login`.";
const INVALID_MESSAGE = "Invalid session token: run `epic-events login`.";

type Jose = typeof import("jose");

let jose: Promise<Jose> | undefined;

function loadJose(): Promise<Jose> {
  jose ??= import("jose");
  return jose;
}

const encoder = new TextEncoder();

/**
 * Checks that `secret` is long enough to sign tokens.
 *
 * @throws {InvalidInputError} naming `SECRET_KEY` when it is shorter than 32 bytes.
 */
export function assertSecretKey(secret: string): void {
  if (encoder.encode(secret).length < SECRET_KEY_MIN_BYTES) {
    throw new InvalidInputError(`SECRET_KEY: must be at least ${SECRET_KEY_MIN_BYTES} bytes long`, "SECRET_KEY");
  }
}

/**
 * Issues a token for `user`, valid `lifetimeMinutes` from `now`, with a fresh
 * random `jti`.
 *
 * @throws {InvalidInputError} when the secret is too short.
 */
export async function issueToken(
  user: { id: number; role: Role },
  options: { secret: string; lifetimeMinutes: number; now: Date },
): Promise<{ token: string; claims: TokenClaims }> {
  assertSecretKey(options.secret);
  if (!Number.isSafeInteger(user.id) || user.id < 1) {
    throw new TypeError("issueToken: user.id must be a positive integer");
  }
  if (!isRole(user.role)) throw new TypeError("issueToken: user.role must be a role");
  if (!Number.isFinite(options.lifetimeMinutes) || options.lifetimeMinutes <= 0) {
    throw new TypeError("issueToken: lifetimeMinutes must be positive");
  }
  const { SignJWT } = await loadJose();
  const iat = Math.floor(options.now.getTime() / 1000);
  const claims: TokenClaims = {
    sub: user.id,
    role: user.role,
    iat,
    exp: iat + Math.round(options.lifetimeMinutes * 60),
    jti: crypto.randomUUID(),
  };
  const token = await new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setSubject(String(claims.sub))
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setJti(claims.jti)
    .sign(encoder.encode(options.secret));
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
  const { jwtVerify, errors } = await loadJose();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, encoder.encode(options.secret), {
      algorithms: [ALGORITHM],
      typ: "JWT",
      currentDate: options.now,
      requiredClaims: ["sub", "role", "iat", "exp", "jti"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new NotAuthenticatedError(EXPIRED_MESSAGE);
    throw new NotAuthenticatedError(INVALID_MESSAGE);
  }
  const { sub, role, iat, exp, jti } = payload;
  if (
    typeof sub !== "string" || !/^[1-9][0-9]{0,15}$/.test(sub) || !Number.isSafeInteger(Number(sub)) ||
    !isRole(role) || typeof iat !== "number" || typeof exp !== "number" || typeof jti !== "string" || jti === ""
  ) {
    throw new NotAuthenticatedError(INVALID_MESSAGE);
  }
  return { sub: Number(sub), role, iat, exp, jti };
}
