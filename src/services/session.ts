/**
 * Login, logout and the check every command makes of its token: verify it,
 * check that it belongs to this database, is not revoked and was issued after
 * its user's last password or role change, then load its user from the
 * database so that every decision uses the role stored now.
 * @module
 */
import { NotAuthenticatedError } from "../domain/errors.ts";
import { findCredentials, findUserById, rehashPassword, type User } from "../repositories/users.ts";
import {
  databaseId,
  endLoginAttempt,
  endUserSessions,
  type LoginSlot,
  reserveLoginAttempt,
  revokeToken,
  sessionState,
  settleLoginFailure,
} from "../repositories/sessions.ts";
import { transaction } from "../repositories/sql.ts";
import { issueToken, type TokenClaims, verifyToken } from "../security/tokens.ts";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "../security/passwords.ts";
import { insertAuditEntry } from "../repositories/audit.ts";
import type { Actor, ServiceContext } from "./context.ts";

/** How tokens are signed and how long they live. */
export interface TokenSettings {
  secret: string;
  lifetimeMinutes: number;
}

/** Consecutive failures before an email is locked. */
export const MAX_FAILURES = 5;
/** How long a locked email stays locked. */
export const LOCK_MINUTES = 15;

/** Longest email a collaborator can have (the column's limit). */
const MAX_EMAIL_LENGTH = 100;

const BAD_CREDENTIALS = "Invalid email or password.";

/** Every refused session that a new login fixes says this. */
export const SESSION_ENDED = "session ended, log in again";

const OTHER_DATABASE =
  `This session was not issued by this database (another one, this one before a reset or a restore, or an older version): ${SESSION_ENDED}.`;
const ACCOUNT_GONE = `Your account no longer exists: ${SESSION_ENDED}.`;
const EPOCH_MOVED = `Your password or role changed, or you logged out everywhere: ${SESSION_ENDED}.`;
const LOGGED_OUT = "This session was logged out: run `epic-events login`.";

/** The acting user, or exit 3. */
export function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new NotAuthenticatedError();
  return ctx.actor;
}

/** A successful login. */
export interface LoginResult {
  token: string;
  user: User;
  expires_at: string;
}

/**
 * Checks an email and password. Unknown email, wrong password and a locked
 * email give the same message, the same exit code and about the same time.
 *
 * Throttling is atomic: a password check is reserved (and counted as a
 * failure) in the email's `login_attempts` row under a row lock before bcrypt
 * runs, so however many attempts run in parallel at most {@link MAX_FAILURES}
 * passwords are checked before the email is locked for {@link LOCK_MINUTES}
 * minutes; while locked even the right password is refused. Every failure
 * counts: a success forgives only the failures settled before its own attempt
 * began, and never lifts a lock that attempts made after it began set (see
 * docs/concurrency.md). A hash made at another cost than `bcryptRounds` is
 * replaced by one at the current cost, so that a login takes as long for
 * every email.
 */
export async function login(
  ctx: ServiceContext,
  input: { email: string; password: string },
  tokens: TokenSettings,
  bcryptRounds: number,
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const now = ctx.now();
  const nowIso = now.toISOString();
  // An email longer than any stored one cannot exist (nor be counted in the
  // table): it is answered like an unknown one.
  const possible = email !== "" && [...email].length <= MAX_EMAIL_LENGTH;
  const slot: LoginSlot = possible
    ? await transaction(ctx.db, (tx) =>
      reserveLoginAttempt(tx, email, {
        now: nowIso,
        limit: MAX_FAILURES,
        lockUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString(),
      }))
    : { allowed: true, failures: 0, attempt: 0, settledBefore: 0 };
  const counted = possible && slot.allowed;
  let settled = false;
  try {
    const credentials = possible ? await findCredentials(ctx.db, email) : undefined;
    // Locked or unknown: the same work against a dummy hash at the current cost.
    const ok = credentials && slot.allowed
      ? await verifyPassword(input.password, credentials.password_hash)
      : await verifyAgainstDummy(input.password, bcryptRounds);
    if (!ok || !credentials || !slot.allowed) {
      settled = true;
      await transaction(ctx.db, async (tx) => {
        if (counted) await settleLoginFailure(tx, email);
        await insertAuditEntry(tx, {
          occurred_at: nowIso,
          actor_id: null,
          action: "login.failed",
          entity: "user",
          entity_id: credentials?.id ?? null,
          changes: {
            email: { old: null, new: possible ? email : `${[...email].slice(0, MAX_EMAIL_LENGTH).join("")}…` },
            ...(slot.allowed ? {} : { locked: { old: null, new: true } }),
          },
        });
      });
      ctx.reporter.loginRefused?.(slot.allowed ? "credentials" : "email_locked");
      throw new NotAuthenticatedError(BAD_CREDENTIALS);
    }
    const rehashed = needsRehash(credentials.password_hash, bcryptRounds)
      ? await hashPassword(input.password, bcryptRounds).catch(() => undefined)
      : undefined;
    const did = await transaction(ctx.db, async (tx) => {
      await endLoginAttempt(tx, email, { attempt: slot.attempt, forgive: slot.settledBefore, limit: MAX_FAILURES });
      if (rehashed) await rehashPassword(tx, credentials.id, { from: credentials.password_hash, to: rehashed });
      await insertAuditEntry(tx, {
        occurred_at: nowIso,
        actor_id: credentials.id,
        action: "login",
        entity: "user",
        entity_id: credentials.id,
        changes: null,
      });
      return await databaseId(tx);
    });
    settled = true;
    return await issueSession(ctx, { credentials, did, now, tokens });
  } catch (error) {
    // A check that failed for another reason than the password (the database) is no failure of the email.
    if (counted && !settled) {
      const ended = { attempt: slot.attempt, forgive: 0, limit: MAX_FAILURES };
      await transaction(ctx.db, (tx) => endLoginAttempt(tx, email, ended)).catch(() => {});
    }
    throw error;
  }
}

