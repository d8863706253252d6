/**
 * The portable backup file, independent of any database. A backup is a gzip
 * stream of UTF-8 lines, each ending with `\n`:
 *
 * ```text
 * {"format":"epic-events-backup","format_version":1,…,"tables":[{"name":"users","columns":[…],"rows":3},…]}
 * {"table":"users","row":{"id":1,…}}            one line per row, tables in the header's order
 * …
 * {"rows":42,"sha256":"<hex>"}                   the trailer: SHA-256 of every byte before it
 * ```
 *
 * A file is written under a temporary name beside its final one and appears
 * under its final name only when complete (an exclusive hard link, so an
 * existing backup is never overwritten). Readers stream it back in batches of
 * rows and fail with a {@link BackupFormatError} at the first problem: not
 * gzip, bad JSON, rows out of order, a missing trailer (truncated file), a
 * checksum or row count that does not match.
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { ConflictError } from "../domain/errors.ts";

/** The `format` of every header. */
export const FORMAT_NAME = "epic-events-backup";
/** The newest format version this program writes and reads. */
export const FORMAT_VERSION = 1;

/** What the header says about one table. */
export interface TableSummary {
  /** Table name. */
  name: string;
  /** Column names, in the order of each row's fields. */
  columns: string[];
  /** Number of row lines of this table. */
  rows: number;
}

/** The first line of a backup. */
export interface BackupHeader {
  format: typeof FORMAT_NAME;
  format_version: number;
  /** Version of the program that wrote it. */
  program_version: string;
  /** The newest migration applied to the database it was taken from. */
  schema_version: string;
  /** The database it was taken from: `sqlite` or `postgres`. */
  backend: string;
  /** When the snapshot was taken (UTC ISO 8601). */
  created_at: string;
  /** Every table, in the order its rows follow. */
  tables: TableSummary[];
}

/** One row of one table. */
export interface BackupRow {
  table: string;
  row: Record<string, unknown>;
}

/** A backup file that cannot be trusted: altered, truncated or not a backup (exit 6). */
export class BackupFormatError extends ConflictError {
  constructor(message: string) {
    super(message, "file");
    this.name = "BackupFormatError";
  }
}

const NAME_PATTERN = /^epic-events-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z\.jsonl\.gz$/;

/** The file name of a backup taken at `time`: `epic-events-20250102T030405.678Z.jsonl.gz`. */
export function backupFileName(time: Date): string {
  const stamp = time.toISOString().replace(/[-:]/g, "");
  return `epic-events-${stamp}.jsonl.gz`;
}

/** The time in a backup's file name, or null when the name is not one of ours. */
export function parseBackupFileName(name: string): Date | null {
  const m = NAME_PATTERN.exec(name);
  if (!m) return null;
  const time = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
  return Number.isNaN(time.getTime()) || backupFileName(time) !== name ? null : time;
}

/** What {@link BackupWriter.finish} wrote. */
export interface WrittenBackup {
  path: string;
  /** Size of the compressed file. */
  bytes: number;
  /** Row lines written. */
  rows: number;
  /** SHA-256 (hex) of the uncompressed lines before the trailer. */
  sha256: string;
}

/** Streams one backup to disk. */
export interface BackupWriter {
  /** Appends one row of `table` (tables in the header's order). */
  write(table: string, row: Record<string, unknown>): Promise<void>;
  /** Writes the trailer, syncs, and publishes the file under its final name. */
  finish(): Promise<WrittenBackup>;
  /** Stops and removes the temporary file (after a failure). */
  abort(): Promise<void>;
}

const FLUSH_BYTES = 64 * 1024;

async function pump(source: ReadableStream<Uint8Array>, file: Deno.FsFile): Promise<void> {
  const reader = source.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (let offset = 0; offset < value.length;) offset += await file.write(value.subarray(offset));
    }
  } catch (error) {
    // A failed file write (a full disk …) errors the gzip stream with its own
    // reason, so that the writer's write/finish reject with it.
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}

/**
 * Starts writing a backup that will appear at `path` (mode 0600) once
 * {@link BackupWriter.finish} succeeds. The folder must exist.
 */
