/**
 * Output of the commands not yet on the port (`init`, `login`, `logout`,
 * `whoami`, `migrate`): JSON to stdout with `--json`, a table on a terminal,
 * tab-separated lines without decoration when piped; human messages and
 * errors on stderr. The CRM commands print through `print.ts` and `list.ts`.
 * @module
 */
import type { Io } from "./io.ts";
import { AppError } from "../domain/errors.ts";
import { type Cell, cellText, jsonText, renderTable, tsvLine } from "./format.ts";

/** One column of a table or tab-separated output. */
export interface Column<T> {
  /** Header shown on a terminal. */
  header: string;
  /** The cell's text. */
  value: (row: T) => Cell;
}

/** How the current command prints. */
export interface OutputMode {
  json: boolean;
}

/** Prints a JSON document on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.writeOut(jsonText(value));
}

/** Prints a list: JSON array, terminal table, or tab-separated lines. */
export async function printList<T>(
  io: Io,
  mode: OutputMode,
  rows: readonly T[],
  columns: readonly Column<T>[],
  options: { json?: (row: T) => unknown; footer?: string } = {},
): Promise<void> {
  if (mode.json) {
    printJson(io, rows.map((row) => options.json ? options.json(row) : row));
    return;
  }
  if (io.stdoutIsTerminal) {
    if (rows.length === 0) {
      io.writeOut("No results.\n");
    } else {
      io.writeOut(await renderTable(io, columns.map((c) => c.header), rows.map((r) => columns.map((c) => c.value(r)))));
    }
    if (options.footer) io.writeOut(options.footer + "\n");
    return;
  }
  for (const row of rows) io.writeOut(tsvLine(columns.map((c) => c.value(row))));
}

/** Prints one record: JSON object, terminal key/value table, or `field<TAB>value` lines. */
export async function printRecord<T>(
  io: Io,
  mode: OutputMode,
  record: T,
  columns: readonly Column<T>[],
  options: { json?: (row: T) => unknown } = {},
): Promise<void> {
  if (mode.json) {
    printJson(io, options.json ? options.json(record) : record);
    return;
  }
  if (io.stdoutIsTerminal) {
    io.writeOut(await renderTable(io, null, columns.map((c) => [c.header, cellText(c.value(record))])));
    return;
  }
  for (const c of columns) io.writeOut(tsvLine([c.header, c.value(record)]));
}

/** A human message: on stderr, since stdout carries only data (PRODUCT.md §3). */
export function printMessage(io: Io, _mode: OutputMode, text: string): void {
  io.writeErr(text + "\n");
}

/** Prints an error as one line on stderr (JSON shape with `--json`). */
export function printError(io: Io, mode: OutputMode, error: AppError): void {
  if (mode.json) {
    const body: Record<string, string> = { code: error.code, message: error.message };
    if (error.field) body.field = error.field;
    io.writeErr(JSON.stringify({ error: body }) + "\n");
  } else {
    io.writeErr(`error: ${error.message.replace(/\r?\n/g, " ")}\n`);
  }
}
