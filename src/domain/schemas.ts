/**
 * The zod schemas shared by the CLI and the services: one per entity and
 * action, with the JSON field names of PRODUCT.md §1, plus the list filters.
 *
 * Conventions:
 * - Every message is human and names no field (`must be a valid email address`);
 *   {@link parseInput} prefixes the field: `email: must be a valid email address`.
 * - Text is trimmed; lengths are counted in characters (code points), as the
 *   database counts them. Single-line fields refuse tabs, line breaks and other
 *   control characters (they would break tab-separated output); notes may hold
 *   line breaks and tabs but no other control characters.
 * - Values typed on a command line are accepted as strings: ids, attendees,
 *   limits (`"120"`), booleans (`"true"`, `"no"`), amounts (`"1500.50"`).
 * - Money becomes integer cents (see `money.ts`); dates become `Date` instants.
 *   Schemas with dates are factories taking the IANA time zone of zone-less
 *   input (`eventCreateSchema(ctx.timeZone)`); the zone is checked when the
 *   schema is built, so an unknown `TZ` fails at once with field `TZ`.
 * - Optional fields left out are `undefined` in the output, meaning "not given"
 *   (an update leaves them alone; a create applies the service's default) —
 *   except a create's nullable fields (`phone` of a user, `notes`,
 *   `support_contact_id` of an event), which come out as `null`.
 * - An empty string given for a nullable field (user `phone`, `notes`) means `null`.
 * - Unknown keys are dropped.
 * @module
 */
import * as z from "zod";
import { InvalidInputError } from "./errors.ts";
import { ROLES } from "./roles.ts";
import { moneySchema } from "./money.ts";
import { resolveTimeZone, tryParseDate } from "./dates.ts";

/** Largest id, attendee count, limit or offset accepted (a 32-bit SQL `INTEGER`). */
export const MAX_INTEGER = 2_147_483_647;

/** Entity names accepted by `audit list --entity` (singular, lower case). */
export const AUDIT_ENTITIES = ["user", "client", "contract", "event"] as const;

/** An entity name of the audit log. */
export type AuditEntity = typeof AUDIT_ENTITIES[number];

/** Message of {@link assertSomeField} and of the update schemas given no field. */
export const NOTHING_TO_UPDATE = "nothing to update: give at least one field";

// ---------------------------------------------------------------------------
// Field schemas

/** Error map of a base type: "is required" when absent, `expected` otherwise. */
function typeError(expected: string): (issue: { input?: unknown }) => string {
  return (issue) => issue.input === undefined ? "is required" : issue.input === null ? "must not be null" : expected;
}

// deno-lint-ignore no-control-regex
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f]/;
// deno-lint-ignore no-control-regex
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function characters(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function lengthMessage(min: number, max: number): string {
  return min <= 1 ? `must be 1 to ${max} characters` : `must be ${min} to ${max} characters`;
}

/** A trimmed single-line text of `min`–`max` characters. */
function text(min: number, max: number) {
  return z
    .string({ error: typeError("must be text") })
    .trim()
    .refine((value) => value !== "" || min === 0, { error: "must not be empty", abort: true })
    .refine((value) => {
      const length = characters(value);
      return length >= min && length <= max;
    }, { error: lengthMessage(min, max), abort: true })
    .refine((value) => !SINGLE_LINE_FORBIDDEN.test(value), {
      error: "must be a single line without tabs or control characters",
    });
}

const PHONE_PATTERN = /^[0-9 +\-().]+$/;

/** A phone number: 5–20 characters, digits, spaces, `+ - ( ) .` only, at least one digit. */
const phone = z
  .string({ error: typeError("must be text") })
  .trim()
  .refine((value) => value.length >= 5 && value.length <= 20, { error: "must be 5 to 20 characters", abort: true })
  .refine((value) => PHONE_PATTERN.test(value) && /\d/.test(value), {
    error: "may only contain digits, spaces, +, -, (, ) and .",
  });

/** Empty or blank strings become `null`; other values pass through. */
function blankToNull(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? null : value;
}

/** An optional phone that may be cleared: `null` or `""` → `null`. */
const nullablePhone = z.preprocess(blankToNull, phone.nullish());

/** Trimmed notes of at most 2000 characters; `null` or `""` → `null`. */
const notes = z.preprocess(
  blankToNull,
  z
    .string({ error: typeError("must be text") })
    .trim()
    .refine((value) => characters(value) <= 2000, { error: "must be at most 2000 characters", abort: true })
    .refine((value) => !MULTI_LINE_FORBIDDEN.test(value), { error: "must not contain control characters" })
    .nullish(),
);

/** An email: trimmed, at most 100 characters, valid, lower-cased. */
export const emailSchema: z.ZodType<string, string> = z
  .string({ error: typeError("must be a valid email address") })
  .trim()
  .min(1, { error: "must not be empty", abort: true })
  .max(100, { error: "must be at most 100 characters", abort: true })
  .pipe(z.email({ error: "must be a valid email address" }).toLowerCase());

/** A role, case-insensitive on input, normalised to upper case. */
export const roleSchema: z.ZodType<typeof ROLES[number], string> = z
  .string({ error: typeError(`must be one of ${ROLES.join(", ")}`) })
  .trim()
  .toUpperCase()
  .pipe(z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }));