/** The token of a login whose password was right. */
async function issueSession(
  ctx: ServiceContext,
  login: {
    credentials: { id: number; session_epoch: number };
    did: string | null;
    now: Date;
    tokens: TokenSettings;
  },
): Promise<LoginResult> {
  const { credentials, did, now, tokens } = login;
  const user = await findUserById(ctx.db, credentials.id);
  if (!user || did === null) throw new NotAuthenticatedError(BAD_CREDENTIALS);
  // The epoch read with the hash: a password change committed since then
  // ends this session at once.
  const issued = await issueToken({ id: user.id, role: user.role }, {
    ...tokens,
    now,
    databaseId: did,
    sessionEpoch: credentials.session_epoch,
  });
  return { token: issued.token, user, expires_at: new Date(issued.claims.exp * 1000).toISOString() };
}

/** A verified session: the user as stored now, and the token's claims. */
export interface Session {
  actor: Actor;
  user: User;
  claims: TokenClaims;
}

/**
 * Verifies a token and loads its user. Exit 3 when the token is bad or
 * expired, was issued by another database (or by this one before a
 * `migrate down` and `up`), was logged out, belongs to a deleted user, or
 * was issued before its user's last password change, role change or
 * `logout --all`.
 */
export async function authenticate(
  ctx: Pick<ServiceContext, "db" | "now">,
  token: string,
  secret: string,
): Promise<Session> {
  const claims = await verifyToken(token, { secret, now: ctx.now() });
  const state = await sessionState(ctx.db, { userId: claims.sub, jti: claims.jti });
  if (state.database_id === null || claims.did !== state.database_id) throw new NotAuthenticatedError(OTHER_DATABASE);
  if (state.revoked) throw new NotAuthenticatedError(LOGGED_OUT);
  if (state.session_epoch === null) throw new NotAuthenticatedError(ACCOUNT_GONE);
  if (claims.sep !== state.session_epoch) throw new NotAuthenticatedError(EPOCH_MOVED);
  const user = state.user;
  if (!user) throw new NotAuthenticatedError(ACCOUNT_GONE);
  return { actor: { id: user.id, email: user.email, role: user.role }, user, claims };
}

/** Revokes the session's token on the database side. */
export async function logout(ctx: ServiceContext, claims: TokenClaims): Promise<void> {
  const now = ctx.now().toISOString();
  await transaction(ctx.db, async (tx) => {
    await revokeToken(tx, {
      jti: claims.jti,
      userId: claims.sub,
      expiresAt: new Date(claims.exp * 1000).toISOString(),
    }, now);
    await insertAuditEntry(tx, {
      occurred_at: now,
      actor_id: claims.sub,
      action: "logout",
      entity: "user",
      entity_id: claims.sub,
      changes: null,
    });
  });
}

/** `logout --all`: ends every session of the acting user, this one included (audited). */
export async function logoutEverywhere(ctx: ServiceContext): Promise<void> {
  const actor = requireActor(ctx);
  const now = ctx.now().toISOString();
  await transaction(ctx.db, async (tx) => {
    if (!await endUserSessions(tx, actor.id)) throw new NotAuthenticatedError(ACCOUNT_GONE);
    await insertAuditEntry(tx, {
      occurred_at: now,
      actor_id: actor.id,
      action: "logout.all",
      entity: "user",
      entity_id: actor.id,
      changes: null,
    });
  });
}
