import assert from "node:assert/strict";
import { InvalidInputError } from "../../src/domain/errors.ts";
import { formatDate, formatDateHuman, parseDate, resolveTimeZone, tryParseDate } from "../../src/domain/dates.ts";
import { english } from "../../src/domain/messages.ts";

function iso(text: string, timeZone?: string): string {
  return parseDate(text, "start_date", { timeZone }).toISOString();
}

function assertRefused(fn: () => unknown, message: string | RegExp, field: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${error}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.equal(error.field, field);
    return true;
  });
}

Deno.test("parseDate reads ISO 8601 with Z", () => {
  assert.equal(iso("2026-06-01T18:00:00Z"), "2026-06-01T18:00:00.000Z");
  assert.equal(iso("2026-06-01T18:00Z"), "2026-06-01T18:00:00.000Z");
  assert.equal(iso("2026-06-01T18:00:00.123Z"), "2026-06-01T18:00:00.123Z");
  assert.equal(iso("2026-06-01T18:00:00.5z"), "2026-06-01T18:00:00.500Z");
  assert.equal(iso("  2026-06-01T18:00:00Z  "), "2026-06-01T18:00:00.000Z");
  // The zone of the caller does not matter when the text has one.
  assert.equal(iso("2026-06-01T18:00:00Z", "Asia/Tokyo"), "2026-06-01T18:00:00.000Z");
});

Deno.test("parseDate reads ISO 8601 with an offset", () => {
  assert.equal(iso("2026-06-01T18:00:00+02:00"), "2026-06-01T16:00:00.000Z");
  assert.equal(iso("2026-06-01T18:00+02:00"), "2026-06-01T16:00:00.000Z");
  assert.equal(iso("2026-06-01T18:00:00-05:30"), "2026-06-01T23:30:00.000Z");
  assert.equal(iso("2026-06-01T18:00:00+0200"), "2026-06-01T16:00:00.000Z");
  assert.equal(iso("2026-06-01T01:00:00+02:00"), "2026-05-31T23:00:00.000Z");
  assert.equal(iso("2026-06-01 18:00 +02:00", "America/New_York"), "2026-06-01T16:00:00.000Z");
});

Deno.test("parseDate reads zone-less times in Europe/Paris, summer and winter", () => {
  assert.equal(iso("2026-07-01 10:00", "Europe/Paris"), "2026-07-01T08:00:00.000Z");
  assert.equal(iso("2026-01-15 10:00", "Europe/Paris"), "2026-01-15T09:00:00.000Z");
  assert.equal(iso("2026-07-01T10:00", "Europe/Paris"), "2026-07-01T08:00:00.000Z");
  assert.equal(iso("2026-07-01T10:00:30", "Europe/Paris"), "2026-07-01T08:00:30.000Z");
  // Just after the spring change (2026-03-29 02:00 → 03:00) and around the autumn one.
  assert.equal(iso("2026-03-29 03:00", "Europe/Paris"), "2026-03-29T01:00:00.000Z");
  assert.equal(iso("2026-03-29 01:59", "Europe/Paris"), "2026-03-29T00:59:00.000Z");
  assert.equal(iso("2026-10-25 03:00", "Europe/Paris"), "2026-10-25T02:00:00.000Z");
});

Deno.test("parseDate reads zone-less times in America/New_York", () => {
  assert.equal(iso("2026-07-01 10:00", "America/New_York"), "2026-07-01T14:00:00.000Z");
  assert.equal(iso("2026-01-15 10:00", "America/New_York"), "2026-01-15T15:00:00.000Z");
  assert.equal(iso("2026-12-31 22:30", "America/New_York"), "2027-01-01T03:30:00.000Z");
});

Deno.test("parseDate reads a bare date as local midnight", () => {
  assert.equal(iso("2026-06-01", "Europe/Paris"), "2026-05-31T22:00:00.000Z");
  assert.equal(iso("2026-01-15", "America/New_York"), "2026-01-15T05:00:00.000Z");
  assert.equal(iso("2026-06-01", "UTC"), "2026-06-01T00:00:00.000Z");
});

Deno.test("parseDate accepts TZ spellings with a leading colon or a zoneinfo path", () => {
  assert.equal(iso("2026-07-01 10:00", ":Europe/Paris"), "2026-07-01T08:00:00.000Z");
  assert.equal(iso("2026-07-01 10:00", "/usr/share/zoneinfo/Europe/Paris"), "2026-07-01T08:00:00.000Z");
  assert.equal(resolveTimeZone("Europe/Paris"), "Europe/Paris");
});

Deno.test("parseDate picks the earlier instant in the repeated autumn hour", () => {
  // 02:30 happens twice in Paris on 2026-10-25: at 00:30Z (CEST) and 01:30Z (CET).
  assert.equal(iso("2026-10-25 02:30", "Europe/Paris"), "2026-10-25T00:30:00.000Z");
  assert.equal(iso("2026-11-01 01:30", "America/New_York"), "2026-11-01T05:30:00.000Z");
});