/** An integer from a number or a string of digits; other strings are left for the number check to refuse. */
function integerText(value: unknown): unknown {
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) return Number.parseInt(value.trim(), 10);
  return value;
}

function integer(min: number, message: string) {
  return z.preprocess(
    integerText,
    z
      .number({ error: typeError(message) })
      .int({ error: message })
      .min(min, { error: message })
      .max(MAX_INTEGER, { error: `must be at most ${MAX_INTEGER}` }),
  );
}

/** A positive integer id; numeric strings (`"12"`) are accepted. */
export const idSchema: z.ZodType<number, unknown> = integer(1, "must be a positive integer id");

const attendees = integer(0, "must be a whole number, 0 or more");
const limit = integer(1, "must be a positive integer");
const offset = integer(0, "must be a whole number, 0 or more");

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { true: true, false: false, yes: true, no: false };

/** A boolean from `true`/`false`, or the strings `true`/`false`/`yes`/`no` (any case). */
export const booleanSchema: z.ZodType<boolean, unknown> = z.preprocess(
  (value) => typeof value === "string" ? BOOLEAN_TEXT[value.trim().toLowerCase()] ?? value : value,
  z.boolean({ error: typeError("must be true or false") }),
);

/** Builds the schema of a date field: a string for `tryParseDate` or a valid `Date` → `Date`. */
function dateField(timeZone: string) {
  return z
    .union([z.string(), z.date()], {
      error: typeError("must be a date such as 2026-06-01T18:00:00Z or 2026-06-01 18:00"),
    })
    .transform((value, ctx) => {
      if (value instanceof Date) return value;
      const result = tryParseDate(value, { timeZone });
      if (!result.ok) {
        ctx.addIssue({ code: "custom", message: result.reason, input: value });
        return z.NEVER;
      }
      return result.date;
    });
}

/** A search text: trimmed, at most 100 characters; blank → `undefined`. */
const search = z.preprocess(
  (value) => typeof value === "string" && value.trim() === "" ? undefined : value,
  text(1, 100).optional(),
);

const auditEntity = z
  .string({ error: typeError(`must be one of ${AUDIT_ENTITIES.join(", ")}`) })
  .trim()
  .toLowerCase()
  .transform((value) => value.endsWith("s") ? value.slice(0, -1) : value)
  .pipe(z.enum(AUDIT_ENTITIES, { error: `must be one of ${AUDIT_ENTITIES.join(", ")}` }));

/** Memoises a schema factory by resolved time zone. */
function perTimeZone<T>(build: (timeZone: string) => T): (timeZone?: string) => T {
  const cache = new Map<string, T>();
  return (timeZone) => {
    const zone = resolveTimeZone(timeZone);
    let schema = cache.get(zone);
    if (schema === undefined) {
      schema = build(zone);
      cache.set(zone, schema);
    }
    return schema;
  };
}

