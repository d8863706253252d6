/**
 * Money as integer cents. Amounts are parsed from their decimal text digit by
 * digit and formatted with integer arithmetic: no binary floating point is
 * ever involved (PRODUCT.md §1), so `"0.10"` + `"0.20"` is exactly 30 cents.
 * @module
 */
import { InvalidInputError } from "./errors.ts";
import { type Message, msg } from "./messages.ts";

/** The largest accepted amount, in cents: 999 999 999 999.99. */
export const MAX_MONEY_CENTS = 99_999_999_999_999;

/** Outcome of {@link tryParseMoney}: the cents, or why the text is refused. */
export type MoneyParseResult =
  | { ok: true; cents: number }
  | { ok: false; reason: Message };

const MONEY_PATTERN = /^(\d+)(?:\.(\d+))?$/;
/** Why a text that is not shaped like an amount is refused. */
export const SHAPE_REASON: Message = msg("errors.money.shape");

/**
 * Parses an amount without throwing. The text is trimmed, then must be
 * digits with an optional `.` and one or two decimals. Negative amounts,
 * exponents, `NaN`, `Infinity`, thousands separators and amounts above
 * 999 999 999 999.99 are refused with a human reason (no field name).
 */
export function tryParseMoney(text: string): MoneyParseResult {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, reason: msg("errors.reason.empty") };
  if (/^-/.test(trimmed)) return { ok: false, reason: msg("errors.money.negative") };
  const match = MONEY_PATTERN.exec(trimmed);
  if (match === null) return { ok: false, reason: SHAPE_REASON };
  const [, whole, decimals = ""] = match;
  if (decimals.length > 2) return { ok: false, reason: msg("errors.money.decimals") };
  if (decimals.length === 0 && trimmed.endsWith(".")) return { ok: false, reason: SHAPE_REASON };
  // Integer digits only from here: cents = whole digits followed by two decimal digits.
  const digits = (whole + decimals.padEnd(2, "0")).replace(/^0+(?=\d)/, "");
  if (digits.length > String(MAX_MONEY_CENTS).length || Number.parseInt(digits, 10) > MAX_MONEY_CENTS) {
    return { ok: false, reason: msg("errors.money.too_large") };
  }
  return { ok: true, cents: Number.parseInt(digits, 10) };
}

/**
 * Parses an amount such as `"1500"`, `"1500.5"` or `" 1500.50 "` into integer
 * cents (150000, 150050, 150050).
 *
 * @param text the amount as typed
 * @param field the JSON name of the field, used in the error message
 * @throws {InvalidInputError} e.g. `total_amount: at most 2 decimals allowed`
 */
export function parseMoney(text: string, field: string): number {
  const result = tryParseMoney(text);
  if (!result.ok) throw new InvalidInputError(msg("errors.input.field", { field, reason: result.reason }), field);
  return result.cents;
}

function splitCents(cents: number | bigint): { sign: string; whole: string; fraction: string } {
  if (typeof cents === "number" && !Number.isSafeInteger(cents)) {
    // i18n-ignore: a bug of the program (a RangeError), for the logs
    throw new RangeError(`money must be a safe integer number of cents, got ${cents}`);
  }
  const value = BigInt(cents);
  const magnitude = value < 0n ? -value : value;
  return {
    sign: value < 0n ? "-" : "",
    whole: (magnitude / 100n).toString(),
    fraction: (magnitude % 100n).toString().padStart(2, "0"),
  };
}

/**
 * Formats cents as the exact decimal string used in JSON: 150000 → `"1500.00"`,
 * 5 → `"0.05"`.
 *
 * @throws {RangeError} when given a number that is not a safe integer
 */
export function formatMoney(cents: number | bigint): string {
  const { sign, whole, fraction } = splitCents(cents);
  return `${sign}${whole}.${fraction}`;
}

/**
 * Formats cents for tables, with thousands separators: 150000 → `"1,500.00"`.
 *
 * @throws {RangeError} when given a number that is not a safe integer
 */
export function formatMoneyHuman(cents: number | bigint): string {
  const { sign, whole, fraction } = splitCents(cents);
  return `${sign}${whole.replace(/\B(?=(\d{3})+$)/g, ",")}.${fraction}`;
}
