/**
 * Calendars as RFC 5545 text: what `renderCalendar` writes is read back by
 * an independent parser (ical.js), with accents, commas, semicolons,
 * backslashes and line breaks in every text field, and checked line by line
 * (CRLF, at most 75 octets, folds between UTF-8 characters); then the same
 * through the services on both backends (`event list --format ics` with
 * `--mine --upcoming`, stable UIDs, LAST-MODIFIED moving with a change).
 * @module
 */
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { renderCalendar } from "../../src/calendar/ics.ts";
import type { CalendarEntry } from "../../src/domain/schemas/calendar.ts";
import { calendarEvents } from "../../src/services/calendar.ts";
import { updateEvent } from "../../src/services/events.ts";
import { backendTest } from "../support/backends.ts";
import { builders, firstManager, serviceContext } from "../support/fixtures.ts";

/** Every character a text value must survive, and long enough to be folded across multi-byte characters. */
const HOSTILE = 'Zoé, Hélène; C:\\dir\\n "quoted"\nsecond line, ; \\ end 日本語 😀';
const LONG = `${"é".repeat(37)}x${"😀".repeat(20)}`;
/** The same on one line, for the fields that refuse line breaks. */
const HOSTILE_LINE = HOSTILE.replace("\n", " ");

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const chunk of chunks) out += chunk;
  return out;
}

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** The raw form RFC 5545 §3.1 asks for, checked without a parser. */
function assertContentLines(ics: string): void {
  assert.ok(ics.endsWith("\r\n"), "ends with CRLF");
  assert.doesNotMatch(ics.replaceAll("\r\n", ""), /[\r\n]/, "no bare CR or LF");
  const encoder = new TextEncoder();
  const strict = new TextDecoder("utf-8", { fatal: true });
  const bytes = encoder.encode(ics);
  // Split the bytes at CRLF: each line must be whole UTF-8 on its own (no character cut by a fold).
  let start = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10) {
      const line = bytes.subarray(start, i);
      assert.ok(line.length <= 75, `line of ${line.length} octets: ${strict.decode(line)}`);
      strict.decode(line); // throws on a cut character
      start = i + 2;
      i++;
    }
  }
}

function entry(fields: Partial<CalendarEntry> = {}): CalendarEntry {
  return {
    id: 7,
    uid: "event-7@0123abcd.epic-events",
    name: `Gala ${HOSTILE}`,
    start_date: "2027-06-04T11:00:00.000Z",
    end_date: "2027-06-04T20:30:00.000Z",
    location: `Château de Chambord; salle 3, ${HOSTILE}`,
    client_name: `Müller, ${HOSTILE}`,
    client_company: `Dupont; Fils ${LONG}`,
    client_contact: `Jérôme ${HOSTILE}`,
    notes: `Notes: ${HOSTILE}\n${LONG}`,
    last_modified: "2026-12-01T08:15:00.000Z",
    ...fields,
  };
}