function hasSomeField(value: object): boolean {
  return Object.values(value).some((field) => field !== undefined);
}

// ---------------------------------------------------------------------------
// Users

/** `user create`: first_name, last_name, email, phone (optional, nullable), role. */
export const userCreateSchema = z.object({
  first_name: text(1, 50),
  last_name: text(1, 50),
  email: emailSchema,
  phone: nullablePhone.transform((value) => value ?? null),
  role: roleSchema,
});

/** `user update`: every field optional; `phone: null` or `""` clears the phone. At least one field. */
export const userUpdateSchema = z.object({
  first_name: text(1, 50).optional(),
  last_name: text(1, 50).optional(),
  email: emailSchema.optional(),
  phone: nullablePhone,
  role: roleSchema.optional(),
}).refine(hasSomeField, { error: NOTHING_TO_UPDATE });

// ---------------------------------------------------------------------------
// Clients

/** `client create`: full_name, email, phone, company_name, sales_contact_id (optional). */
export const clientCreateSchema = z.object({
  full_name: text(1, 100),
  email: emailSchema,
  phone: phone,
  company_name: text(1, 100),
  sales_contact_id: idSchema.optional(),
});

/** `client update`: every field optional, including sales_contact_id. At least one field. */
export const clientUpdateSchema = z.object({
  full_name: text(1, 100).optional(),
  email: emailSchema.optional(),
  phone: phone.optional(),
  company_name: text(1, 100).optional(),
  sales_contact_id: idSchema.optional(),
}).refine(hasSomeField, { error: NOTHING_TO_UPDATE });

// ---------------------------------------------------------------------------
// Contracts

const AMOUNT_DUE_ABOVE_TOTAL = "must not exceed total_amount";

/**
 * `contract create`: client_id, total_amount, amount_due (optional, defaults
 * to total_amount, at most total_amount), sales_contact_id (optional). Amounts
 * come out in integer cents.
 */
export const contractCreateSchema = z
  .object({
    client_id: idSchema,
    total_amount: moneySchema,
    amount_due: moneySchema.optional(),
    sales_contact_id: idSchema.optional(),
  })
  .refine((value) => value.amount_due === undefined || value.amount_due <= value.total_amount, {
    path: ["amount_due"],
    error: AMOUNT_DUE_ABOVE_TOTAL,
  })
  .transform((value) => ({ ...value, amount_due: value.amount_due ?? value.total_amount }));

/**
 * `contract update`: total_amount, amount_due, signed_status, all optional
 * (cents; amount_due ≤ total_amount when both are given — otherwise the
 * service checks against the stored value). At least one field.
 */
export const contractUpdateSchema = z
  .object({
    total_amount: moneySchema.optional(),
    amount_due: moneySchema.optional(),
    signed_status: booleanSchema.optional(),
  })
  .refine(
    (value) =>
      value.amount_due === undefined || value.total_amount === undefined || value.amount_due <= value.total_amount,
    { path: ["amount_due"], error: AMOUNT_DUE_ABOVE_TOTAL },
  )
  .refine(hasSomeField, { error: NOTHING_TO_UPDATE });

// ---------------------------------------------------------------------------
// Events

const END_NOT_AFTER_START = "must be after start_date";

function endAfterStart(value: { start_date?: Date; end_date?: Date }): boolean {
  return value.start_date === undefined || value.end_date === undefined ||
    value.end_date.getTime() > value.start_date.getTime();
}

function buildEventCreateSchema(timeZone: string) {
  return z
    .object({
      name: text(1, 100),
      contract_id: idSchema,
      client_contact: text(1, 100),
      start_date: dateField(timeZone),
      end_date: dateField(timeZone),
      location: text(1, 200),
      attendees: attendees,
      notes: notes.transform((value) => value ?? null),
      support_contact_id: idSchema.nullish().transform((value) => value ?? null),
    })
    .refine(endAfterStart, { path: ["end_date"], error: END_NOT_AFTER_START });
}

