/**
 * The shared field rules every entity schema is built from: text, notes,
 * email, phone, role, ids and counts, booleans, money and dates, plus the
 * helpers the entity modules share.
 *
 * Conventions:
 * - Every message is human and names no field (`must be a valid email address`);
 *   `parseInput` prefixes the field: `email: must be a valid email address`.
 *   Messages are keys of the `errors.*` catalog encoded by `reason` (zod's
 *   messages are strings), so that the edge says them in the reader's language.
 * - Text is trimmed of white space and of zero-width characters (U+200B–U+200D,
 *   U+2060, U+FEFF) at both ends, so a value of only invisible characters is
 *   empty. Lengths are counted in characters (code points), as the database
 *   counts them, and every limit is checked here, before the database.
 * - No text field accepts C1 control characters (U+0080–U+009F), the Unicode
 *   line and paragraph separators (U+2028, U+2029), bidirectional overrides
 *   and isolates (U+202A–U+202E, U+2066–U+2069) or unpaired surrogates,
 *   anywhere in the value: they reorder or split what a terminal shows and
 *   break tab-separated output. Single-line fields also refuse tabs, line
 *   breaks and other C0 control characters inside the value; notes may hold
 *   line breaks and tabs.
 * - Values typed on a command line are accepted as strings: ids, attendees,
 *   limits (`"120"`), booleans (`"true"`, `"no"`), amounts (`"1500.50"`).
 * @module
 */
import * as z from "zod";
import { ROLES } from "../roles.ts";
import { SHAPE_REASON, tryParseMoney } from "../money.ts";
import { resolveTimeZone, tryParseDate } from "../dates.ts";
import { english, type ErrorKey, type MessageValues, msg, reason } from "../messages.ts";

/** Largest id, attendee count, limit or offset accepted (a 32-bit SQL `INTEGER`). */
const MAX_INTEGER = 2_147_483_647;

/** Message of an update schema given no field (a zod message: see `reason`). */
export const NOTHING_TO_UPDATE_REASON = reason("errors.reason.nothing_to_update");
/** {@link NOTHING_TO_UPDATE_REASON} in English. */
export const NOTHING_TO_UPDATE = english(msg("errors.reason.nothing_to_update"));

/** Error map of a base type: "is required" when absent, the message `expected` (with `values`) otherwise. */
export function typeError(expected: ErrorKey, values?: MessageValues): (issue: { input?: unknown }) => string {
  const otherwise = reason(expected, values);
  return (issue) => issue.input === undefined ? REQUIRED : issue.input === null ? NOT_NULL : otherwise;
}

/** "is required" (absent), "must not be null". */
export const REQUIRED = reason("errors.reason.required");
const NOT_NULL = reason("errors.reason.not_null");

// ---------------------------------------------------------------------------
// Characters

/**
 * White space as `String.prototype.trim` sees it, except the line and
 * paragraph separators (refused, not trimmed), and the zero-width characters.
 */
const EDGE = "[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200d\\u202f\\u205f\\u2060\\u3000\\ufeff]+";
const EDGES = new RegExp(`^${EDGE}|${EDGE}$`, "g");

/**
 * Trims white space and zero-width characters (U+200B–U+200D, U+2060, U+FEFF)
 * from both ends of `value`. The line and paragraph separators (U+2028,
 * U+2029) are not trimmed: text fields refuse them wherever they are.
 */
export function trimText(value: string): string {
  return value.replace(EDGES, "");
}

/** Text that is empty once trimmed by {@link trimText}. */
function isBlank(value: unknown): boolean {
  return typeof value === "string" && trimText(value) === "";
}

