/**
 * The measurement behind the choice of CSV parser for imports
 * (docs/decisions.md): the program's hand-written RFC 4180 parser
 * (`src/import/csv.ts`) against `csv-parse`, both fed the same checked line blocks of a generated file
 * of clients, shaped like `client list --format csv` plus a quoted field with
 * a comma in one row of ten. Prints rows per second for each, best of 3.
 *
 *     deno run -A bench/csv_parsers.ts [ROWS]
 * @module
 */
import { Buffer } from "node:buffer";
import { parse } from "csv-parse/stream";
import { type CsvRecord, csvRecords } from "../src/import/csv.ts";
import { type LineBlock, lineBlocks } from "../src/import/lines.ts";

const rows = Number(Deno.args[0] ?? 100_000);

/** A client CSV of `n` rows, as `client list --format csv` prints it. */
export function clientsCsv(n: number): Uint8Array {
  let text = "ID,NAME,COMPANY,EMAIL,PHONE,SALES CONTACT\r\n";
  for (let i = 1; i <= n; i++) {
    const company = i % 10 === 0 ? `"Cool, Startup ${i}"` : `Startup ${i}`;
    text += `${i},Client Number ${i},${company},client${i}@example.com,+33 6 12 34 56 78,Bob Seller\r\n`;
  }
  return new TextEncoder().encode(text);
}

async function* chunks(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The same records through `csv-parse` (its WHATWG stream), with line numbers from its `info`. */
export async function* libraryRecords(blocks: AsyncIterable<LineBlock>): AsyncGenerator<CsvRecord> {
  const source = ReadableStream.from((async function* () {
    for await (const block of blocks) {
      yield Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
    }
  })());
  const records = source.pipeThrough(parse({ info: true, relax_column_count: true, skip_empty_lines: true }));
  let lastEnd = 0;
  let lastEmpty = 0;
  for await (
    const parsed of records as AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>
  ) {
    const line = lastEnd + 1 + (parsed.info.empty_lines - lastEmpty);
    lastEnd = parsed.info.lines;
    lastEmpty = parsed.info.empty_lines;
    yield { line, fields: parsed.record };
  }
}

async function measure(
  name: string,
  parse: (b: AsyncIterable<LineBlock>) => AsyncIterable<CsvRecord>,
  bytes: Uint8Array,
) {
  let best = Infinity;
  let count = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    count = 0;
    for await (const _ of parse(lineBlocks(chunks(bytes)))) count++;
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${name}: ${count} records in ${best.toFixed(0)} ms, ${Math.round(count / best * 1000)} rows/s`);
}

if (import.meta.main) {
  const bytes = clientsCsv(rows);
  console.log(`${rows} rows, ${(bytes.length / 1e6).toFixed(1)} MB`);
  let lines = 0;
  const t0 = performance.now();
  for await (const b of lineBlocks(chunks(bytes))) lines += b.lines;
  console.log(`lines alone: ${lines} in ${(performance.now() - t0).toFixed(0)} ms`);
  await measure("csv-parse 7.0.3", libraryRecords, bytes);
  await measure("hand-written (the program's)", csvRecords, bytes);
}
