/**
 * The output formats of `--format json|csv|tsv|table` and how one value looks
 * in each: JSON documents (a list streams row by row), CSV per RFC 4180 with
 * a header row, tab-separated lines without one — all three exact and the
 * same in every language — and terminal tables for people (`table.ts`,
 * loaded lazily): amounts and instants in the reader's language, fitted to
 * the terminal's width, control characters shown escaped so that columns
 * stay aligned.
 * @module
 */
import { DATE_AND_TIME, dateTimeFormat, resolveTimeZone } from "../../domain/dates.ts";
import type { Lang } from "../../domain/lang.ts";
import { ARRAY_SEPARATOR, ARRAY_START, ELEMENT_END, elementKeyPrefix, jsonString } from "../../domain/json_layout.ts";
import { formatMoney, tryParseMoney } from "../../domain/money.ts";
import { currentLanguage } from "../../i18n/mod.ts";
import type { Io } from "../app/io.ts";
import type { Grid, GridColumn, RecordRow } from "./table.ts";

/** Every output format, in the order help lists them. */
export const FORMATS = ["json", "csv", "tsv", "table"] as const;

/** An output format. */
export type Format = typeof FORMATS[number];

/** The value of one cell, before formatting. */
export type Cell = string | number | boolean | null | undefined;

/**
 * A number's text as `String` gives it, for a finite number. Not through
 * `String()` or a template: V8 keeps those results in its number-to-string
 * cache, which lives in the old generation, so that every id of a streamed
 * million-row list would survive young collections and pile up (~90 MB);
 * `JSON.stringify` writes the same digits without the cache.
 */
function numberText(value: number): string {
  return Number.isFinite(value) ? JSON.stringify(value) : String(value);
}

/** A cell's plain text: empty for null and undefined. */
export function cellText(value: Cell): string {
  if (typeof value === "number") return numberText(value);
  return value === null || value === undefined ? "" : String(value);
}

/** Tabs, line breaks and other control characters as visible escapes (`\t`, `\n`, `\u0007`). */
export function escapeControls(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === "\t") return "\\t";
    if (ch === "\n") return "\\n";
    if (ch === "\r") return "\\r";
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** A line break, tab or backslash: what a tab-separated field escapes. */
const TSV_SPECIAL = /[\\\t\n]/;

/** One tab-separated field: backslashes, tabs and line breaks escaped. */
export function tsvCell(value: Cell): string {
  const text = cellText(value);
  if (!TSV_SPECIAL.test(text)) return text;
  return text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\r?\n/g, "\\n");
}

/** One tab-separated line. */
export function tsvLine(cells: readonly Cell[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? "" : "\t") + tsvCell(cells[i]);
  return line + "\n";
}

