/**
 * Reading the values typed on the command line (flags, arguments, answers to
 * prompts): ids, whole numbers, amounts, yes/no, roles and dates, in the
 * user's habits: a role by its name in either language (`commercial`,
 * `Sales`), and in French amounts with a decimal comma and grouped
 * thousands (`1 500,50`) and dates as `JJ/MM/AAAA HH:MM`. A refusal
 * names what the user typed — `--total: must be an amount with at most 2
 * decimals, e.g. 1500.50` — while the JSON error's `field` stays the field's
 * JSON name (`total_amount`), stable for scripts whatever alias was typed.
 * Text fields are passed on as typed: the use cases validate them, and their
 * messages are renamed to the flag (see `verbs/verb.ts`).
 * @module
 */
import type { ValueKind } from "../../contract/meta.ts";
import { tryParseDate } from "../../domain/dates.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import { tryParseMoney } from "../../domain/money.ts";
import { roleOfWord, ROLES } from "../../domain/roles.ts";
import { currentLanguage, t } from "../../i18n/mod.ts";
import { messageText } from "../../i18n/errors.ts";

export type { ValueKind };

/** A value read, or why it was refused (without the flag's name). */
export type Reading = { ok: true; value: string | number | boolean } | { ok: false; reason: string };

/** Largest id or count accepted (a 32-bit SQL `INTEGER`). */
export const MAX_WHOLE = 2_147_483_647;

/** Words accepted for yes/no flags, any case. */
export const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, yes: true, no: false };

function whole(text: string, min: number, reason: string): Reading {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return { ok: false, reason };
  const value = Number(trimmed);
  if (value < min) return { ok: false, reason };
  if (value > MAX_WHOLE) return { ok: false, reason: t("cli.value.at_most", { max: MAX_WHOLE }) };
  return { ok: true, value };
}

/** Reads a positive id: `"12"` → 12. */
export function readId(text: string): Reading {
  return whole(text, 1, t("cli.value.id"));
}

/** Reads a whole number of at least `min` (0 or 1). */
export function readWhole(text: string, min = 0): Reading {
  return whole(text, min, t("cli.value.whole", { min }));
}

const AMOUNT = "cli.value.amount";

/** Digits grouped by thousands with spaces (plain, no-break or narrow no-break), and a decimal comma or point. */
const FRENCH_AMOUNT = /^(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:[,.]\d*)?$/;

/** An amount as typed in French (`1 500,50`, `1500,5`) in the exact form the port takes (`1500.50`, `1500.5`). */
function frenchAmount(text: string): string {
  const trimmed = text.trim();
  return FRENCH_AMOUNT.test(trimmed) ? trimmed.replace(/[ \u00a0\u202f]/g, "").replace(",", ".") : trimmed;
}

/**
 * Reads an amount; the exact text (trimmed) is kept, as the port takes it.
 * In French, `1500,50` and `1 500,50` (spaces between thousands) are read as
 * `1500.50`.
 */
export function readMoney(text: string): Reading {
  if (currentLanguage() === "fr") text = frenchAmount(text);
  const parsed = tryParseMoney(text);
  if (parsed.ok) return { ok: true, value: text.trim() };
  const keep = parsed.reason.key === "errors.money.negative" || parsed.reason.key === "errors.money.too_large";
  return { ok: false, reason: keep ? messageText(parsed.reason) : t(AMOUNT) };
}

/** Reads yes/no: `true`, `false`, `yes`, `no`, any case. */
export function readBool(text: string): Reading {
  const value = BOOLEAN_WORDS[text.trim().toLowerCase()];
  return value === undefined
    ? { ok: false, reason: t("cli.value.one_of", { values: Object.keys(BOOLEAN_WORDS).join(", ") }) }
    : { ok: true, value };
}

/** Reads a role in any case and either language: `sales`, `Sales`, `commercial` → `SALES`. */
export function readRole(text: string): Reading {
  const value = roleOfWord(text);
  return value !== undefined
    ? { ok: true, value }
    : { ok: false, reason: t("cli.value.one_of_any_case", { values: ROLES.join(", ") }) };
}

/** Reads one of `choices` in any case (`Clients` for `client`: a plural is accepted). */
export function readChoice(text: string, choices: readonly string[]): Reading {
  const word = text.trim().toLowerCase();
  const value = choices.find((c) => c === word || `${c}s` === word);
  return value === undefined
    ? { ok: false, reason: t("cli.value.one_of", { values: choices.join(", ") }) }
    : { ok: true, value };
}

/** `JJ/MM/AAAA`, then optionally `HH:MM` (or `HHhMM`). */
const FRENCH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[:hH](\d{2}))?$/;

/** A date typed the French way (`04/06/2027 18:00`) as the ISO local form (`2027-06-04 18:00`); other text as it is. */
function frenchDate(text: string): string {
  const match = FRENCH_DATE.exec(text.trim());
  if (match === null) return text;
  const [, day, month, year, hour, minute] = match;
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  return hour === undefined ? date : `${date} ${hour.padStart(2, "0")}:${minute}`;
}

/**
 * Reads a date: ISO 8601 with `Z` or an offset, or a local time
 * (`2027-06-04 18:00`, `2027-06-04`; in French also `04/06/2027 18:00`,
 * `04/06/2027`) in `timeZone`; the result is the ISO 8601 instant in UTC.
 *
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export function readDate(text: string, timeZone: string | undefined): Reading {
  if (currentLanguage() === "fr") text = frenchDate(text);
  const parsed = tryParseDate(text, { timeZone });
  return parsed.ok ? { ok: true, value: parsed.date.toISOString() } : { ok: false, reason: messageText(parsed.reason) };
}

/** Reads `text` as `kind` (dates need the zone of local times). */
export function readValue(kind: ValueKind, text: string, timeZone?: string): Reading {
  switch (kind) {
    case "id":
      return readId(text);
    case "whole":
      return readWhole(text);
    case "money":
      return readMoney(text);
    case "bool":
      return readBool(text);
    case "role":
      return readRole(text);
    case "date":
      return readDate(text, timeZone);
    case "text":
      return { ok: true, value: text };
  }
}

/**
 * The value of a reading, or an {@link InvalidInputError} naming `what` (the
 * flag or argument typed) in its message and `field` as its field.
 */
export function valueOf<T extends string | number | boolean>(reading: Reading, what: string, field: string): T {
  if (!reading.ok) throw new InvalidInputError(t("cli.value.refused", { what, reason: reading.reason }), field);
  return reading.value as T;
}

/** Reads a positional id argument: `client show abc` → `id: must be a positive whole number …`. */
export function idArgument(text: string, name = "id"): number {
  return valueOf<number>(readId(text), name, name);
}

/** Reads an optional flag value as `kind`. */
export function optionalFlag<T extends string | number | boolean>(
  text: string | undefined,
  kind: ValueKind,
  where: { flag: string; field: string },
): T | undefined {
  return text === undefined ? undefined : valueOf<T>(readValue(kind, text), where.flag, where.field);
}
