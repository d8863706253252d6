/**
 * Printing records and lists in every format. A {@link Column} says how one
 * value looks: exact in JSON, CSV and TSV (`1500.50`, ISO 8601 instants,
 * `true`), readable in tables (`1,500.50`, `2027-06-04 18:00 CEST`, `yes`).
 * `--json` prints the public shape: the record without its `display` names.
 * @module
 */
import type { Clock } from "./command.ts";
import {
  type Cell,
  csvLine,
  type Format,
  humanMoney,
  JsonArrayWriter,
  jsonText,
  localTime,
  renderTable,
  tsvLine,
} from "./format.ts";
import type { Io } from "./io.ts";

/** How a value prints. */
export type Show = "text" | "number" | "money" | "date" | "bool";

/** One column of tables, CSV and TSV (and one row of a record's detail). */
export interface Column<R> {
  /** Header in tables and CSV, label of a record's row. */
  title: string;
  /** How the value prints. */
  show: Show;
  /** The exact value. */
  value(record: R): Cell;
  /** A table's text for it instead of the value's (e.g. audit changes spelled out). */
  human?(record: R): Cell;
  /** A table's text when the value is empty, e.g. `(unassigned)`. */
  blank?: string;
}

/** What printing needs: where to write, and the zone of local times. */
export interface PrintDeps {
  io: Io;
  clock: Pick<Clock, "timeZone">;
}

/** A record's public JSON shape: everything but the `display` names. */
export function publicJson(record: unknown): unknown {
  if (record === null || typeof record !== "object" || !("display" in record)) return record;
  const { display: _display, ...shape } = record as Record<string, unknown>;
  return shape;
}

/** A value as tables show it. */
export function tableCell<R>(column: Column<R>, record: R, timeZone: string | undefined): Cell {
  const value = column.human ? column.human(record) : column.value(record);
  if (value === null || value === undefined || value === "") return column.blank ?? "";
  switch (column.show) {
    case "money":
      return humanMoney(String(value));
    case "date":
      return localTime(String(value), timeZone);
    case "bool":
      return value ? "yes" : "no";
    default:
      return value;
  }
}

/** A value as CSV and TSV show it: exact. */
export function plainCell<R>(column: Column<R>, record: R): Cell {
  return column.value(record);
}

/** Prints one record: a JSON object, a key/value table, `TITLE<TAB>value` lines, or a CSV header and row. */
export async function printRecord<R>(
  deps: PrintDeps,
  columns: readonly Column<R>[],
  format: Format,
  record: R,
): Promise<void> {
  const { io } = deps;
  switch (format) {
    case "json":
      io.writeOut(jsonText(publicJson(record)));
      return;
    case "table":
      io.writeOut(
        await renderTable(io, null, columns.map((c) => [c.title, tableCell(c, record, deps.clock.timeZone)])),
      );
      return;
    case "csv":
      io.writeOut(csvLine(columns.map((c) => c.title)) + csvLine(columns.map((c) => plainCell(c, record))));
      return;
    case "tsv":
      for (const c of columns) io.writeOut(tsvLine([c.title, plainCell(c, record)]));
      return;
  }
}

/** Characters of output gathered before they are written: one write per chunk, not per row. */
export const CHUNK_CHARS = 64 * 1024;

/**
 * Prints rows as they come: a JSON array, CSV with a header row, or TSV
 * without one. Rows are encoded into a buffer written in chunks of about
 * {@link CHUNK_CHARS} characters, so the rows are never all held; nothing is
 * written before the first chunk is full or the rows end, so an error first
 * leaves stdout empty. When a write fails (stdout closed by `| head`: an
 * `OutputClosedError`), the loop ends at once and the rows' iterator is
 * closed (its `return()`), which stops the query behind it. Tables need
 * every row first: see {@link printTable}.
 */
export async function streamRows<R>(
  io: Io,
  columns: readonly Column<R>[],
  format: Exclude<Format, "table">,
  rows: AsyncIterable<R>,
): Promise<void> {
  let chunk = "";
  const add = (text: string) => {
    chunk += text;
    if (chunk.length >= CHUNK_CHARS) {
      const full = chunk;
      chunk = "";
      io.writeOut(full);
    }
  };
  if (format === "json") {
    const json = new JsonArrayWriter(add, { omit: "display" });
    for await (const row of rows) json.push(row);
    json.end();
  } else {
    const line = format === "csv" ? csvLine : tsvLine;
    const cells: Cell[] = new Array(columns.length);
    if (format === "csv") add(csvLine(columns.map((c) => c.title)));
    for await (const row of rows) {
      for (let i = 0; i < columns.length; i++) cells[i] = columns[i].value(row);
      add(line(cells));
    }
  }
  if (chunk !== "") io.writeOut(chunk);
}

/** Prints rows as a table (or `No results.`), then the footer if any. */
export async function printTable<R>(
  deps: PrintDeps,
  columns: readonly Column<R>[],
  rows: readonly R[],
  footer?: string,
): Promise<void> {
  const { io } = deps;
  if (rows.length === 0) {
    io.writeOut("No results.\n");
  } else {
    const cells = rows.map((row) => columns.map((c) => tableCell(c, row, deps.clock.timeZone)));
    io.writeOut(await renderTable(io, columns.map((c) => c.title), cells));
  }
  if (footer) io.writeOut(footer + "\n");
}
