/**
 * Calendars as a user gets them: `event list --format ics` (any filter
 * applying) on SQLite, PostgreSQL and through the server, and the private
 * feed of `calendar url` fetched as a calendar application does, each read
 * by an independent parser (ical.js) with accents, commas, semicolons and
 * line breaks; `calendar reset` makes the old address 404; local mode says
 * the feed needs a server.
 * @module
 */
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { backendTest } from "../support/backends.ts";
import { type Crew, setupCrew } from "../support/fixtures.ts";
import { remoteTest } from "../support/remote.ts";

const DAY = 86_400_000;
const NAME = "Gala, Zoé; «fête» d'été";
const LOCATION = "Lyon, Rhône; salle 3";
const NOTES = "Première ligne, avec une virgule\nseconde ligne; point-virgule \\ fin";

/** The events of a calendar's text, as ical.js reads them. */
function parsed(
  text: string,
): { uid: string; summary: string; location: string; description: string; start: string }[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      description: event.description,
      start: event.startDate.toJSDate().toISOString(),
    };
  });
}

/** Events of the crew: one past and two upcoming for Tom, one upcoming for Tess, one unassigned. */
async function calendarData(crew: Crew) {
  const { build } = crew;
  const client = await build.client(crew.sales, { full_name: "Kévin Casey", company_name: "Cool, Startup" });
  const contract = await build.contract(client, { signed: true });
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString().replace(/\.\d+Z$/, ".000Z");
  const mine = await build.event(contract, {
    name: NAME,
    location: LOCATION,
    notes: NOTES,
    start_date: at(10),
    end_date: at(10.2),
    support: crew.support,
  });
  const later = await build.event(contract, {
    name: "Brunch",
    start_date: at(40),
    end_date: at(40.1),
    support: crew.support,
  });
  await build.event(contract, { name: "Past", start_date: at(-10), end_date: at(-9.9), support: crew.support });
  await build.event(contract, { name: "Theirs", start_date: at(5), end_date: at(5.1), support: crew.support2 });
  await build.event(contract, { name: "Nobody's", start_date: at(6), end_date: at(6.1) });
  return { mine, later };
}

backendTest("event list --format ics: an RFC 5545 calendar of what the filters list", async (b) => {
  const crew = await setupCrew(b);
  const { mine, later } = await calendarData(crew);
  const result = await crew.support.cli(["event", "list", "--mine", "--upcoming", "--format", "ics"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^BEGIN:VCALENDAR\r\n/);
  assert.ok(result.stdout.endsWith("END:VCALENDAR\r\n"));
  const events = parsed(result.stdout);
  assert.deepEqual(events.map((e) => e.summary), [NAME, "Brunch"]);
  assert.deepEqual(events.map((e) => e.start), [mine.start_date, later.start_date]);
  assert.equal(events[0].location, LOCATION);
  assert.equal(events[0].description, `Client: Kévin Casey (Cool, Startup)\nContact: Kate\n\n${NOTES}`);
  assert.equal(new Set(events.map((e) => e.uid)).size, 2);
  // The same events give the same UIDs from one export to the next; every event without filters.
  const all = await crew.manager.cli(["event", "list", "--format", "ics"]);
  assert.equal(parsed(all.stdout).length, 5);
  assert.deepEqual(parsed(all.stdout).filter((e) => e.summary === NAME)[0].uid, events[0].uid);
  const both = await crew.manager.cli(["event", "list", "--json", "--format", "ics"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--format/);
});

backendTest(
  "calendar url in local mode: a clear error (exit 2) pointing at the server and at --format ics",
  async (b) => {
    const crew = await setupCrew(b);
    const result = await crew.support.cli(["calendar", "url"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /epic-events serve.*--format ics/);
  },
  { remote: false },
);

remoteTest("calendar url: a private feed of one's own events; reset makes the old address 404", async (b) => {
  const crew = await setupCrew(b);
  await calendarData(crew);
  const made = await crew.support.cli(["calendar", "url"]);
  assert.equal(made.code, 0, made.stderr);
  const url = made.stdout.trim();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/calendar\.ics\?feed=\S+$/);
  assert.match(made.stderr, /Keep it private/);

  // A calendar application fetches it without any token.
  const feed = await fetch(url);
  assert.equal(feed.status, 200);
  assert.equal(feed.headers.get("content-type"), "text/calendar; charset=utf-8");
  const events = parsed(await feed.text());
  assert.deepEqual(events.map((e) => e.summary).sort(), ["Brunch", NAME, "Past"].sort(), "Tom's events only");
  const mine = events.find((e) => e.summary === NAME)!;
  assert.equal(mine.location, LOCATION);
  assert.ok(mine.description.endsWith(NOTES));

  // Shown once: asking again says to reset; a manager has no feed.
  const again = await crew.support.cli(["calendar", "url"]);
  assert.equal(again.code, 6, again.stderr);
  assert.match(again.stderr, /calendar reset/);
  assert.equal((await crew.manager.cli(["calendar", "url"])).code, 4);

  const reset = await crew.support.cli(["calendar", "reset", "--json"]);
  assert.equal(reset.code, 0, reset.stderr);
  const fresh = reset.json<{ url: string; replaced: boolean }>();
  assert.equal(fresh.replaced, true);
  assert.notEqual(fresh.url, url);
  const old = await fetch(url);
  assert.equal(old.status, 404);
  await old.body?.cancel();
  const renewed = await fetch(fresh.url);
  assert.equal(renewed.status, 200);
  assert.equal(parsed(await renewed.text()).length, 3);
  const unknown = await fetch(new URL("/api/v1/calendar.ics?feed=nothing", url));
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});
