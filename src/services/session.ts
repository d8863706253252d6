/**
 * Login, logout and the check every command makes of its token: verify it,
 * refuse a revoked one, then load its user from the database so that every
 * decision uses the role stored now.
 * @module
 */
import { NotAuthenticatedError } from "../domain/errors.ts";
import { findCredentials, findUserById, type User } from "../repositories/users.ts";
import {
  clearLoginFailures,
  isRevoked,
  loginAttempts,
  recordLoginFailure,
  revokeToken,
} from "../repositories/sessions.ts";
import { issueToken, type TokenClaims, verifyToken } from "../security/tokens.ts";
import { verifyAgainstDummy, verifyPassword } from "../security/passwords.ts";
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

const BAD_CREDENTIALS = "Invalid email or password.";

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
 */
export async function login(
  ctx: ServiceContext,
  input: { email: string; password: string },
  tokens: TokenSettings,
  bcryptRounds: number,
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const now = ctx.now();
  const attempts = await loginAttempts(ctx.db, email);
  const locked = attempts?.locked_until != null && attempts.locked_until > now.toISOString();
  const credentials = await findCredentials(ctx.db, email);
  const ok = credentials && !locked
    ? await verifyPassword(input.password, credentials.password_hash)
    : await verifyAgainstDummy(input.password, bcryptRounds);
  if (!ok || !credentials) {
    await ctx.db.transaction(async (tx) => {
      if (!locked) {
        const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
        await recordLoginFailure(tx, email, { now: now.toISOString(), limit: MAX_FAILURES, lockUntil });
      }
      await insertAuditEntry(tx, {
        occurred_at: now.toISOString(),
        actor_id: null,
        action: "login.failed",
        entity: "user",
        entity_id: credentials?.id ?? null,
        changes: { email: { old: null, new: email }, ...(locked ? { locked: { old: null, new: true } } : {}) },
      });
    });
    throw new NotAuthenticatedError(BAD_CREDENTIALS);
  }
  const user = (await findUserById(ctx.db, credentials.id))!;
  const issued = await issueToken({ id: user.id, role: user.role }, { ...tokens, now });
  await ctx.db.transaction(async (tx) => {
    await clearLoginFailures(tx, email);
    await insertAuditEntry(tx, {
      occurred_at: now.toISOString(),
      actor_id: user.id,
      action: "login",
      entity: "user",
      entity_id: user.id,
      changes: null,
    });
  });
  return { token: issued.token, user, expires_at: new Date(issued.claims.exp * 1000).toISOString() };
}

/** A verified session: the user as stored now, and the token's claims. */
export interface Session {
  actor: Actor;
  user: User;
  claims: TokenClaims;
}

/** Verifies a token and loads its user (exit 3 if revoked or deleted). */
export async function authenticate(
  ctx: Pick<ServiceContext, "db" | "now">,
  token: string,
  secret: string,
): Promise<Session> {
  const claims = await verifyToken(token, { secret, now: ctx.now() });
  if (await isRevoked(ctx.db, claims.jti)) {
    throw new NotAuthenticatedError("This session was logged out: run `epic-events login`.");
  }
  const user = await findUserById(ctx.db, claims.sub);
  if (!user) throw new NotAuthenticatedError("Your account no longer exists.");
  return { actor: { id: user.id, email: user.email, role: user.role }, user, claims };
}

/** Revokes the session's token on the database side. */
export async function logout(ctx: ServiceContext, claims: TokenClaims): Promise<void> {
  const now = ctx.now().toISOString();
  await ctx.db.transaction(async (tx) => {
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
