/**
 * Reading the values typed on the command line (flags, arguments, answers to
 * prompts): ids, whole numbers, amounts, yes/no, roles and dates. A refusal
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
import { ROLES } from "../../domain/roles.ts";
import { t } from "../../i18n/mod.ts";

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

/** Reads an amount; the exact text (trimmed) is kept, as the port takes it. */
export function readMoney(text: string): Reading {
  const parsed = tryParseMoney(text);
  if (parsed.ok) return { ok: true, value: text.trim() };
  const keep = parsed.reason === "must not be negative" || parsed.reason.startsWith("must be at most");
  return { ok: false, reason: keep ? parsed.reason : t(AMOUNT) };
}

/** Reads yes/no: `true`, `false`, `yes`, `no`, any case. */
export function readBool(text: string): Reading {
  const value = BOOLEAN_WORDS[text.trim().toLowerCase()];
  return value === undefined
    ? { ok: false, reason: t("cli.value.one_of", { values: Object.keys(BOOLEAN_WORDS).join(", ") }) }
    : { ok: true, value };
}

/** Reads a role in any case: `sales` → `SALES`. */
export function readRole(text: string): Reading {
  const value = text.trim().toUpperCase();
  return (ROLES as readonly string[]).includes(value)
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

/**
 * Reads a date: ISO 8601 with `Z` or an offset, or a local time
 * (`2027-06-04 18:00`, `2027-06-04`) in `timeZone`; the result is the ISO
 * 8601 instant in UTC.
 *
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export function readDate(text: string, timeZone: string | undefined): Reading {
  const parsed = tryParseDate(text, { timeZone });
  return parsed.ok ? { ok: true, value: parsed.date.toISOString() } : { ok: false, reason: parsed.reason };
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