function buildEventUpdateSchema(timeZone: string) {
  return z
    .object({
      name: text(1, 100).optional(),
      client_contact: text(1, 100).optional(),
      start_date: dateField(timeZone).optional(),
      end_date: dateField(timeZone).optional(),
      location: text(1, 200).optional(),
      attendees: attendees.optional(),
      notes: notes,
    })
    .refine(endAfterStart, { path: ["end_date"], error: END_NOT_AFTER_START })
    .refine(hasSomeField, { error: NOTHING_TO_UPDATE });
}

/**
 * `event create` schema for a time zone: name, contract_id, client_contact,
 * start_date, end_date (`Date`, end after start), location, attendees,
 * notes (optional → `null`), support_contact_id (optional → `null`).
 *
 * @param timeZone IANA zone of zone-less dates (the `TZ` variable); default: the process's zone
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export const eventCreateSchema: (timeZone?: string) => ReturnType<typeof buildEventCreateSchema> = perTimeZone(
  buildEventCreateSchema,
);

/**
 * `event update` schema for a time zone: name, client_contact, start_date,
 * end_date, location, attendees, notes — all optional (`notes: null` or `""`
 * clears them; end after start when both are given, otherwise the service
 * checks against the stored value). At least one field.
 *
 * @param timeZone IANA zone of zone-less dates (the `TZ` variable); default: the process's zone
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export const eventUpdateSchema: (timeZone?: string) => ReturnType<typeof buildEventUpdateSchema> = perTimeZone(
  buildEventUpdateSchema,
);

/** `event assign ID --support USER_ID`: support_contact_id (required). */
export const eventAssignSchema = z.object({
  support_contact_id: idSchema,
});

// ---------------------------------------------------------------------------
// List filters

/** `client list`: mine, search (blank → undefined), limit (≥ 1), offset (≥ 0), all optional. */
export const clientFilterSchema = z.object({
  mine: booleanSchema.optional(),
  search: search,
  limit: limit.optional(),
  offset: offset.optional(),
});

/** `contract list`: mine, unsigned, unpaid, client_id, limit, offset, all optional. */
export const contractFilterSchema = z.object({
  mine: booleanSchema.optional(),
  unsigned: booleanSchema.optional(),
  unpaid: booleanSchema.optional(),
  client_id: idSchema.optional(),
  limit: limit.optional(),
  offset: offset.optional(),
});

/** `event list`: mine, unassigned, upcoming, contract_id, limit, offset, all optional. */
export const eventFilterSchema = z.object({
  mine: booleanSchema.optional(),
  unassigned: booleanSchema.optional(),
  upcoming: booleanSchema.optional(),
  contract_id: idSchema.optional(),
  limit: limit.optional(),
  offset: offset.optional(),
});

function buildAuditFilterSchema(timeZone: string) {
  return z.object({
    entity: auditEntity.optional(),
    id: idSchema.optional(),
    actor: idSchema.optional(),
    since: dateField(timeZone).optional(),
    limit: limit.optional(),
  });
}

/**
 * `audit list` schema for a time zone: entity (user/client/contract/event,
 * any case, plural accepted), id, actor (a user id), since (`Date`; a bare
 * `YYYY-MM-DD` is local midnight), limit — all optional.
 *
 * @param timeZone IANA zone of zone-less dates (the `TZ` variable); default: the process's zone
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export const auditFilterSchema: (timeZone?: string) => ReturnType<typeof buildAuditFilterSchema> = perTimeZone(
  buildAuditFilterSchema,
);

// ---------------------------------------------------------------------------
// Output types

/** Validated input of `user create`. */
export type UserCreateInput = z.output<typeof userCreateSchema>;
/** Validated input of `user update`. */
export type UserUpdateInput = z.output<typeof userUpdateSchema>;
/** Validated input of `client create`. */
export type ClientCreateInput = z.output<typeof clientCreateSchema>;
/** Validated input of `client update`. */
export type ClientUpdateInput = z.output<typeof clientUpdateSchema>;
/** Validated input of `contract create` (amounts in cents). */
export type ContractCreateInput = z.output<typeof contractCreateSchema>;
/** Validated input of `contract update` (amounts in cents). */
export type ContractUpdateInput = z.output<typeof contractUpdateSchema>;
/** Validated input of `event create`. */
export type EventCreateInput = z.output<ReturnType<typeof eventCreateSchema>>;
/** Validated input of `event update`. */
export type EventUpdateInput = z.output<ReturnType<typeof eventUpdateSchema>>;
/** Validated input of `event assign`. */
export type EventAssignInput = z.output<typeof eventAssignSchema>;
/** Validated filter of `client list`. */
export type ClientFilter = z.output<typeof clientFilterSchema>;
/** Validated filter of `contract list`. */
export type ContractFilter = z.output<typeof contractFilterSchema>;
/** Validated filter of `event list`. */
export type EventFilter = z.output<typeof eventFilterSchema>;
/** Validated filter of `audit list`. */
export type AuditFilter = z.output<ReturnType<typeof auditFilterSchema>>;

