/**
 * Printing records and lists in every format. A {@link Column} says how one
 * value looks: exact in JSON, CSV and TSV (`1500.50`, ISO 8601 instants,
 * `true`, `SALES`) whatever the language, readable in tables and in the
 * reader's language (`€1,500.00` / `1 500,00 €`, `2027-06-04 18:00 CEST` /
 * `04/06/2027 18:00 UTC+2`, `yes` / `oui`, `Sales` / `Commercial`), tables
 * fitted to the terminal unless `--wide`. `--json` prints the public shape:
 * the record without its `display` names.
 * @module
 */
import type { Show } from "../../contract/meta.ts";
import { isRole } from "../../domain/roles.ts";
import { t } from "../../i18n/mod.ts";
import type { Clock } from "../verbs/verb.ts";
import {
  type Cell,
  csvLine,
  type Format,
  humanMoney,
  JsonArrayWriter,
  jsonText,
  localTime,
  renderList,
  renderRecordRows,
  tableWidth,
  tsvLine,
} from "./formats.ts";
import type { Io } from "../app/io.ts";
import { batchesOf } from "../../domain/batches.ts";

export type { Show } from "../../contract/meta.ts";

/** One column of tables, CSV and TSV (and one row of a record's detail). */
export interface Column<R> {
  /** Header in CSV and TSV (never translated: scripts read it), and in tables unless {@link heading} is given. */
  title: string;
  /** Message key of the header tables show (in the language in use), and of a record's row label. */
  heading?: string;
  /** How the value prints. */
  show: Show;
  /** The exact value. */
  value(record: R): Cell;
  /** A table's text for it instead of the value's (e.g. audit changes spelled out). */
  human?(record: R): Cell;
  /** Message key of a table's text when the value is empty, e.g. `(unassigned)`. */
  blank?: string;
  /** Hidden before the other columns (lowest first) when a table cannot fit the terminal otherwise. */
  hideFirst?: number;
}

/** The header a table shows for `column`: its heading in the language in use, else its title. */
export function headingOf<R>(column: Column<R>): string {
  return column.heading ? t(column.heading) : column.title;
}

/** What printing needs: where to write, the zone of local times, and whether tables may be wider than the terminal. */
export interface PrintDeps {
  io: Io;
  clock: Pick<Clock, "timeZone">;
  /** `--wide`: tables as wide as their content (nothing shortened or hidden). */
  wide?: boolean;
}

/** A record's public JSON shape: everything but the `display` names. */
export function publicJson(record: unknown): unknown {
  if (record === null || typeof record !== "object" || !("display" in record)) return record;
  const { display: _display, ...shape } = record as Record<string, unknown>;
  return shape;
}

/** A role as people read it, in the language in use: `Sales`, `Commercial` (the value itself if it is none). */
export function roleName(role: string): string {
  return isRole(role) ? t(`tables.role.${role}`) : role;
}

/** A value as tables show it, in the language in use. */
export function tableCell<R>(column: Column<R>, record: R, timeZone: string | undefined): Cell {
  const value = column.human ? column.human(record) : column.value(record);
  if (value === null || value === undefined || value === "") return column.blank ? t(column.blank) : "";
  switch (column.show) {
    case "money":
      return humanMoney(String(value));
    case "date":
      return localTime(String(value), timeZone);
    case "bool":
      return t(value ? "cli.value.yes" : "cli.value.no");
    case "role":
      return roleName(String(value));
    default:
      return value;
  }
}

/** Amounts are right-aligned; text columns may be shortened with `…` (ids, numbers, amounts, dates never). */
function gridColumn<R>(column: Column<R>) {
  return {
    head: headingOf(column),
    hideFirst: column.hideFirst,
    align: column.show === "money" ? "right" as const : "left" as const,
    shrink: column.show === "text",
  };
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
    case "table": {
      const rows = columns.map((c) => ({
        label: headingOf(c),
        value: tableCell(c, record, deps.clock.timeZone),
        wrap: c.show === "text",
      }));
      io.writeOut(await renderRecordRows(rows, tableWidth(io, deps.wide)));
      return;
    }
    case "csv":
      io.writeOut(csvLine(columns.map((c) => c.title)) + csvLine(columns.map((c) => plainCell(c, record))));
      return;
    case "tsv":
      for (const c of columns) io.writeOut(tsvLine([c.title, plainCell(c, record)]));
      return;
  }
}

