/**
 * An event as a calendar shows it (`event list --format ics`, the private
 * calendar feed): what its `VEVENT` holds, and nothing else.
 * @module
 */
import * as z from "zod";

const instant = z.iso.datetime({ offset: false }).describe("ISO 8601 instant in UTC, with Z");

/** One event of a calendar. */
export const calendarEntrySchema = z.strictObject({
  id: z.number().int().min(1),
  uid: z.string().describe("stable across exports and feeds: event-<id>@<database id>"),
  name: z.string(),
  start_date: instant,
  end_date: instant,
  location: z.string(),
  client_name: z.string(),
  client_company: z.string(),
  client_contact: z.string(),
  notes: z.string().nullable(),
  last_modified: instant.describe("the later of the event's last change and its client's"),
});

/** One event of a calendar. */
export type CalendarEntry = z.output<typeof calendarEntrySchema>;