export async function createBackupFile(path: string, header: BackupHeader): Promise<BackupWriter> {
  const temp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
  const gzip = new CompressionStream("gzip");
  const piping = pump(gzip.readable, file);
  piping.catch(() => {}); // surfaced by write/finish
  const writer = gzip.writable.getWriter();
  const hash = createHash("sha256");
  const encoder = new TextEncoder();
  const expected = new Map(header.tables.map((t) => [t.name, t.rows]));
  const order = header.tables.map((t) => t.name);
  const written = new Map<string, number>();
  let tableIndex = 0;
  let rows = 0;
  let buffered: string[] = [];
  let bufferedLength = 0;
  let closed = false;

  async function flush(): Promise<void> {
    if (buffered.length === 0) return;
    const bytes = encoder.encode(buffered.join(""));
    buffered = [];
    bufferedLength = 0;
    hash.update(bytes);
    await writer.write(bytes);
  }

  function push(line: string): Promise<void> {
    buffered.push(line);
    bufferedLength += line.length;
    return bufferedLength >= FLUSH_BYTES ? flush() : Promise.resolve();
  }

  async function cleanUp(): Promise<void> {
    if (closed) return;
    closed = true;
    await writer.abort().catch(() => {});
    await piping.catch(() => {});
    try {
      file.close();
    } catch { /* already closed */ }
    await Deno.remove(temp).catch(() => {});
  }

  try {
    await push(JSON.stringify(header) + "\n");
  } catch (error) {
    await cleanUp();
    throw error;
  }

  return {
    write(table, row) {
      if (table !== order[tableIndex]) {
        const next = order.indexOf(table, tableIndex);
        if (next === -1) throw new Error(`backup writer: table ${table} is not next in the header's order`);
        tableIndex = next;
      }
      rows++;
      written.set(table, (written.get(table) ?? 0) + 1);
      return push(JSON.stringify({ table, row }) + "\n");
    },
    async finish() {
      try {
        for (const [name, count] of expected) {
          if ((written.get(name) ?? 0) !== count) {
            throw new Error(`backup writer: ${name} has ${written.get(name) ?? 0} rows, the header says ${count}`);
          }
        }
        await flush();
        const sha256 = hash.digest("hex");
        await writer.write(encoder.encode(JSON.stringify({ rows, sha256 }) + "\n"));
        await writer.close();
        await piping;
        await file.sync();
        file.close();
        closed = true;
        // link(2) refuses an existing name: a backup is never overwritten.
        await Deno.link(temp, path);
        await Deno.remove(temp);
        const { size } = await Deno.stat(path);
        return { path, bytes: size, rows, sha256 };
      } catch (error) {
        await cleanUp();
        await Deno.remove(temp).catch(() => {});
        throw error;
      }
    },
    abort: cleanUp,
  };
}

/** Reads one backup: the header at once, then the rows in batches. */
export interface BackupReader {
  /** The header (already checked to be one of ours, in a known format version). */
  readonly header: BackupHeader;
  /**
   * Every row, in batches (one pass). Ends only after the trailer's checksum
   * and counts hold; throws {@link BackupFormatError} at the first problem.
   */
  batches(): AsyncGenerator<BackupRow[]>;
  /** Releases the file (when not read to the end). */
  close(): Promise<void>;
}