/** Bytes (or, for an {@link Io} without `writeOutBytes`, characters) written at a time by {@link streamRows}. */
export const CHUNK_SIZE = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Text written in chunks of at most {@link CHUNK_SIZE} bytes: each piece is
 * encoded at once into one buffer that is reused for every chunk, so that
 * neither a large string nor a new buffer per chunk is ever built (with an
 * {@link Io} that only takes text, pieces are joined into chunks of as many
 * characters instead).
 */
class ChunkedOutput {
  readonly #io: Io;
  readonly #bytes?: Uint8Array;
  #used = 0;
  #text = "";

  constructor(io: Io) {
    this.#io = io;
    if (io.writeOutBytes) this.#bytes = new Uint8Array(CHUNK_SIZE);
  }

  /** Adds `text`; writes the chunk first when `text` might not fit in it. */
  add(text: string): void {
    const bytes = this.#bytes;
    if (!bytes) {
      this.#text += text;
      if (this.#text.length >= CHUNK_SIZE) this.flush();
      return;
    }
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (text.length * 3 > bytes.length - this.#used) {
      this.flush();
      if (text.length * 3 > bytes.length) {
        this.#io.writeOutBytes!(encoder.encode(text));
        return;
      }
    }
    this.#used += encoder.encodeInto(text, bytes.subarray(this.#used)).written;
  }

  /** Adds the UTF-8 bytes of a text; written at once, alone, when they do not fit in a chunk. */
  addBytes(bytes: Uint8Array): void {
    const buffer = this.#bytes;
    if (!buffer) {
      this.add(decoder.decode(bytes));
      return;
    }
    if (bytes.length > buffer.length - this.#used) {
      this.flush();
      if (bytes.length > buffer.length) {
        this.#io.writeOutBytes!(bytes);
        return;
      }
    }
    buffer.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** Writes what is held. */
  flush(): void {
    if (this.#bytes) {
      if (this.#used === 0) return;
      const used = this.#used;
      this.#used = 0;
      this.#io.writeOutBytes!(this.#bytes.subarray(0, used));
    } else if (this.#text !== "") {
      const text = this.#text;
      this.#text = "";
      this.#io.writeOut(text);
    }
  }
}

/**
 * Prints rows as they come: a JSON array, CSV with a header row, or TSV
 * without one. Rows are encoded into a buffer written in chunks of at most
 * {@link CHUNK_SIZE} bytes, so the rows are never all held; nothing is
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
  if (format === "json") return await streamJson(io, rows);
  const out = new ChunkedOutput(io);
  const line = format === "csv" ? csvLine : tsvLine;
  const cells: Cell[] = new Array(columns.length);
  if (format === "csv") out.add(csvLine(columns.map((c) => c.title)));
  for await (const row of rows) {
    for (let i = 0; i < columns.length; i++) cells[i] = columns[i].value(row);
    out.add(line(cells));
  }
  out.flush();
}

/**
 * Prints rows as a JSON array as {@link streamRows} does, a batch at a time
 * when the rows come in batches: each row is a record (printed without its
 * `display` names) or, as the database built it (see `Crm.listJson`), the
 * UTF-8 bytes of its element's text.
 */
export async function streamJson(io: Io, rows: AsyncIterable<unknown>): Promise<void> {
  const out = new ChunkedOutput(io);
  const json = new JsonArrayWriter((text) => out.add(text), { omit: "display" });
  const addBytes = (bytes: Uint8Array) => out.addBytes(bytes);
  const batches = batchesOf(rows);
  try {
    for (;;) {
      const next = await batches.next();
      if (next.done) break;
      for (const row of next.value) {
        if (row instanceof Uint8Array) json.pushBytes(row, addBytes);
        else json.push(row);
      }
    }
  } finally {
    // Ends the query when the loop ended early (stdout closed: `| head`).
    await batches.return?.();
  }
  json.end();
  out.flush();
}

/**
 * Prints rows as a table fitted to the terminal (or `No results.`), a line
 * naming the columns hidden to fit if any, then the footer if any.
 */
export async function printTable<R>(
  deps: PrintDeps,
  columns: readonly Column<R>[],
  rows: readonly R[],
  footer?: string,
): Promise<void> {
  const { io } = deps;
  if (rows.length === 0) {
    io.writeOut(t("tables.noResults") + "\n");
  } else {
    const cells = rows.map((row) => columns.map((c) => tableCell(c, row, deps.clock.timeZone)));
    const width = tableWidth(io, deps.wide);
    const grid = await renderList(io, columns.map(gridColumn), cells, width);
    io.writeOut(grid.text);
    if (grid.hidden.length > 0) {
      io.writeOut(t("tables.hidden", { count: grid.hidden.length, width, names: grid.hidden.join(", ") }) + "\n");
    }
  }
  if (footer) io.writeOut(footer + "\n");
}