// ---------------------------------------------------------------------------
// Helpers

/** Fallback messages for issues a schema gives no message of its own. */
function fallbackMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type" && issue.expected === "object") return "must be an object";
  if (issue.input === undefined) return "is required";
  if (issue.input === null) return "must not be null";
  if (issue.code === "invalid_type") return `must be of type ${issue.expected}`;
  return undefined;
}

function fieldOf(path: readonly PropertyKey[]): string | undefined {
  return path.length === 0 ? undefined : path.map(String).join(".");
}

/**
 * Validates `input` against `schema` and returns the parsed output.
 *
 * @throws {InvalidInputError} for the first issue, with message
 *   `field: reason` (e.g. `email: must be a valid email address`) and `field`
 *   set; an issue about the whole object (e.g. {@link NOTHING_TO_UPDATE}) has
 *   no field
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { error: fallbackMessage });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = fieldOf(issue.path);
  throw new InvalidInputError(field === undefined ? issue.message : `${field}: ${issue.message}`, field);
}

/**
 * Parses a positional id argument (`show ID`).
 *
 * @throws {InvalidInputError} `id: must be a positive integer id`
 */
export function parseId(value: unknown, field = "id"): number {
  return parseInput(z.object({ [field]: idSchema }), { [field]: value })[field];
}

/** The object shape behind a schema, through refinements and transforms. */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  if (schema instanceof z.ZodPipe) return shapeOf(schema.in as z.ZodType);
  return undefined;
}

/**
 * The required fields of an object schema that are absent (undefined or
 * missing) from `input`, in schema order — so the CLI can name every missing
 * flag at once. A field is required when its schema refuses `undefined`.
 */
export function missingFields(schema: z.ZodType, input: unknown): string[] {
  const shape = shapeOf(schema);
  if (shape === undefined) return [];
  const values = typeof input === "object" && input !== null ? input as Record<string, unknown> : {};
  return Object.entries(shape)
    .filter(([name, field]) => values[name] === undefined && !field.safeParse(undefined).success)
    .map(([name]) => name);
}

/**
 * Validates one field of an object schema on its own, for validation at a
 * prompt; cross-field rules are not applied.
 *
 * @returns the reason the value is refused (without the field name), or
 *   `undefined` when it is valid
 * @throws {Error} when the schema has no such field
 */
export function fieldError(schema: z.ZodType, field: string, value: unknown): string | undefined {
  const fieldSchema = shapeOf(schema)?.[field];
  if (fieldSchema === undefined) throw new Error(`schema has no field "${field}"`);
  const result = fieldSchema.safeParse(value, { error: fallbackMessage });
  return result.success ? undefined : result.error.issues[0].message;
}

/**
 * Refuses an update that changes nothing.
 *
 * @throws {InvalidInputError} `nothing to update: give at least one field`
 *   when every value of `input` is undefined (or it has no keys)
 */
export function assertSomeField(input: object): void {
  if (!hasSomeField(input)) throw new InvalidInputError(NOTHING_TO_UPDATE);
}