/** The events of a calendar, parsed by ical.js. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return {
    calendar,
    events: calendar.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      return {
        uid: event.uid,
        summary: event.summary,
        location: event.location,
        description: event.description,
        start: event.startDate.toJSDate().toISOString(),
        end: event.endDate.toJSDate().toISOString(),
        startIsUtc: event.startDate.zone?.tzid === "UTC",
        lastModified: (vevent.getFirstPropertyValue("last-modified") as InstanceType<typeof ICAL.Time>).toJSDate()
          .toISOString(),
        stamp: (vevent.getFirstPropertyValue("dtstamp") as InstanceType<typeof ICAL.Time>).toJSDate().toISOString(),
      };
    }),
  };
}

Deno.test("renderCalendar: ical.js reads back every field exactly, with hostile text", async () => {
  const entries = [entry(), entry({ id: 8, uid: "event-8@0123abcd.epic-events", notes: null, name: "Plain" })];
  const ics = await text(renderCalendar(from(entries), { name: `Epic Events — ${HOSTILE}`, refreshMinutes: 60 }));
  assertContentLines(ics);
  assert.match(ics, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:-\/\/Epic Events\/\/CRM\/\/EN\r\n/);
  assert.match(ics, /\r\nEND:VCALENDAR\r\n$/);
  // Folding happened (the lines are long), and escaping is RFC 5545's.
  assert.match(ics, /\r\n /);
  assert.match(ics, /Zoé\\, Hélène\\; C:\\\\dir\\\\n "quoted"\\nsecond line\\, \\; \\\\ end/);
  const { calendar, events } = parse(ics);
  // ical.js leaves NAME (RFC 7986) and X-WR-CALNAME as written: unescaped here as RFC 5545 §3.3.11 says.
  const unescape = (value: unknown) =>
    String(value).replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
  assert.equal(unescape(calendar.getFirstPropertyValue("name")), `Epic Events — ${HOSTILE}`);
  assert.equal(unescape(calendar.getFirstPropertyValue("x-wr-calname")), `Epic Events — ${HOSTILE}`);
  assert.equal(events.length, 2);
  const [first, second] = events;
  assert.deepEqual(first, {
    uid: "event-7@0123abcd.epic-events",
    summary: `Gala ${HOSTILE}`,
    location: `Château de Chambord; salle 3, ${HOSTILE}`,
    description:
      `Client: Müller, ${HOSTILE} (Dupont; Fils ${LONG})\nContact: Jérôme ${HOSTILE}\n\nNotes: ${HOSTILE}\n${LONG}`,
    start: "2027-06-04T11:00:00.000Z",
    end: "2027-06-04T20:30:00.000Z",
    startIsUtc: true,
    lastModified: "2026-12-01T08:15:00.000Z",
    stamp: "2026-12-01T08:15:00.000Z",
  });
  assert.equal(second.description, `Client: Müller, ${HOSTILE} (Dupont; Fils ${LONG})\nContact: Jérôme ${HOSTILE}`);
  assert.match(ics, /DTSTART:20270604T110000Z\r\n/);
});

Deno.test("renderCalendar: an empty calendar is still a calendar; labels follow the reader's language", async () => {
  const empty = await text(renderCalendar(from([])));
  assertContentLines(empty);
  assert.equal(parse(empty).events.length, 0);
  const french = await text(
    renderCalendar(from([entry()]), { labels: { client: "Client", contact: "Contact client" } }),
  );
  assert.match(parse(french).events[0].description, /\nContact client: Jérôme/);
});

Deno.test("renderCalendar: written event by event, and stops reading when the reader stops", async () => {
  let read = 0;
  async function* many(): AsyncGenerator<CalendarEntry> {
    for (let i = 1; i <= 10_000; i++) {
      read++;
      yield entry({ id: i, uid: `event-${i}@x.epic-events` });
    }
  }
  const chunks = renderCalendar(many());
  let seen = 0;
  for await (const chunk of chunks) {
    if (chunk.startsWith("BEGIN:VEVENT") && ++seen === 3) break;
  }
  assert.equal(read, 3, "only the events written were read");
});

backendTest("event list --format ics: the listed events, with their filters, parsed back", async (b, t) => {
  const db = await b.db();
  const manager = await firstManager(b);
  const build = await builders(b, manager);
  const sales = await build.user("SALES");
  const support = await build.user("SUPPORT");
  const client = await build.client(sales, { full_name: "Zoé Müller, Jr.", company_name: "Dupont; Fils & Cie" });
  const contract = await build.contract(client, { signed: true });
  const soon = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 10 * 86_400_000); // ICS has whole seconds
  const upcoming = await build.event(contract, {
    name: `Gala ${HOSTILE_LINE}`,
    location: `Château; salle 3, Besançon`,
    client_contact: "Jérôme, l'ami; \\ du client",
    notes: `Prévoir: traiteur, DJ; parking\n${HOSTILE}`,
    start_date: soon.toISOString(),
    end_date: new Date(soon.getTime() + 5 * 3_600_000).toISOString(),
    support,
  });
  const past = await build.event(contract, {
    start_date: "2024-06-04T11:00:00Z",
    end_date: "2024-06-04T20:00:00Z",
    support,
  });
  const others = await build.event(contract, { start_date: soon.toISOString(), end_date: upcoming.end_date });
  const ctx = serviceContext(db, support);
  const export_ = async (filter: Record<string, unknown>) => {
    const ics = await text(renderCalendar(calendarEvents(ctx, filter)));
    assertContentLines(ics);
    return parse(ics).events;
  };

  await t.step("--mine --upcoming: only the caller's events not ended yet", async () => {
    const events = await export_({ mine: true, upcoming: true });
    assert.equal(events.length, 1);
    const [event] = events;
    assert.match(event.uid, new RegExp(`^event-${upcoming.id}@[0-9a-f]{32}\\.epic-events$`));
    assert.equal(event.summary, upcoming.name);
    assert.equal(event.location, "Château; salle 3, Besançon");
    assert.equal(
      event.description,
      `Client: Zoé Müller, Jr. (Dupont; Fils & Cie)\nContact: Jérôme, l'ami; \\ du client\n\n${upcoming.notes}`,
    );
    assert.equal(event.start, upcoming.start_date);
    assert.equal(event.end, upcoming.end_date);
  });
  await t.step("no filter: every event, by id; UIDs are stable from one export to the next", async () => {
    const first = await export_({});
    assert.deepEqual(first.map((e) => e.uid.split("@")[0]), [upcoming, past, others].map((e) => `event-${e.id}`));
    const again = await export_({});
    assert.deepEqual(again.map((e) => e.uid), first.map((e) => e.uid));
  });
  await t.step("LAST-MODIFIED moves when the event changes, and when its client does", async () => {
    const before = (await export_({ mine: true, upcoming: true }))[0].lastModified;
    const later = new Date(Date.now() + 60_000);
    await updateEvent(serviceContext(db, support, { now: () => later }), { id: upcoming.id, attendees: 12 });
    const after = (await export_({ mine: true, upcoming: true }))[0];
    assert.notEqual(after.lastModified, before);
    assert.equal(after.lastModified, new Date(Math.floor(later.getTime() / 1000) * 1000).toISOString());
    assert.equal(after.stamp, after.lastModified);
  });
});