function fail(path: string, what: string): never {
  throw new BackupFormatError(`${path}: ${what}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkHeader(path: string, value: unknown): BackupHeader {
  if (!isObject(value) || value.format !== FORMAT_NAME) fail(path, "not an epic-events backup (bad header)");
  const version = value.format_version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    fail(path, "bad header: format_version");
  }
  if (version > FORMAT_VERSION) {
    fail(path, `written in backup format ${version} by a newer program; this program reads format ${FORMAT_VERSION}`);
  }
  for (const key of ["program_version", "schema_version", "backend", "created_at"]) {
    if (typeof value[key] !== "string") fail(path, `bad header: ${key}`);
  }
  const tables = value.tables;
  if (!Array.isArray(tables)) fail(path, "bad header: tables");
  const names = new Set<string>();
  for (const t of tables) {
    if (
      !isObject(t) || typeof t.name !== "string" || !Array.isArray(t.columns) ||
      !t.columns.every((c) => typeof c === "string") || typeof t.rows !== "number" || !Number.isSafeInteger(t.rows) ||
      t.rows < 0 || names.has(t.name)
    ) {
      fail(path, "bad header: tables");
    }
    names.add(t.name);
  }
  return value as unknown as BackupHeader;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Complete lines of a byte stream, in batches (one batch per chunk read). */
class LineSource {
  #path: string;
  #file: Deno.FsFile;
  #chunks: AsyncIterator<Uint8Array>;
  #carry: Uint8Array | null = null;
  #done = false;
  /** Lines read so far (for messages). */
  lineNumber = 0;

  constructor(path: string, file: Deno.FsFile) {
    this.#path = path;
    this.#file = file;
    this.#chunks = file.readable.pipeThrough(new DecompressionStream("gzip"))[Symbol.asyncIterator]();
  }

  /** The next complete lines (each with its `\n`), or null at the end of the file. */
  async next(): Promise<Uint8Array[] | null> {
    for (;;) {
      if (this.#done) return null;
      let step: IteratorResult<Uint8Array>;
      try {
        step = await this.#chunks.next();
      } catch (error) {
        this.#done = true;
        fail(this.#path, `truncated or corrupt compressed data (${(error as Error).message})`);
      }
      if (step.done) {
        this.#done = true;
        if (this.#carry && this.#carry.length > 0) {
          fail(this.#path, `truncated: line ${this.lineNumber + 1} is incomplete and the trailer is missing`);
        }
        return null;
      }
      const data: Uint8Array = this.#carry ? concat(this.#carry, step.value) : step.value;
      const lines: Uint8Array[] = [];
      let start = 0;
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, start)) {
        lines.push(data.subarray(start, i + 1));
        start = i + 1;
      }
      this.#carry = start < data.length ? data.slice(start) : null;
      if (lines.length > 0) return lines;
    }
  }

  async close(): Promise<void> {
    if (!this.#done) {
      this.#done = true;
      await this.#chunks.return?.().catch(() => {});
    }
    try {
      this.#file.close();
    } catch { /* closed by the stream */ }
  }
}

/** Opens a backup and reads its header; the file must exist. */
export async function openBackup(path: string): Promise<BackupReader> {
  const file = await Deno.open(path, { read: true });
  const magic = new Uint8Array(2);
  const got = await file.read(magic);
  if (got !== 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
    file.close();
    fail(path, "not a gzip file, so not an epic-events backup");
  }
  await file.seek(0, Deno.SeekMode.Start);
  const source = new LineSource(path, file);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parse = (line: Uint8Array, number: number): unknown => {
    try {
      return JSON.parse(decoder.decode(line));
    } catch {
      fail(path, `line ${number} is not valid JSON (altered or truncated file)`);
    }
  };
  let first: Uint8Array[] | null;
  try {
    first = await source.next();
    if (!first) fail(path, "empty: no header");
  } catch (error) {
    await source.close();
    throw error;
  }
  const hash: Hash = createHash("sha256");
  let header: BackupHeader;
  try {
    header = checkHeader(path, parse(first[0], 1));
  } catch (error) {
    await source.close();
    throw error;
  }
  hash.update(first[0]);
  let pending: Uint8Array[] | null = first.slice(1);
  let lineNumber = 1;
  let consumed = false;

  async function* batches(): AsyncGenerator<BackupRow[]> {
    if (consumed) throw new Error("backup reader: batches() can be read only once");
    consumed = true;
    const order = header.tables.map((t) => t.name);
    const counts = new Map<string, number>();
    let tableIndex = 0;
    let rows = 0;
    let trailer: Record<string, unknown> | null = null;
    try {
      for (let lines = pending; lines; lines = await source.next()) {
        pending = null;
        const batch: BackupRow[] = [];
        for (const line of lines) {
          lineNumber++;
          if (trailer) fail(path, `line ${lineNumber}: data after the trailer`);
          const value = parse(line, lineNumber);
          if (!isObject(value)) fail(path, `line ${lineNumber} is not an object`);
          if ("sha256" in value) {
            trailer = value;
            continue;
          }
          const { table, row } = value;
          if (typeof table !== "string" || !isObject(row)) fail(path, `line ${lineNumber} is not a row`);
          if (table !== order[tableIndex]) {
            const next = order.indexOf(table, tableIndex);
            if (next === -1) fail(path, `line ${lineNumber}: table ${table} is not in the header, or out of order`);
            tableIndex = next;
          }
          hash.update(line);
          rows++;
          counts.set(table, (counts.get(table) ?? 0) + 1);
          batch.push({ table, row });
        }
        if (batch.length > 0) yield batch;
      }
      if (!trailer) fail(path, "truncated: the trailer (checksum line) is missing");
      if (trailer.sha256 !== hash.digest("hex")) fail(path, "checksum mismatch: the file was altered");
      if (trailer.rows !== rows) fail(path, `the trailer counts ${trailer.rows} rows, the file holds ${rows}`);
      for (const t of header.tables) {
        const found = counts.get(t.name) ?? 0;
        if (found !== t.rows) fail(path, `table ${t.name}: the header counts ${t.rows} rows, the file holds ${found}`);
      }
    } finally {
      await source.close();
    }
  }

  return { header, batches, close: () => source.close() };
}

/** A backup read to the end with its checksum holding. */
export interface VerifiedBackup {
  header: BackupHeader;
  /** Row lines. */
  rows: number;
  /** Size of the compressed file. */
  bytes: number;
}

/**
 * Reads a whole backup without keeping it, checking header, order, counts and
 * checksum; throws {@link BackupFormatError} naming what is wrong.
 * `onRows` is told of each batch (progress).
 */
export async function verifyBackup(
  path: string,
  options: { onRows?: (table: string, count: number) => void } = {},
): Promise<VerifiedBackup> {
  const { size } = await Deno.stat(path);
  const reader = await openBackup(path);
  let rows = 0;
  for await (const batch of reader.batches()) {
    rows += batch.length;
    if (options.onRows) {
      let start = 0;
      for (let i = 1; i <= batch.length; i++) {
        if (i === batch.length || batch[i].table !== batch[start].table) {
          options.onRows(batch[start].table, i - start);
          start = i;
        }
      }
    }
  }
  return { header: reader.header, rows, bytes: size };
}
