/**
 * The login throttle of client addresses, for `epic-events serve`: besides
 * the five failures that lock one email (`session.ts`), one address may fail
 * {@link ADDRESS_MAX_FAILURES} logins within {@link ADDRESS_WINDOW_MINUTES}
 * minutes, whatever emails it tries; then it is locked for
 * {@link ADDRESS_LOCK_MINUTES} minutes. A locked address gets the same
 * message, exit code and about the same time as a wrong password. The count
 * is kept in the database, so every server process shares it.
 * @module
 */
import { NotAuthenticatedError } from "../domain/errors.ts";
import { insertAuditEntry } from "../repositories/audit.ts";
import { refundAddressAttempt, reserveAddressAttempt } from "../repositories/login_addresses.ts";
import { verifyAgainstDummy } from "../security/passwords.ts";
import type { ServiceContext } from "./context.ts";

/** Failed logins one address may make within the window. */
export const ADDRESS_MAX_FAILURES = 20;
/** The window failures are counted in. */
export const ADDRESS_WINDOW_MINUTES = 15;
/** How long a locked address stays locked. */
export const ADDRESS_LOCK_MINUTES = 15;

const BAD_CREDENTIALS = "Invalid email or password.";

/**
 * Runs `attempt` (the login) for a request from `address`, counted against
 * that address: the attempt is reserved before the password is checked, and
 * given back when it succeeds or fails for another reason than the
 * credentials; a locked address never reaches `attempt`.
 */
export async function throttleByAddress<T>(
  ctx: ServiceContext,
  input: { address: string; email: string; password: string },
  attempt: () => Promise<T>,
): Promise<T> {
  const key = `address:${input.address}`.slice(0, 100);
  const now = ctx.now();
  const slot = await ctx.db.transaction((tx) =>
    reserveAddressAttempt(tx, key, {
      now: now.toISOString(),
      windowStart: new Date(now.getTime() - ADDRESS_WINDOW_MINUTES * 60_000).toISOString(),
      limit: ADDRESS_MAX_FAILURES,
      lockUntil: new Date(now.getTime() + ADDRESS_LOCK_MINUTES * 60_000).toISOString(),
    })
  );
  if (!slot.allowed) {
    await verifyAgainstDummy(input.password, ctx.bcryptRounds);
    await ctx.db.transaction((tx) =>
      insertAuditEntry(tx, {
        occurred_at: now.toISOString(),
        actor_id: null,
        action: "login.failed",
        entity: "user",
        entity_id: null,
        changes: {
          email: { old: null, new: input.email.trim().toLowerCase().slice(0, 100) },
          address_locked: { old: null, new: true },
        },
      })
    );
    ctx.reporter.loginRefused?.("address_locked");
    throw new NotAuthenticatedError(BAD_CREDENTIALS);
  }
  try {
    const result = await attempt();
    await ctx.db.transaction((tx) => refundAddressAttempt(tx, key));
    return result;
  } catch (error) {
    if (!(error instanceof NotAuthenticatedError)) {
      await ctx.db.transaction((tx) => refundAddressAttempt(tx, key)).catch(() => {});
    }
    throw error;
  }
}