/** A comma, a double quote or a line break: what makes a CSV field quoted. */
const CSV_SPECIAL = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvCell(value: Cell): string {
  const text = cellText(value);
  return CSV_SPECIAL.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, ended by CRLF (RFC 4180). */
export function csvLine(cells: readonly Cell[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? "" : ",") + csvCell(cells[i]);
  return line + "\r\n";
}

/** JSON as printed: indented by two spaces, with a final new line. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** `{\n    "key": ` and `,\n    "key": ` by key: records repeat the same few keys (bounded, for odd data). */
const keyPrefixes = [new Map<string, string>(), new Map<string, string>()];

function keyPrefix(key: string, first: boolean): string {
  const cache = keyPrefixes[first ? 0 : 1];
  let prefix = cache.get(key);
  if (prefix === undefined) {
    prefix = elementKeyPrefix(key, first);
    if (cache.size < 256) cache.set(key, prefix);
  }
  return prefix;
}

/** Whether `value` is an object that `JSON.stringify` prints as its own keys (no `toJSON`, not an array). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/**
 * One element of a JSON array as {@link jsonText} of the whole array prints
 * it: `JSON.stringify(value, null, 2)` indented by two more spaces. A flat
 * record (the common case) is written key by key, each value through
 * `JSON.stringify` without indentation, which yields the same bytes faster;
 * the key `omit` is left out (the records' `display` names).
 */
export function jsonElement(value: unknown, omit?: string): string {
  if (!isPlainRecord(value)) {
    if (omit !== undefined && typeof value === "object" && value !== null && omit in value) {
      // As the record's public shape would be: its own keys but `omit`.
      const { [omit]: _omitted, ...shape } = value as Record<string, unknown>;
      return jsonElement(shape);
    }
    const text = JSON.stringify(value, null, 2);
    return text === undefined ? "null" : text.replace(/\n/g, "\n  ");
  }
  let out = "";
  for (const key of Object.keys(value)) {
    if (key === omit) continue;
    const v = value[key];
    let text: string | undefined;
    switch (typeof v) {
      case "string":
        text = jsonString(v);
        break;
      case "number":
        // JSON.stringify: the digits of `${v}` (null when not finite) without V8's number-string cache.
        text = JSON.stringify(v);
        break;
      case "boolean":
        text = v ? "true" : "false";
        break;
      case "object":
        text = v === null ? "null" : JSON.stringify(v, null, 2)?.replace(/\n/g, "\n    ");
        break;
      case "bigint":
        // Throws as JSON.stringify of the whole value would.
        text = JSON.stringify(v);
        break;
      default:
        // undefined, functions and symbols: left out, as JSON.stringify does.
        continue;
    }
    if (text === undefined) continue;
    out += keyPrefix(key, out === "") + text;
  }
  return out === "" ? "{}" : out + ELEMENT_END;
}

/**
 * Writes a JSON array one element at a time, producing exactly the text of
 * {@link jsonText} of the whole array; nothing is written before the first
 * element (or the end), so an error before it leaves stdout empty.
 */
export class JsonArrayWriter {
  readonly #write: (text: string) => void;
  readonly #omit?: string;
  #count = 0;

  /** A writer to `write`; `omit` names a key left out of every element that is a plain object. */
  constructor(write: (text: string) => void, options: { omit?: string } = {}) {
    this.#write = write;
    this.#omit = options.omit;
  }

  /** Adds one element. */
  push(value: unknown): void {
    this.#write((this.#count === 0 ? ARRAY_START : ARRAY_SEPARATOR) + jsonElement(value, this.#omit));
    this.#count++;
  }

  /**
   * Adds one element given as the UTF-8 bytes of its text, exactly as
   * {@link jsonElement} writes it (built by the database), through
   * `writeBytes`.
   */
  pushBytes(element: Uint8Array, writeBytes: (bytes: Uint8Array) => void): void {
    this.#write(this.#count === 0 ? ARRAY_START : ARRAY_SEPARATOR);
    writeBytes(element);
    this.#count++;
  }

  /** Closes the array. */
  end(): void {
    this.#write(this.#count === 0 ? "[]\n" : "\n]\n");
  }
}

/** Whether colours are off: not a terminal, or `NO_COLOR` set and not empty (no-color.org). */
export function colorsOff(io: Io): boolean {
  return !io.stdoutIsTerminal || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "");
}

/**
 * The display columns a table must fit in: `COLUMNS` when set to a positive
 * whole number, else the terminal's width when stdout is one, else none (a
 * table piped with `--format table` is as wide as its content). `wide`
 * (`--wide`): none.
 */
export function tableWidth(io: Io, wide = false): number | undefined {
  if (wide) return undefined;
  const columns = io.env.COLUMNS?.trim();
  if (columns !== undefined && /^\d{1,5}$/.test(columns) && Number(columns) > 0) return Number(columns);
  // A terminal that says 0 columns (a pty never sized) gives no width.
  return (io.stdoutIsTerminal ? io.terminalColumns?.() : undefined) || undefined;
}

/** A list's table (see `table.ts`), its cells escaped with {@link escapeControls}. */
export async function renderList(
  io: Io,
  columns: readonly GridColumn[],
  rows: readonly Cell[][],
  width: number | undefined,
): Promise<Grid> {
  const { renderGrid } = await import("./table.ts");
  const cells = rows.map((row) => row.map((cell) => escapeControls(cellText(cell))));
  return renderGrid(columns, cells, { width, color: !colorsOff(io) });
}