Deno.test("parseDate refuses a local time skipped by the spring change", () => {
  assertRefused(
    () => iso("2026-03-29 02:30", "Europe/Paris"),
    /^start_date: 2026-03-29 02:30 does not exist in Europe\/Paris/,
    "start_date",
  );
  assertRefused(() => iso("2026-03-08 02:15", "America/New_York"), /does not exist in America\/New_York/, "start_date");
});

Deno.test("parseDate without a zone option uses the process's zone", () => {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  assert.equal(iso("2026-07-01 10:00"), iso("2026-07-01 10:00", zone));
});

Deno.test("parseDate refuses invalid calendar dates and times, naming the field", () => {
  assertRefused(() => parseDate("2026-02-30", "end_date"), "end_date: 2026-02-30 is not a valid date", "end_date");
  assertRefused(
    () => parseDate("2026-02-29 10:00", "end_date"),
    "end_date: 2026-02-29 is not a valid date",
    "end_date",
  );
  assert.equal(parseDate("2028-02-29T10:00Z", "end_date").toISOString(), "2028-02-29T10:00:00.000Z");
  assertRefused(() => parseDate("2026-13-01", "end_date"), "end_date: 2026-13-01 is not a valid date", "end_date");
  assertRefused(
    () => parseDate("2026-04-31T10:00Z", "end_date"),
    "end_date: 2026-04-31 is not a valid date",
    "end_date",
  );
  assertRefused(
    () => parseDate("2026-06-01 25:00", "start_date"),
    "start_date: 25:00 is not a valid time",
    "start_date",
  );
  assertRefused(
    () => parseDate("2026-06-01 24:00", "start_date"),
    "start_date: 24:00 is not a valid time",
    "start_date",
  );
  assertRefused(
    () => parseDate("2026-06-01T10:60Z", "start_date"),
    "start_date: 10:60 is not a valid time",
    "start_date",
  );
  assertRefused(
    () => parseDate("2026-06-01T10:00:61Z", "start_date"),
    "start_date: 10:00:61 is not a valid time",
    "start_date",
  );
  assertRefused(() => parseDate("2026-06-01T10:00+25:00", "since"), "since: +25:00 is not a valid UTC offset", "since");
});

Deno.test("parseDate refuses other shapes with a helpful message", () => {
  const message = "since: must be a date such as 2026-06-01T18:00:00Z, 2026-06-01T18:00:00+02:00 or 2026-06-01 18:00";
  for (
    const text of [
      "tomorrow",
      "01/06/2026",
      "2026-6-1",
      "2026-06-01T18",
      "1780336800",
      "2026-06-01T18:00:00 Europe/Paris",
    ]
  ) {
    assertRefused(() => parseDate(text, "since"), message, "since");
  }
  assertRefused(() => parseDate("", "since"), "since: must not be empty", "since");
});

Deno.test("parseDate refuses an unknown time zone with field TZ", () => {
  assertRefused(
    () => parseDate("2026-06-01 10:00", "start_date", { timeZone: "Mars/Olympus" }),
    /unknown time zone/,
    "TZ",
  );
});

Deno.test("tryParseDate reports the reason without a field", () => {
  const result = tryParseDate("2026-02-30");
  assert.deepEqual(result.ok ? result : { ok: false, reason: english(result.reason) }, {
    ok: false,
    reason: "2026-02-30 is not a valid date",
  });
});

Deno.test("formatDate prints ISO 8601 UTC with Z", () => {
  assert.equal(formatDate(new Date(Date.UTC(2026, 5, 1, 18))), "2026-06-01T18:00:00.000Z");
  assert.equal(formatDate("2026-06-01T20:00:00+02:00"), "2026-06-01T18:00:00.000Z");
  // Stored timestamps without a zone are UTC.
  assert.equal(formatDate("2026-06-01 18:00:00"), "2026-06-01T18:00:00.000Z");
  assert.throws(() => formatDate(new Date(Number.NaN)), RangeError);
  assert.throws(() => formatDate("garbage"), RangeError);
});

Deno.test("formatDateHuman prints local wall-clock time", () => {
  assert.equal(formatDateHuman("2026-06-01T18:00:00Z", "Europe/Paris"), "2026-06-01 20:00");
  assert.equal(formatDateHuman("2026-01-15T09:00:00Z", "Europe/Paris"), "2026-01-15 10:00");
  assert.equal(formatDateHuman(new Date("2026-01-01T03:30:00Z"), "America/New_York"), "2025-12-31 22:30");
  assert.equal(formatDateHuman("2026-06-01T00:00:00Z", "UTC"), "2026-06-01 00:00");
});

Deno.test("formatDateHuman and parseDate round-trip in a zone", () => {
  for (const zone of ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]) {
    for (const text of ["2026-01-15 10:00", "2026-07-01 23:45", "2026-12-31 00:00"]) {
      assert.equal(formatDateHuman(parseDate(text, "d", { timeZone: zone }), zone), text, `${zone} ${text}`);
    }
  }
});
