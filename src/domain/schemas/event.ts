/**
 * Schemas of events (`event create`, `event update`, `event assign`,
 * `event list`). The schemas with dates are factories taking the IANA time
 * zone of zone-less input (`eventCreateSchema(ctx.timeZone)`).
 * @module
 */
import * as z from "zod";
import {
  booleanField,
  countField,
  dateField,
  hasSomeField,
  idField,
  limitField,
  notesField,
  NOTHING_TO_UPDATE,
  offsetField,
  perTimeZone,
  textField,
} from "./fields.ts";

/** Why an end not after the start is refused (the field is `end_date`). */
export const END_NOT_AFTER_START = "must be after start_date";

/** The event invariant: the end, when both are known, is after the start. */
export function endAfterStart(value: { start_date?: Date; end_date?: Date }): boolean {
  return value.start_date === undefined || value.end_date === undefined ||
    value.end_date.getTime() > value.start_date.getTime();
}

function buildEventCreateSchema(timeZone: string) {
  return z
    .strictObject({
      name: textField(1, 100),
      contract_id: idField,
      client_contact: textField(1, 100),
      start_date: dateField(timeZone),
      end_date: dateField(timeZone),
      location: textField(1, 200),
      attendees: countField,
      notes: notesField.transform((value) => value ?? null),
      support_contact_id: idField.nullish().transform((value) => value ?? null),
    })
    .refine(endAfterStart, { path: ["end_date"], error: END_NOT_AFTER_START });
}

function buildEventUpdateSchema(timeZone: string) {
  return z
    .strictObject({
      name: textField(1, 100).optional(),
      client_contact: textField(1, 100).optional(),
      start_date: dateField(timeZone).optional(),
      end_date: dateField(timeZone).optional(),
      location: textField(1, 200).optional(),
      attendees: countField.optional(),
      notes: notesField,
    })
    .refine(endAfterStart, { path: ["end_date"], error: END_NOT_AFTER_START })
    .refine(hasSomeField, { error: NOTHING_TO_UPDATE });
}

/** The schema `eventCreateSchema` builds. */
export type EventCreateSchema = ReturnType<typeof buildEventCreateSchema>;
/** The schema `eventUpdateSchema` builds. */
export type EventUpdateSchema = ReturnType<typeof buildEventUpdateSchema>;

/**
 * `event create` schema for a time zone: name, contract_id, client_contact,
 * start_date, end_date (`Date`, end after start), location, attendees,
 * notes (optional → `null`), support_contact_id (optional → `null`).
 * Unknown keys are refused.
 *
 * @param timeZone IANA zone of zone-less dates (the `TZ` variable); default: the process's zone
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export const eventCreateSchema: (timeZone?: string) => EventCreateSchema = perTimeZone(buildEventCreateSchema);

/**
 * `event update` schema for a time zone: name, client_contact, start_date,
 * end_date, location, attendees, notes — all optional (`notes: null` or `""`
 * clears them; end after start when both are given, otherwise the service
 * checks against the stored value). At least one field; unknown keys are
 * refused.
 *
 * @param timeZone IANA zone of zone-less dates (the `TZ` variable); default: the process's zone
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export const eventUpdateSchema: (timeZone?: string) => EventUpdateSchema = perTimeZone(buildEventUpdateSchema);

/** `event assign ID --support USER_ID`: support_contact_id (required). Unknown keys are refused. */
export const eventAssignSchema = z.strictObject({
  support_contact_id: idField,
});

/** `event list`: mine, unassigned, upcoming, contract_id, limit, offset, display, all optional. */
export const eventFilterSchema = z.strictObject({
  mine: booleanField.optional(),
  unassigned: booleanField.optional(),
  upcoming: booleanField.optional(),
  contract_id: idField.optional(),
  limit: limitField.optional(),
  offset: offsetField.optional(),
  /** false: rows without the names tables show (not looked up). */
  display: booleanField.optional(),
});

/** What a caller gives `event create` (dates as text or `Date`). */
export type EventCreateInput = z.input<EventCreateSchema>;
/** A validated `event create`: dates as `Date`, `notes` and `support_contact_id` `null` when absent. */
export type EventCreateData = z.output<EventCreateSchema>;
/** What a caller gives `event update`. */
export type EventUpdateInput = z.input<EventUpdateSchema>;
/** What a caller gives `event assign`. */
export type EventAssignInput = z.input<typeof eventAssignSchema>;
/** What a caller gives `event list`. */
export type EventFilterInput = z.input<typeof eventFilterSchema>;
