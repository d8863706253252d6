/**
 * Password hashing with bcrypt (hash-wasm: pure WASM, no native addon, so the
 * compiled binary cross-compiles). hash-wasm is loaded on first use, so
 * commands that never hash do not pay for it.
 *
 * A password is never logged, printed or put in an error message.
 * @module
 */
import { InvalidInputError } from "../domain/errors.ts";
import { msg } from "../domain/messages.ts";

/** Fewest characters accepted in a password. */
export const PASSWORD_MIN_LENGTH = 8;

/** Most UTF-8 bytes accepted in a password: bcrypt ignores anything past 72 bytes. */
export const PASSWORD_MAX_BYTES = 72;

type HashWasm = typeof import("hash-wasm");

let hashWasm: Promise<HashWasm> | undefined;

function loadHashWasm(): Promise<HashWasm> {
  hashWasm ??= import("hash-wasm");
  return hashWasm;
}

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Whether bcrypt can take `password` at all (1 to 72 bytes). */
function isHashable(password: string): boolean {
  const bytes = utf8Length(password);
  return bytes >= 1 && bytes <= PASSWORD_MAX_BYTES;
}

/**
 * Checks the length rules of a new password: at least
 * {@link PASSWORD_MIN_LENGTH} characters and at most
 * {@link PASSWORD_MAX_BYTES} bytes in UTF-8.
 *
 * @throws {InvalidInputError} with field `password` when a rule is broken.
 */
export function validatePassword(password: string): void {
  // Count code points, not UTF-16 units, so "8 characters" means what a user sees.
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    throw new InvalidInputError(msg("errors.password.short", { min: PASSWORD_MIN_LENGTH }), "password");
  }
  const bytes = utf8Length(password);
  if (bytes > PASSWORD_MAX_BYTES) {
    throw new InvalidInputError(msg("errors.password.long", { max: PASSWORD_MAX_BYTES, bytes }), "password");
  }
}

/**
 * Hashes `password` with bcrypt at cost `rounds` (2^rounds iterations) and a
 * fresh 16-byte random salt. Returns the encoded form (`$2a$12$...`).
 *
 * @throws {InvalidInputError} when the password breaks {@link validatePassword}.
 */
export async function hashPassword(password: string, rounds: number): Promise<string> {
  validatePassword(password);
  const { bcrypt } = await loadHashWasm();
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return await bcrypt({ password, salt, costFactor: rounds, outputType: "encoded" });
}

/** The cost factor of a bcrypt hash (`$2a$12$…` → 12), or null when it is not one. */
export function hashCost(hash: string): number | null {
  const match = /^\$2[abxy]?\$(\d{2})\$/.exec(hash);
  return match ? Number(match[1]) : null;
}

/**
 * Whether a stored hash should be replaced by one at cost `rounds`: its cost
 * differs (`BCRYPT_ROUNDS` changed since it was made) or it is not a bcrypt
 * hash we can read. Called after a successful login, when the password is at
 * hand, so that every hash converges to the current cost and a login takes the
 * same time whether the email exists or not.
 */
export function needsRehash(hash: string, rounds: number): boolean {
  return hashCost(hash) !== rounds;
}

/** A password that cannot match any stored hash, used to spend the time of a verify. */
const UNMATCHABLE = "\u0000not-a-password\u0000";

/**
 * Whether `password` matches the bcrypt `hash`. Never throws: a malformed hash
 * gives `false`. A password bcrypt cannot take (empty or over 72 bytes) gives
 * `false` too, after spending the same time as a real comparison.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    const { bcryptVerify } = await loadHashWasm();
    if (!isHashable(password)) {
      await bcryptVerify({ password: UNMATCHABLE, hash });
      return false;
    }
    return await bcryptVerify({ password, hash });
  } catch {
    return false;
  }
}

/** Per process: a well-formed bcrypt hash of a random secret, computed once at cost 4. */
let dummyBase: Promise<string> | undefined;

async function dummyHash(rounds: number): Promise<string> {
  dummyBase ??= (async () => {
    const { bcrypt } = await loadHashWasm();
    const password = crypto.getRandomValues(new Uint8Array(32));
    const salt = crypto.getRandomValues(new Uint8Array(16));
    return await bcrypt({ password, salt, costFactor: 4, outputType: "encoded" });
  })();
  const base = await dummyBase;
  // "$2a$04$<salt+digest>": rewriting the cost field gives a hash that verifies
  // at cost `rounds` (the same work as a real verify) without first paying for
  // hashing at that cost, and which no password matches.
  return `${base.slice(0, 4)}${String(rounds).padStart(2, "0")}${base.slice(6)}`;
}

/**
 * Spends about the time of {@link verifyPassword} against a hash of cost
 * `rounds`, then returns `false`. Used when the email is unknown, so the
 * response time does not reveal which emails exist.
 */
export async function verifyAgainstDummy(password: string, rounds: number): Promise<false> {
  try {
    const hash = await dummyHash(rounds);
    await verifyPassword(password, hash);
  } catch {
    // Nothing to report: the answer is "no" either way.
  }
  return false;
}
