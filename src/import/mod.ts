/**
 * Reading an import file: CSV with the header `--format csv` prints, or JSON
 * Lines (one `--json` record a line), streamed in bounded memory. Each
 * record comes as `{ line, record }` (JSON names as keys, ignored columns
 * dropped, CSV cells as text, an empty CSV cell absent — or `null` for a
 * nullable field), or as `{ line, error }` for a record that cannot be read
 * (a wrong number of fields, bad JSON, an unknown key); what ends the reading
 * (not UTF-8, a bad header, a quote that never closes, a line over 1 MiB) is
 * thrown as an {@link ImportFileError}. The services validate the records.
 * @module
 */
import { csvRecords } from "./csv.ts";
import { headerColumns, IMPORT_LAYOUTS, type ImportEntity, type ImportLayout, recordFields } from "./columns.ts";
import { ImportFileError } from "./errors.ts";
import { type LineBlock, lineBlocks, type LineOptions } from "./lines.ts";
import { msg } from "../domain/messages.ts";

export { IMPORT_ENTITIES, IMPORT_LAYOUTS, type ImportColumn, type ImportEntity, type ImportLayout } from "./columns.ts";
export { ImportFileError, type LineError, lineErrorText } from "./errors.ts";
export { MAX_LINE_BYTES } from "./lines.ts";

/** The formats of an import file. */
export const IMPORT_FORMATS = ["csv", "jsonl"] as const;

/** A format of an import file. */
export type ImportFormat = typeof IMPORT_FORMATS[number];

/** A record read from an import file, or why one could not be read. */
export type ParsedRow =
  | { line: number; record: Record<string, unknown>; error?: undefined }
  | { line: number; error: { field?: string; message: string }; record?: undefined };

/** `csv` for `*.csv`, `jsonl` for `*.jsonl` and `*.ndjson` (any case), otherwise undefined. */
export function importFormatOf(path: string): ImportFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  return undefined;
}

/** Options of {@link readImport}. */
export interface ReadOptions extends LineOptions {
  /** What the file holds. */
  entity: ImportEntity;
  /** How it is written. */
  format: ImportFormat;
}

async function* csvRows(blocks: AsyncIterable<LineBlock>, layout: ImportLayout): AsyncGenerator<ParsedRow> {
  let columns: ReturnType<typeof headerColumns> | undefined;
  for await (const { line, fields } of csvRecords(blocks)) {
    if (!columns) {
      columns = headerColumns(layout, fields);
      continue;
    }
    if (fields.length !== columns.length) {
      const message = `has ${fields.length} field${fields.length === 1 ? "" : "s"}, the header ${columns.length}`;
      yield { line, error: { message } };
      continue;
    }
    const record: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i];
      if (column === null) continue;
      const value = fields[i];
      if (value !== "") record[column.name] = value;
      else if (column.nullable) record[column.name] = null;
    }
    yield { line, record };
  }
  if (!columns) {
    throw new ImportFileError(1, msg("errors.import_file.empty"), "header");
  }
}

async function* jsonRows(blocks: AsyncIterable<LineBlock>, layout: ImportLayout): AsyncGenerator<ParsedRow> {
  const decoder = new TextDecoder();
  for await (const block of blocks) {
    const lines = decoder.decode(block.bytes).split("\n");
    for (let i = 0; i < block.lines; i++) {
      const text = lines[i];
      if (text.trim() === "") continue;
      const line = block.firstLine + i;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        yield { line, error: { message: `not JSON: ${(error as Error).message}` } };
        continue;
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        yield { line, error: { message: "must be a JSON object (one record a line)" } };
        continue;
      }
      const { record, unknown } = recordFields(layout, value as Record<string, unknown>);
      if (unknown.length > 0) {
        yield { line, error: { field: unknown[0], message: `${unknown.join(", ")}: unknown field` } };
        continue;
      }
      yield { line, record };
    }
  }
}

/**
 * The records of an import file read from `source`, one at a time.
 *
 * @throws {ImportFileError} for what ends the reading (see the module)
 */
export function readImport(source: AsyncIterable<Uint8Array>, options: ReadOptions): AsyncGenerator<ParsedRow> {
  const layout = IMPORT_LAYOUTS[options.entity];
  const blocks = lineBlocks(source, options);
  return options.format === "csv" ? csvRows(blocks, layout) : jsonRows(blocks, layout);
}