/** A record's key/value table (see `table.ts`), its values escaped with {@link escapeControls}. */
export async function renderRecordRows(
  rows: readonly (Omit<RecordRow, "value"> & { value: Cell })[],
  width: number | undefined,
): Promise<string> {
  const { renderRecord } = await import("./table.ts");
  return renderRecord(rows.map((r) => ({ ...r, value: escapeControls(cellText(r.value)) })), { width });
}

/**
 * A table as wide as its content: with `head`, a header row and its rule,
 * then the rows (text left-aligned); without `head`, key/value rows.
 */
export async function renderTable(io: Io, head: readonly string[] | null, rows: readonly Cell[][]): Promise<string> {
  if (head === null) {
    return await renderRecordRows(rows.map(([label, value]) => ({ label: cellText(label), value })), undefined);
  }
  return (await renderList(io, head.map((h) => ({ head: h })), rows, undefined)).text;
}

const zoneNames = new Map<string, Intl.DateTimeFormat[]>();

/** The short name of `timeZone` at `date`: `CEST`, `EDT`, `UTC`, or an offset such as `GMT+9`. */
export function zoneName(date: Date, timeZone: string): string {
  let formats = zoneNames.get(timeZone);
  if (formats === undefined) {
    // en-US knows the American abbreviations, en-GB the European ones.
    formats = ["en-US", "en-GB"].map((locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" }));
    zoneNames.set(timeZone, formats);
  }
  let name = "";
  for (const format of formats) {
    name = format.formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? "";
    if (!/^GMT[+-]/.test(name)) return name;
  }
  return name;
}

/** `locale`'s formatter in `zone`: the date, hours and minutes (24 h) and the zone's short name. */
function timeFormat(locale: "en-US" | "fr-FR", zone: string): Intl.DateTimeFormat {
  return dateTimeFormat(locale, { ...DATE_AND_TIME, timeZone: zone, timeZoneName: "short" });
}

/**
 * An instant as local time with its zone, in the style of `lang`: English
 * `2027-06-04 18:00 CEST` (year first: unambiguous for every English
 * reader), French `04/06/2027 18:00 UTC+2` (as `Intl` writes `fr-FR`).
 *
 * @param timeZone IANA zone (the `TZ` variable); default: the process's zone
 * @param lang default: the language in use
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export function localTime(iso: string, timeZone: string | undefined, lang: Lang = currentLanguage()): string {
  const zone = resolveTimeZone(timeZone);
  // fr-FR: `04/06/2027 18:00 UTC+2`.
  return lang === "fr" ? timeFormat("fr-FR", zone).format(new Date(iso)) : englishTime(iso, zone);
}

/** `2027-06-04 18:00 CEST`: the wall clock and the zone's name in one `formatToParts`. */
function englishTime(iso: string, zone: string): string {
  const date = new Date(iso);
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of timeFormat("en-US", zone).formatToParts(date)) parts[part.type] = part.value;
  let name = parts.timeZoneName ?? "";
  // en-US names the American zones; en-GB the European ones (`BST`), else an offset.
  if (/^GMT[+-]/.test(name)) name = zoneName(date, zone);
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return `${parts.year?.padStart(4, "0")}-${parts.month}-${parts.day} ${hour}:${parts.minute} ${name}`;
}

const moneyFormats = new Map<Lang, Intl.NumberFormat>();

/**
 * An exact amount in euros as `lang` writes it: `"12500.50"` → `€12,500.50`,
 * `12 500,50 €` (`Intl`, given the decimal text: no binary floating point).
 * Text that is not an amount is returned as it is.
 */
export function humanMoney(amount: string, lang: Lang = currentLanguage()): string {
  const parsed = tryParseMoney(amount);
  if (!parsed.ok) return amount;
  let format = moneyFormats.get(lang);
  if (format === undefined) {
    format = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en", { style: "currency", currency: "EUR" });
    moneyFormats.set(lang, format);
  }
  // A decimal string is formatted exactly (ECMA-402 "Intl.NumberFormat v3").
  return format.format(formatMoney(parsed.cents) as unknown as number);
}
