/**
 * Events: the record (`event show --json`), and what `event create`,
 * `event update`, `event assign` and `event list` take. The input schemas
 * with dates are factories taking the IANA time zone of zone-less input
 * (`eventCreateSchema(ctx.timeZone)`).
 * @module
 */
import * as z from "zod";
import {
  booleanField,
  countField,
  dateField,
  hasSomeField,
  idField as idRule,
  notesField,
  NOTHING_TO_UPDATE,
  perTimeZone,
  textField,
} from "../domain/schemas/fields.ts";
import {
  COUNT,
  display,
  DRY_RUN,
  field,
  type FieldInput,
  filter,
  ID,
  idField,
  instantField,
  PAGE,
  record,
} from "./meta.ts";

/** A date a create needs: `what` in help, `label` at its prompt. */
function dateInput(what: string, label: string): FieldInput {
  return {
    arg: "date",
    help: `${what}: ISO 8601, or 'YYYY-MM-DD HH:MM' in local time (TZ)`,
    prompt: `${label} (YYYY-MM-DD HH:MM)`,
    required: true,
  };
}

/** An event. */
export const eventRecord = record({
  id: idField("The event's id.", { label: "ID" }),
  name: field(z.string(), "The event's name.", {
    label: "NAME",
    input: { arg: "name", help: "event name", prompt: "Event name", required: true },
  }),
  contract_id: idField("The signed contract the event belongs to.", {
    label: "CONTRACT",
    input: {
      flag: "--contract",
      aliases: ["--contract-id"],
      arg: "id",
      help: "the signed contract",
      prompt: "Signed contract",
      required: true,
      update: false,
      choices: "signed_contracts",
    },
  }),
  client_id: idField("The contract's client.", { label: "CLIENT ID" }),
  client_contact: field(z.string(), "Who to reach at the client, as free text.", {
    label: "CLIENT CONTACT",
    input: { arg: "text", help: "who to contact at the client", prompt: "Client contact", required: true },
  }),
  start_date: instantField("When the event starts (ISO 8601, `Z`).", "START", dateInput("start", "Start")),
  end_date: instantField(
    "When the event ends (ISO 8601, `Z`), after its start.",
    "END",
    dateInput("end, after the start", "End"),
  ),
  support_contact_id: field(
    ID.nullable(),
    "The SUPPORT collaborator in charge, or null while unassigned.",
    {
      label: "SUPPORT CONTACT ID",
      show: "number",
      input: {
        flag: "--support",
        aliases: ["--support-contact-id"],
        arg: "user_id",
        help: "the SUPPORT collaborator (MANAGEMENT only)",
        kind: "id",
        prompt: "Support contact",
        update: false,
        choices: "support",
      },
    },
  ),
  location: field(z.string(), "Where the event takes place.", {
    label: "LOCATION",
    input: { arg: "text", help: "where", prompt: "Location", required: true },
  }),
  attendees: field(COUNT, "How many people are expected (0 or more).", {
    label: "ATTENDEES",
    show: "number",
    input: { arg: "n", help: "expected attendees", kind: "whole", prompt: "Attendees", required: true },
  }),
  notes: field(z.string().nullable(), "Free notes, or null.", {
    label: "NOTES",
    input: { arg: "text", help: "notes", updateHelp: "notes (empty clears them)", prompt: "Notes" },
  }),
  display: display("client_name", "support_contact_name"),
}, {
  noun: "event",
  list: [
    "id",
    "name",
    "client_name",
    "contract_id",
    "start_date",
    "end_date",
    "support_contact_name",
    "location",
    "attendees",
    "client_contact",
  ],
  more: ["support_contact_id", "notes"],
  // On a narrow terminal: the start, who supports it and where, rather than the end and the counts.
  narrow: ["client_contact", "attendees", "end_date", "contract_id"],
  ask: ["contract_id", "name", "client_contact", "start_date", "end_date", "location", "attendees", "notes"],
});

/** An event, as `--json` prints it (and `display` for tables). */
export type EventRecord = z.output<typeof eventRecord>;

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
      contract_id: idRule,
      client_contact: textField(1, 100),
      start_date: dateField(timeZone),
      end_date: dateField(timeZone),
      location: textField(1, 200),
      attendees: countField,
      notes: notesField.transform((value) => value ?? null),
      support_contact_id: idRule.nullish().transform((value) => value ?? null),
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
  support_contact_id: idRule,
});

/** `event list`: mine, unassigned, upcoming, contract, paging. */
export const eventListSchema = z.strictObject({
  mine: filter(booleanField.optional(), "SUPPORT and MANAGEMENT: events I support; SALES: events of my clients"),
  unassigned: filter(booleanField.optional(), "only events without a support contact"),
  upcoming: filter(booleanField.optional(), "only events that have not ended yet"),
  contract: filter(idRule.optional(), "only this contract's", { arg: "id", kind: "id" }),
  ...PAGE,
});

/** What a caller gives `event create` (dates as text or `Date`). */
export type EventCreateInput = z.input<EventCreateSchema>;
/** A validated `event create`: dates as `Date`, `notes` and `support_contact_id` `null` when absent. */
export type EventCreateData = z.output<EventCreateSchema>;
/** What a caller gives `event assign`. */
export type EventAssignInput = z.input<typeof eventAssignSchema>;

/** `event delete`: dry_run. */
export const eventDeleteSchema = z.strictObject({ dry_run: DRY_RUN });
