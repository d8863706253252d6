/**
 * SQL of calendars: events as a calendar shows them (one query, streamed),
 * and the private calendar feed keys of `calendar_feeds` (migration 0007),
 * kept as their SHA-256 only.
 * @module
 */
import type { Queryable, SqlValue } from "../db/database.ts";
import type { Role } from "../domain/roles.ts";
import type { CalendarEntry } from "../domain/schemas/calendar.ts";
import { eventConditions, type EventFilter } from "./events.ts";
import { type ListQuery, mapRows, pageClause, streamList } from "./sql.ts";

/**
 * The calendar query of the events matching `filter` (the filters of
 * `event list`), by id. `LAST-MODIFIED` is the later of the event's own last
 * change and its client's (the entry shows the client's name and company);
 * an event written before migration 0007 by something other than the
 * services has no `updated_at`, and then shows its client's. Each event
 * joins its client once; the database's id (the UIDs' domain) is read once.
 */
export function calendarQuery(filter: EventFilter): ListQuery {
  const params: SqlValue[] = [];
  const where = eventConditions(filter, params);
  const sql = `SELECT e.id, e.name, e.start_date, e.end_date, e.location, e.client_contact, e.notes,
  c.full_name AS client_name, c.company_name AS client_company,
  CASE WHEN e.updated_at IS NULL OR c.last_updated > e.updated_at THEN c.last_updated ELSE e.updated_at END
    AS last_modified,
  (SELECT d.database_id FROM database_identity d WHERE d.singleton = 1) AS database_id
FROM events e JOIN clients c ON c.id = e.client_id${where.length ? ` WHERE ${where.join(" AND ")}` : ""}
ORDER BY e.id${pageClause(filter, params)}`;
  // Every event of a support contact or of a sales contact's clients, joined to their clients: how depends on whose.
  return { sql, params, customPlan: true };
}

type CalendarRow = Omit<CalendarEntry, "uid" | "start_date" | "end_date" | "last_modified"> & {
  database_id: string;
  start_date: unknown;
  end_date: unknown;
  last_modified: unknown;
};

/** The UTC ISO 8601 form of a stored instant (SQLite: the text as written; PostgreSQL: already ISO). */
function instant(value: unknown): string {
  return new Date(String(value)).toISOString();
}

/**
 * The events matching `filter` as calendar entries, streamed from the
 * database. Their UID is `event-<id>@<database id>.epic-events`: stable
 * across exports, feeds, backups and restores (the database's id travels
 * with its data), and different in another database.
 */
export function calendarEntries(db: Queryable, filter: EventFilter): AsyncIterable<CalendarEntry> {
  return mapRows(streamList<CalendarRow>(db, calendarQuery(filter)), (row): CalendarEntry => ({
    id: row.id,
    uid: `event-${row.id}@${row.database_id}.epic-events`,
    name: row.name,
    start_date: instant(row.start_date),
    end_date: instant(row.end_date),
    location: row.location,
    client_name: row.client_name,
    client_company: row.client_company,
    client_contact: row.client_contact,
    notes: row.notes,
    last_modified: instant(row.last_modified),
  }));
}

/** Whose feed a key opens. */
export interface FeedOwner {
  user_id: number;
  role: Role;
  first_name: string;
  last_name: string;
}

/** The collaborator whose feed key hashes to `keyHash`, or undefined (one index lookup). */
export function findFeedOwner(db: Queryable, keyHash: string): Promise<FeedOwner | undefined> {
  return db.one<FeedOwner>(
    `SELECT f.user_id, u.role, u.first_name, u.last_name
FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.key_hash = $1`,
    [keyHash],
  );
}

/** When `userId`'s feed key was made, or undefined when they have none. */
export async function feedCreatedAt(db: Queryable, userId: number): Promise<string | undefined> {
  const row = await db.one<{ created_at: unknown }>("SELECT created_at FROM calendar_feeds WHERE user_id = $1", [
    userId,
  ]);
  return row === undefined ? undefined : instant(row.created_at);
}

/**
 * Gives `userId` the feed key hashing to `keyHash`: a new one when
 * `replace` is false (a second one is refused by the primary key: a
 * constraint violation), or in place of theirs when true. Returns whether a
 * key was replaced.
 */
export async function saveFeedKey(
  db: Queryable,
  feed: { userId: number; keyHash: string; createdAt: string },
  options: { replace: boolean },
): Promise<boolean> {
  const existed = options.replace && (await feedCreatedAt(db, feed.userId)) !== undefined;
  await db.execute(
    `INSERT INTO calendar_feeds (user_id, key_hash, created_at) VALUES ($1, $2, $3)${
      options.replace
        ? " ON CONFLICT (user_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at"
        : ""
    }`,
    [feed.userId, feed.keyHash, feed.createdAt],
  );
  return existed;
}
