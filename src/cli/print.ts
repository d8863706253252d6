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

/**
 * Prints rows as they come: a JSON array, CSV with a header row, or TSV
 * without one (nothing is written before the first row, so an error first
 * leaves stdout empty). Tables need every row first: see {@link printTable}.
 */
export async function streamRows<R>(
  io: Io,
  columns: readonly Column<R>[],
  format: Exclude<Format, "table">,
  rows: AsyncIterable<R>,
): Promise<void> {
  const json = format === "json" ? new JsonArrayWriter((text) => io.writeOut(text)) : undefined;
  let first = true;
  for await (const row of rows) {
    if (json) json.push(publicJson(row));
    else if (format === "csv") {
      if (first) io.writeOut(csvLine(columns.map((c) => c.title)));
      io.writeOut(csvLine(columns.map((c) => plainCell(c, row))));
    } else io.writeOut(tsvLine(columns.map((c) => plainCell(c, row))));
    first = false;
  }
  if (json) json.end();
  else if (format === "csv" && first) io.writeOut(csvLine(columns.map((c) => c.title)));
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
