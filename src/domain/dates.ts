/**
 * Dates: instants are kept as `Date` (UTC) and printed as ISO 8601 with `Z`.
 * Input is ISO 8601 with `Z` or an offset, or a wall-clock time without zone
 * (`2026-06-01 18:00`, `2026-06-01T18:00`, `2026-06-01`) read in a local time
 * zone — an IANA name given by the caller (the `TZ` variable) or the process's
 * default zone. Zone offsets come from `Intl.DateTimeFormat`, so daylight
 * saving time is handled by the platform's time zone database.
 * @module
 */
import { InvalidInputError } from "./errors.ts";
import { english, type Message, msg } from "./messages.ts";

/** Options of {@link parseDate}. */
export interface ParseDateOptions {
  /** IANA time zone of zone-less input (e.g. the `TZ` variable); default: the process's zone. */
  timeZone?: string;
}

/** Outcome of {@link tryParseDate}: the instant, or why the text is refused. */
export type DateParseResult =
  | { ok: true; date: Date }
  | { ok: false; reason: Message };

const FORMAT_REASON = msg("errors.date.shape");

// YYYY-MM-DD, then optionally [T ]HH:MM[:SS[.fff]], then optionally Z or ±HH[:MM].
const DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** The date, hours and minutes on 24 hours, each on two digits (the year on four): a formatter's usual parts. */
export const DATE_AND_TIME: Readonly<Intl.DateTimeFormatOptions> = {
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
};

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * An `Intl.DateTimeFormat` of `locale` with `options`, built once: building
 * one loads the zone's and the locale's ICU data (tens of µs), formatting with
 * it is cheap.
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  return dateTimeFormat("en-US", { ...DATE_AND_TIME, timeZone, second: "2-digit" });
}

let processZone: string | undefined;

/** The process's default time zone (which honours `TZ` at start-up; read once: a formatter costs ~20 µs). */
function defaultTimeZone(): string {
  return processZone ??= new Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

/**
 * Resolves a time zone name to its canonical IANA name. `undefined` or an empty
 * string gives the process's default zone. A leading `:` (glibc `TZ` syntax) and
 * a `/usr/share/zoneinfo/` prefix are accepted.
 *
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export function resolveTimeZone(timeZone?: string): string {
  let name = (timeZone ?? "").trim().replace(/^:/, "");
  name = name.replace(/^.*\/zoneinfo\//, "");
  if (name === "") return defaultTimeZone();
  try {
    return formatterFor(name).resolvedOptions().timeZone;
  } catch {
    throw new InvalidInputError(msg("errors.date.unknown_zone", { field: "TZ", zone: timeZone }), "TZ");
  }
}

/** Wall-clock time in `timeZone` at the instant `ms` (milliseconds dropped). */
function wallClockAt(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number.parseInt(part.value, 10);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour === 24 ? 0 : parts.hour,
    minute: parts.minute,
    second: parts.second,
    millisecond: 0,
  };
}

/** Milliseconds since the epoch of a wall clock read as UTC (any year ≥ 0). */
function utcMs(w: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(w.year, w.month - 1, w.day);
  date.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return date.getTime();
}

/** Offset of `timeZone` from UTC at the instant `ms`, in milliseconds (Paris summer: +7 200 000). */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return utcMs(wallClockAt(whole, timeZone)) - whole;
}

function sameWallClock(a: WallClock, b: WallClock): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour &&
    a.minute === b.minute && a.second === b.second;
}

/**
 * The instant at which the wall clock in `timeZone` shows `w`. In the hour
 * repeated when clocks go back, the earlier instant is chosen; a time skipped
 * when clocks go forward does not exist and gives `undefined`.
 */
function zonedToInstant(w: WallClock, timeZone: string): number | undefined {
  const local = utcMs(w);
  // The offsets in force a day before and a day after cover any single transition.
  const offsets = new Set([
    offsetAt(local - DAY_MS, timeZone),
    offsetAt(local, timeZone),
    offsetAt(local + DAY_MS, timeZone),
  ]);
  const candidates = [...offsets]
    .map((offset) => local - offset)
    .filter((instant) => sameWallClock(wallClockAt(instant, timeZone), w))
    .sort((a, b) => a - b);
  return candidates[0];
}

function daysInMonth(year: number, month: number): number {
  return [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][
    month - 1
  ];
}

function pad(value: number, length = 2): string {
  return String(value).padStart(length, "0");
}

/**
 * Parses a date without throwing; see {@link parseDate} for the accepted forms.
 * The reason of a refusal names no field.
 *
 * @throws {InvalidInputError} (field `TZ`) when `options.timeZone` is unknown
 */
