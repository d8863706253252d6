/**
 * Calendars: events as calendar entries (`event list --format ics`), and
 * the private calendar feed a collaborator subscribes to from Google
 * Calendar, Outlook or Thunderbird (`calendar url`, `calendar reset`,
 * `GET /api/v1/calendar.ics?feed=KEY`).
 *
 * The feed key is a separate random secret (`security/feed_keys.ts`),
 * read-only, opening that collaborator's own events only, and kept hashed:
 *
 * - `calendar url` makes the key the first time and returns it; the
 *   database keeps only its SHA-256, so the key cannot be shown again —
 *   afterwards `calendar url` says so (exit 6) and `calendar reset` makes a
 *   new one, as a new GitHub token would be. Storing it encrypted would
 *   make a leaked database plus `SECRET_KEY` a leak of every feed, and a
 *   change of `SECRET_KEY` would break every subscription.
 * - `calendar reset` replaces it: the old URL answers 404 from then on.
 * - The feed holds the owner's `event list --mine` as of each fetch, by
 *   the role stored then: SUPPORT the events they support, SALES the events
 *   of their clients. MANAGEMENT has no feed (they support no event;
 *   `event list --format ics` exports any): `calendar url` is exit 4, and a
 *   key whose owner became a manager answers 404.
 * - The key ends with its owner (deleted with them). A password change, a
 *   role change and `logout --all` do not reset it: it is not a session
 *   (a calendar subscribed on a phone should not break at every logout);
 *   `calendar reset` is the one way to end it.
 * - An unknown, replaced, deleted or malformed key is 404, with nothing
 *   said about why. The key is looked up by its hash through a unique
 *   index: the time it takes depends on the hash, which an attacker cannot
 *   steer towards a key, so it leaks nothing about any key.
 * @module
 */
import { AppError, ConflictError } from "../domain/errors.ts";
import { authorize, ownEventsOf } from "../domain/policy.ts";
import { eventListSchema } from "../contract/events.ts";
import type { InputOf } from "../contract/operations.ts";
import { type CalendarEntry, parseInput } from "../domain/schemas/mod.ts";
import { ConstraintViolation } from "../db/constraint_error.ts";
import type { Database } from "../db/database.ts";
import { calendarEntries, feedCreatedAt, findFeedOwner, saveFeedKey } from "../repositories/calendar.ts";
import { transaction } from "../repositories/sql.ts";
import { feedKeyHash, isFeedKey, newFeedKey } from "../security/feed_keys.ts";
import type { Rows } from "./common.ts";
import type { ServiceContext } from "./context.ts";
import { eventListFilter } from "./events.ts";
import { requireActor } from "./session.ts";
import { msg } from "../domain/messages.ts";

export type { CalendarEntry };

/** A feed key as made: shown once, never stored. */
export interface FeedKey {
  /** The secret of the feed URL (`…/api/v1/calendar.ics?feed=KEY`). */
  key: string;
  /** When it was made. */
  created_at: string;
  /** Whether it replaced an older key (whose URL now answers 404). */
  replaced: boolean;
}

/** What a feed URL opens: whose events, and the events. */
export interface Feed {
  /** `First Last` of the owner, to name the calendar. */
  owner_name: string;
  events: Rows<CalendarEntry>;
}

/** The answer to a key that opens nothing (unknown, replaced, deleted owner, malformed): 404, nothing more. */
export class FeedNotFoundError extends AppError {
  constructor() {
    super("not_found", "No calendar feed at this address.");
    this.name = "FeedNotFoundError";
  }
}

/**
 * `event list --format ics`: the events `event list` would list with the
 * same filters (`--mine`, `--upcoming`, …), as calendar entries, streamed.
 */
export function calendarEvents(ctx: ServiceContext, input: InputOf<"listEvents">): Rows<CalendarEntry> {
  const actor = requireActor(ctx);
  const filter = parseInput(eventListSchema, input);
  return calendarEntries(ctx.db, eventListFilter(ctx, actor, filter));
}

async function makeKey(ctx: ServiceContext, replace: boolean): Promise<FeedKey> {
  const actor = requireActor(ctx);
  authorize(actor, "calendar.subscribe");
  const key = newFeedKey();
  const createdAt = ctx.now().toISOString();
  const keyHash = await feedKeyHash(key);
  const replaced = await transaction(ctx.db, async (tx) => {
    if (!replace) {
      const since = await feedCreatedAt(tx, actor.id);
      if (since !== undefined) throw alreadyHasFeed(since);
    }
    return await saveFeedKey(tx, { userId: actor.id, keyHash, createdAt }, { replace });
  }).catch(async (error) => {
    // Two `calendar url` at once: the second finds the first's key.
    if (error instanceof ConstraintViolation && error.kind === "unique") {
      throw alreadyHasFeed((await feedCreatedAt(ctx.db, actor.id)) ?? createdAt);
    }
    throw error;
  });
  return { key, created_at: createdAt, replaced };
}

function alreadyHasFeed(since: string): ConflictError {
  return new ConflictError(msg("errors.calendar.already", { since }), "feed");
}

/**
 * `calendar url`: makes the caller's feed key and returns it, once. A
 * caller who already has one gets exit 6 saying to use `calendar reset`;
 * MANAGEMENT gets exit 4.
 */
export function calendarUrl(ctx: ServiceContext): Promise<FeedKey> {
  return makeKey(ctx, false);
}

/** `calendar reset`: a new key in place of the caller's (made if they had none); the old one answers 404. */
export function calendarReset(ctx: ServiceContext): Promise<FeedKey> {
  return makeKey(ctx, true);
}

/**
 * The feed a key opens: its owner's own events (see the module
 * documentation), streamed, without a session. Throws
 * {@link FeedNotFoundError} (404) for a key that opens nothing.
 */
export async function feedEvents(db: Database, key: string): Promise<Feed> {
  if (!isFeedKey(key)) throw new FeedNotFoundError();
  const owner = await findFeedOwner(db, await feedKeyHash(key));
  if (!owner || owner.role === "MANAGEMENT") throw new FeedNotFoundError();
  const mine = ownEventsOf(owner.role) === "of_their_clients"
    ? { clientSalesContactId: owner.user_id }
    : { supportContactId: owner.user_id };
  return { owner_name: `${owner.first_name} ${owner.last_name}`, events: calendarEntries(db, mine) };
}
