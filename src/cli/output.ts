/**
 * The one output helper: JSON to stdout with `--json`, a table on a terminal
 * (cli-table3, loaded lazily, colours off under NO_COLOR), tab-separated lines
 * without decoration when piped.
 * @module
 */
import type { Io } from "./io.ts";
import { AppError } from "../domain/errors.ts";

/** One column of a table or tab-separated output. */
export interface Column<T> {
  /** Header shown on a terminal. */
  header: string;
  /** The cell's text. */
  value: (row: T) => string | number | boolean | null | undefined;
}

/** How the current command prints. */
export interface OutputMode {
  json: boolean;
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

function tsvCell(value: string | number | boolean | null | undefined): string {
  return cell(value).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\r?\n/g, "\\n");
}

function colorsOff(io: Io): boolean {
  return !io.stdoutIsTerminal || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "");
}

async function renderTable(io: Io, head: string[] | null, rows: string[][]): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const style = colorsOff(io) ? { head: [], border: [] } : { head: ["cyan"], border: [] };
  const table = new Table({ ...(head ? { head } : {}), style, wordWrap: true });
  table.push(...rows);
  return table.toString() + "\n";
}

/** Prints a JSON document on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.writeOut(JSON.stringify(value, null, 2) + "\n");
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
      io.writeOut(
        await renderTable(io, columns.map((c) => c.header), rows.map((r) => columns.map((c) => cell(c.value(r))))),
      );
    }
    if (options.footer) io.writeOut(options.footer + "\n");
    return;
  }
  for (const row of rows) io.writeOut(columns.map((c) => tsvCell(c.value(row))).join("\t") + "\n");
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
    io.writeOut(await renderTable(io, null, columns.map((c) => [c.header, cell(c.value(record))])));
    return;
  }
  for (const c of columns) io.writeOut(`${c.header}\t${tsvCell(c.value(record))}\n`);
}

/** A human message (never on stdout with `--json`, where stdout is data only). */
export function printMessage(io: Io, mode: OutputMode, text: string): void {
  if (mode.json) io.writeErr(text + "\n");
  else io.writeOut(text + "\n");
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