export function tryParseDate(text: string, options?: ParseDateOptions): DateParseResult {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, reason: msg("errors.reason.empty") };
  const match = DATE_PATTERN.exec(trimmed);
  if (match === null) return { ok: false, reason: FORMAT_REASON };
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = match;
  const w: WallClock = {
    year: Number.parseInt(y, 10),
    month: Number.parseInt(mo, 10),
    day: Number.parseInt(d, 10),
    hour: Number.parseInt(h, 10),
    minute: Number.parseInt(mi, 10),
    second: Number.parseInt(s, 10),
    millisecond: Number.parseInt(fraction.padEnd(3, "0").slice(0, 3), 10),
  };
  if (w.year < 1000) return { ok: false, reason: msg("errors.date.year") };
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > daysInMonth(w.year, w.month)) {
    return { ok: false, reason: msg("errors.date.invalid_date", { date: `${y}-${mo}-${d}` }) };
  }
  if (w.hour > 23 || w.minute > 59 || w.second > 59) {
    return {
      ok: false,
      reason: msg("errors.date.invalid_time", { time: `${h}:${mi}${match[6] === undefined ? "" : `:${s}`}` }),
    };
  }
  if (zone !== undefined) {
    let offsetMinutes = 0;
    if (zone !== "Z" && zone !== "z") {
      const digits = zone.slice(1).replace(":", "");
      const hours = Number.parseInt(digits.slice(0, 2), 10);
      const minutes = digits.length > 2 ? Number.parseInt(digits.slice(2), 10) : 0;
      if (hours > 18 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
        return { ok: false, reason: msg("errors.date.invalid_offset", { offset: zone }) };
      }
      offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
    }
    return { ok: true, date: new Date(utcMs(w) - offsetMinutes * MINUTE_MS) };
  }
  const timeZone = resolveTimeZone(options?.timeZone);
  const instant = zonedToInstant(w, timeZone);
  if (instant === undefined) {
    return {
      ok: false,
      reason: msg("errors.date.skipped", { time: `${y}-${mo}-${d} ${pad(w.hour)}:${pad(w.minute)}`, zone: timeZone }),
    };
  }
  return { ok: true, date: new Date(instant) };
}

/**
 * Parses a date typed by a user into an instant.
 *
 * Accepted: ISO 8601 with `Z` or an offset (`2026-06-01T18:00:00Z`,
 * `2026-06-01T18:00+02:00`, with or without seconds and fractions), and
 * wall-clock forms read in the local zone: `2026-06-01 18:00`,
 * `2026-06-01T18:00[:SS]`, or `2026-06-01` alone (local midnight). Invalid
 * calendar dates and times (`2026-02-30`, `25:00`) are refused; so is a local
 * time skipped by a daylight-saving change. In the hour repeated when clocks go
 * back, the earlier instant is chosen.
 *
 * @param text the date as typed (trimmed)
 * @param field the JSON name of the field, used in the error message
 * @param options `timeZone`: IANA zone of zone-less input; default: the process's zone
 * @throws {InvalidInputError} e.g. `start_date: 2026-02-30 is not a valid date`
 */
export function parseDate(text: string, field: string, options?: ParseDateOptions): Date {
  const result = tryParseDate(text, options);
  if (!result.ok) throw new InvalidInputError(msg("errors.input.field", { field, reason: result.reason }), field);
  return result.date;
}

function toValidDate(value: Date | string): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("invalid Date"); // i18n-ignore: a bug of the program, for the logs
    return value;
  }
  // Stored timestamps are UTC: a zone-less string is read as UTC.
  const result = tryParseDate(value, { timeZone: "UTC" });
  // i18n-ignore: a stored value the program cannot read: a bug, for the logs
  if (!result.ok) throw new RangeError(`invalid timestamp "${value}": ${english(result.reason)}`);
  return result.date;
}

/**
 * Formats an instant as ISO 8601 in UTC with `Z`, as printed in JSON
 * (`2026-06-01T18:00:00.000Z`). A string is read as a stored timestamp:
 * ISO 8601, UTC when it has no zone.
 *
 * @throws {RangeError} for an invalid `Date` or unreadable string
 */
export function formatDate(value: Date | string): string {
  return toValidDate(value).toISOString();
}

/**
 * Formats an instant for tables as `YYYY-MM-DD HH:MM` in a time zone
 * (`2026-06-01T18:00:00Z` → `2026-06-01 20:00` in Europe/Paris).
 *
 * @param value the instant (a `Date` or a stored ISO 8601 string, UTC when zone-less)
 * @param timeZone IANA zone; default: the process's zone
 * @throws {RangeError} for an invalid `Date` or unreadable string
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export function formatDateHuman(value: Date | string, timeZone?: string): string {
  const w = wallClockAt(toValidDate(value).getTime(), resolveTimeZone(timeZone));
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The month (`YYYY-MM`) in which an instant falls on the wall clock of a
 * time zone (`2026-05-31T22:30:00Z` is `2026-06` in Europe/Paris).
 *
 * @param value the instant (a `Date` or a stored ISO 8601 string, UTC when zone-less)
 * @param timeZone IANA zone; default: the process's zone
 * @throws {RangeError} for an invalid `Date` or unreadable string
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export function monthOf(value: Date | string, timeZone?: string): string {
  const w = wallClockAt(toValidDate(value).getTime(), resolveTimeZone(timeZone));
  return `${pad(w.year, 4)}-${pad(w.month)}`;
}

/**
 * The first instant of a month (`YYYY-MM`) on the wall clock of a time
 * zone: midnight on the 1st, or, where clocks skip that midnight, the
 * instant they jump (`2026-06` in Europe/Paris is `2026-05-31T22:00:00Z`).
 *
 * @param month `YYYY-MM` (month 01 to 12)
 * @param timeZone IANA zone; default: the process's zone
 * @throws {RangeError} when `month` is not `YYYY-MM`
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export function startOfMonth(month: string, timeZone?: string): Date {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (match === null) throw new RangeError(`not a month: "${month}"`);
  const zone = resolveTimeZone(timeZone);
  const w: WallClock = {
    year: Number.parseInt(match[1], 10),
    month: Number.parseInt(match[2], 10),
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
  };
  const local = utcMs(w);
  // Skipped midnight: the wall clock before the jump, read with the offset before it.
  return new Date(zonedToInstant(w, zone) ?? local - offsetAt(local - DAY_MS, zone));
}
