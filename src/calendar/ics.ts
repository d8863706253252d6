/**
 * Events as an RFC 5545 calendar (`text/calendar`), written event by event:
 * an export of thousands of events never sits in memory whole.
 *
 * Each event is one `VEVENT` made by `ical-generator` (escaping of `\`,
 * `;`, `,` and line breaks, 75-octet folding on UTF-8 character
 * boundaries, CRLF, UTC instants: docs/decisions.md says why this library):
 * a stable `UID`, `DTSTAMP` and `LAST-MODIFIED` (the entry's last change:
 * RFC 5545 §3.8.7.2 gives a calendar without `METHOD` that meaning of
 * `DTSTAMP`, and it keeps an unchanged event's text unchanged from one
 * export or fetch to the next), `DTSTART`/`DTEND` in UTC, `SUMMARY` (the
 * name), `LOCATION`, and a `DESCRIPTION` with the client, the client's
 * contact and the notes. The calendar's own lines (its name, how often a
 * subscriber refreshes) are written here, escaped and folded by the same
 * library's helpers (its calendar `NAME` is not escaped).
 *
 * `ical-generator` is imported when the first calendar is written, never by
 * a command that writes none.
 * @module
 */
import type { CalendarEntry } from "../domain/schemas/calendar.ts";

/** How a calendar is written. */
export interface IcsOptions {
  /** The calendar's name (`NAME`, `X-WR-CALNAME`), e.g. "Epic Events — Tom Helper". */
  name?: string;
  /** How often a subscribed application should fetch it again (`REFRESH-INTERVAL`, `X-PUBLISHED-TTL`). */
  refreshMinutes?: number;
  /** The words of the description, in the reader's language (default English). */
  labels?: { client: string; contact: string };
}

/** The `PRODID` of every calendar the program writes. */
export const PRODUCT_ID = "-//Epic Events//CRM//EN";

/** The media type of a calendar. */
export const ICS_CONTENT_TYPE = "text/calendar; charset=utf-8";

const CRLF = "\r\n";

/** A duration of whole minutes as RFC 5545 writes it (`PT1H`, `PT90M`). */
function duration(minutes: number): string {
  return minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`;
}

/** The description of an entry: the client, their contact, then the notes after a blank line. */
export function describe(entry: CalendarEntry, labels: { client: string; contact: string }): string {
  const lines = [
    `${labels.client}: ${entry.client_name} (${entry.client_company})`,
    `${labels.contact}: ${entry.client_contact}`,
  ];
  return entry.notes ? `${lines.join("\n")}\n\n${entry.notes}` : lines.join("\n");
}

/**
 * Writes `entries` as one `VCALENDAR`: the calendar's lines, then one
 * `VEVENT` per entry as it is read, then the end. Every chunk ends with
 * CRLF; stopping early (the reader went away) stops reading `entries`.
 */
export async function* renderCalendar(
  entries: AsyncIterable<CalendarEntry>,
  options: IcsOptions = {},
): AsyncGenerator<string> {
  const { default: ical, escape, foldLines } = await import("ical-generator");
  const head = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${PRODUCT_ID}`, "CALSCALE:GREGORIAN"];
  if (options.name !== undefined) {
    const name = escape(options.name, false);
    head.push(`NAME:${name}`, `X-WR-CALNAME:${name}`);
  }
  if (options.refreshMinutes !== undefined) {
    const every = duration(options.refreshMinutes);
    head.push(`REFRESH-INTERVAL;VALUE=DURATION:${every}`, `X-PUBLISHED-TTL:${every}`);
  }
  yield foldLines(head.join(CRLF)) + CRLF;
  const labels = options.labels ?? { client: "Client", contact: "Contact" };
  const calendar = ical();
  for await (const entry of entries) {
    const lastModified = new Date(entry.last_modified);
    const event = calendar.createEvent({
      id: entry.uid,
      start: new Date(entry.start_date),
      end: new Date(entry.end_date),
      stamp: lastModified,
      lastModified,
      summary: entry.name,
      location: entry.location,
      description: describe(entry, labels),
    });
    const text = foldLines(event.toString().replace(/\r\n$/, ""));
    calendar.clear();
    yield text + CRLF;
  }
  yield `END:VCALENDAR${CRLF}`;
}