// deno-lint-ignore no-control-regex
const C0_CONTROL = /[\u0000-\u001f\u007f]/;
// deno-lint-ignore no-control-regex
const C0_CONTROL_BUT_TAB_AND_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** C1 controls and the Unicode line and paragraph separators. */
const UNICODE_CONTROL = /[\u0080-\u009f\u2028\u2029]/;
/** Bidirectional embeddings, overrides and isolates. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** A surrogate that is not half of a pair. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** `U+2028`: the code point of the first character of `value` matching `pattern`. */
function codePointOf(value: string, pattern: RegExp): string {
  const found = pattern.exec(value)![0];
  return `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

const SINGLE_LINE: ErrorKey = "errors.reason.single_line";
const NO_CONTROL: ErrorKey = "errors.reason.no_control";

/**
 * Why `value` holds a character no text field accepts (see the module
 * documentation), or `undefined` when it holds none.
 */
function hostileCharacter(value: string, controlMessage: ErrorKey): string | undefined {
  if (LONE_SURROGATE.test(value)) return reason("errors.reason.surrogate");
  if (UNICODE_CONTROL.test(value)) {
    return reason("errors.reason.found", {
      reason: { key: controlMessage },
      found: codePointOf(value, UNICODE_CONTROL),
    });
  }
  if (BIDI_CONTROL.test(value)) return reason("errors.reason.bidi", { found: codePointOf(value, BIDI_CONTROL) });
  return undefined;
}

/** Counts characters (code points), as the database does. */
function characters(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * A text field: refuses the characters of {@link hostileCharacter}, trims with
 * {@link trimText}, then applies `rules` to the trimmed text.
 */
function checkedText(
  controlMessage: ErrorKey,
  rules: (value: string, ctx: z.core.$RefinementCtx<string>) => void,
) {
  return z
    .string({ error: typeError("errors.reason.text") })
    .superRefine((value, ctx) => {
      const reason = hostileCharacter(value, controlMessage);
      if (reason !== undefined) ctx.addIssue({ code: "custom", message: reason, input: value, continue: false });
    })
    .overwrite(trimText)
    .superRefine(rules);
}

const EMPTY = reason("errors.reason.empty");

/** Adds a custom issue with `message` and stops. */
function refuse(ctx: z.core.$RefinementCtx<string>, value: string, message: string): void {
  ctx.addIssue({ code: "custom", message, input: value, continue: false });
}

// ---------------------------------------------------------------------------
// Text

/**
 * A trimmed single-line text of `min`–`max` characters (`min` ≥ 1): no tab,
 * line break or other control character, no bidirectional control, not blank.
 */
export function textField(min: number, max: number): z.ZodString {
  const lengthMessage = reason("errors.reason.length", { min: Math.max(min, 1), max });
  return checkedText(SINGLE_LINE, (value, ctx) => {
    if (value === "") return refuse(ctx, value, EMPTY);
    const length = characters(value);
    if (length < min || length > max) return refuse(ctx, value, lengthMessage);
    if (C0_CONTROL.test(value)) return refuse(ctx, value, reason(SINGLE_LINE));
  });
}

/** Empty or blank strings (see {@link trimText}) become `null`; other values pass through. */
function blankToNull(value: unknown): unknown {
  return isBlank(value) ? null : value;
}

/** Blank strings (see {@link trimText}) become `undefined`; other values pass through. */
function blankToUndefined(value: unknown): unknown {
  return isBlank(value) ? undefined : value;
}

/** Most characters of an event's notes. */
const NOTES_MAX = 2000;

/**
 * Notes: trimmed, at most {@link NOTES_MAX} characters, line breaks and tabs
 * allowed but no other control character; `null`, `""` or blank → `null`,
 * absent → `undefined`.
 */
export const notesField = z.preprocess(
  (value: string | null | undefined) => blankToNull(value),
  checkedText(NO_CONTROL, (value, ctx) => {
    if (characters(value) > NOTES_MAX) return refuse(ctx, value, reason("errors.reason.max_chars", { max: NOTES_MAX }));
    if (C0_CONTROL_BUT_TAB_AND_NEWLINES.test(value)) return refuse(ctx, value, reason(NO_CONTROL));
  }).nullish(),
);

/** Most characters of a search text. */
const SEARCH_MAX = 100;

/** A search text: trimmed, single line, at most {@link SEARCH_MAX} characters; blank → `undefined`. */
export const searchField = z.preprocess(
  (value: string | undefined) => blankToUndefined(value),
  textField(1, SEARCH_MAX).optional(),
);

// ---------------------------------------------------------------------------
// Email, phone, role

/** Most characters of an email address. */
const EMAIL_MAX = 100;

/** An email: trimmed, at most {@link EMAIL_MAX} characters, valid, lower-cased. */
export const emailField = checkedText("errors.reason.email", (value, ctx) => {
  if (value === "") return refuse(ctx, value, EMPTY);
  if (characters(value) > EMAIL_MAX) return refuse(ctx, value, reason("errors.reason.max_chars", { max: EMAIL_MAX }));
}).pipe(z.email({ error: reason("errors.reason.email") }).toLowerCase());

const PHONE_PATTERN = /^[0-9 +\-().]+$/;

/** A phone number: 5–20 characters, digits, spaces, `+ - ( ) .` only, at least one digit. */
export const phoneField = z
  .string({ error: typeError("errors.reason.text") })
  .overwrite(trimText)
  .refine((value) => value.length >= 5 && value.length <= 20, {
    error: reason("errors.reason.length", { min: 5, max: 20 }),
    abort: true,
  })
  .refine((value) => PHONE_PATTERN.test(value) && /\d/.test(value), { error: reason("errors.reason.phone") });

/** An optional phone that may be cleared: `null`, `""` or blank → `null`, absent → `undefined`. */
export const nullablePhoneField = z.preprocess(
  (value: string | null | undefined) => blankToNull(value),
  phoneField.nullish(),
);

/** A role, case-insensitive on input, normalised to upper case. */
export const roleField = z
  .string({ error: typeError("errors.reason.one_of", { values: ROLES.join(", ") }) })
  .trim()
  .toUpperCase()
  .pipe(z.enum(ROLES, { error: reason("errors.reason.one_of", { values: ROLES.join(", ") }) }));

// ---------------------------------------------------------------------------
// Numbers, booleans, money, dates

/** An integer from a number or a string of digits; other strings are left for the number check to refuse. */
function integerText(value: unknown): unknown {
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) return Number.parseInt(value.trim(), 10);
  return value;
}

function integer(min: number, key: ErrorKey) {
  const message = reason(key);
  return z.preprocess(
    (value: number | string) => integerText(value),
    z
      .number({ error: typeError(key) })
      .int({ error: message })
      .min(min, { error: message })
      .max(MAX_INTEGER, { error: reason("errors.reason.at_most", { max: MAX_INTEGER }) }),
  );
}

/** A positive integer id; numeric strings (`"12"`) are accepted. */
export const idField = integer(1, "errors.reason.id");

/** A count of 0 or more (attendees); numeric strings are accepted. */
export const countField = integer(0, "errors.reason.whole");

/** A list's page size: a positive integer; numeric strings are accepted. */
export const limitField = integer(1, "errors.reason.positive");

/** A list's offset: 0 or more; numeric strings are accepted. */
export const offsetField = integer(0, "errors.reason.whole");

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { true: true, false: false, yes: true, no: false };

/** A boolean from `true`/`false`, or the strings `true`/`false`/`yes`/`no` (any case). */
export const booleanField = z.preprocess(
  (value: boolean | string) => typeof value === "string" ? BOOLEAN_TEXT[value.trim().toLowerCase()] ?? value : value,
  z.boolean({ error: typeError("errors.reason.boolean") }),
);

/**
 * Zod schema of an amount: a string (see `tryParseMoney` in `money.ts`) or a JS number
 * (converted through `String(n)` and the same parser, so `0.1 + 0.2` is refused
 * for having too many decimals rather than silently rounded) → integer cents.
 */
export const moneySchema: z.ZodType<number, string | number> = z
  .union([z.string(), z.number()], {
    error: (issue) => issue.input === undefined ? REQUIRED : reason(SHAPE_REASON.key),
  })
  .transform((value, ctx) => {
    if (typeof value === "number" && !Number.isFinite(value)) {
      ctx.addIssue({ code: "custom", message: reason(SHAPE_REASON.key), input: value });
      return z.NEVER;
    }
    const result = tryParseMoney(String(value));
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: reason(result.reason.key, result.reason.values), input: value });
      return z.NEVER;
    }
    return result.cents;
  });

/** An amount in integer cents, from `"1500.50"` or a number (see `money.ts`). */
export const moneyField = moneySchema;

/**
 * A date field in `timeZone` (the zone of zone-less input): a string for
 * `tryParseDate` or a valid `Date`, giving a `Date`.
 */
export function dateField(timeZone: string) {
  return z
    .union([z.string(), z.date()], {
      error: typeError("errors.date.shape_short"),
    })
    .transform((value, ctx) => {
      if (value instanceof Date) return value;
      const result = tryParseDate(value, { timeZone });
      if (!result.ok) {
        ctx.addIssue({ code: "custom", message: reason(result.reason.key, result.reason.values), input: value });
        return z.NEVER;
      }
      return result.date;
    });
}

// ---------------------------------------------------------------------------
// Helpers of the entity modules

/**
 * Memoises a schema factory by resolved time zone: the zone is checked when
 * the schema is built, so an unknown `TZ` fails at once with field `TZ`.
 */
export function perTimeZone<T>(build: (timeZone: string) => T): (timeZone?: string) => T {
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

/** Whether some value of `value` is not `undefined` (an update gives at least one field). */
export function hasSomeField(value: object): boolean {
  return Object.values(value).some((field) => field !== undefined);
}
