/**
 * The portable backup file, independent of any database. A backup is a gzip
 * stream of UTF-8 lines, each ending with `\n`:
 *
 * ```text
 * {"format":"epic-events-backup","format_version":2,"key_id":"<16 hex>",…,"tables":[{"name":"users","columns":[…],"rows":3},…]}
 * {"table":"users","row":{"id":1,…}}            one line per row, tables in the header's order
 * …
 * {"mac":"<hex>"}                                a checkpoint after each MiB of lines
 * …
 * {"rows":42,"hmac_sha256":"<hex>"}              the trailer: the last MAC, of every line since the checkpoint
 * ```
 *
 * The MACs are HMAC-SHA-256 under the installation's {@link BackupKey}, in a
 * chain: each one covers the lines since the previous checkpoint and that
 * checkpoint's MAC (the first covers the header and the lines after it), so
 * the trailer authenticates the whole file and a checkpoint everything before
 * it. A file edited by someone without the key (even with a checksum
 * recomputed) is refused; being checked every MiB, a forged file is refused
 * after reading at most about a MiB of it, however large it claims to be.
 * Format 1, written before backups were authenticated, ends with a plain
 * `{"rows":…,"sha256":…}`; it is read only when the caller accepts
 * unauthenticated files explicitly.
 *
 * A file is written under a temporary name beside its final one and appears
 * under its final name only when complete (an exclusive hard link, so an
 * existing backup is never overwritten). Readers stream it back in batches of
 * rows, within bounds (a line of at most {@link MAX_LINE_BYTES}, at most
 * {@link MAX_EXPANSION} times the file's size once decompressed: see
 * `bounded_lines.ts`), and fail with a {@link BackupFormatError}
 * at the first problem: not gzip, bad JSON, a line or a size past a bound,
 * rows out of order or more than the header counts, a missing trailer
 * (truncated file), a MAC, checksum or row count that does not match.
 * @module
 */
import { createHash, type Hash, type Hmac, timingSafeEqual } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { ConflictError, type ErrorText, type Message, msg } from "../domain/errors.ts";
import { BoundedLineReader, describeBytes, gunzipInSlices, InputLimitError } from "./bounded_lines.ts";

/** A key that authenticates backups (`BackupKey` of `src/security/backup_key.ts`). */
export interface BackupKey {
  /** A printable fingerprint naming the key. */
  readonly id: string;
  /** A new HMAC-SHA-256 under the key. */
  hmac(): Hmac;
}

/** The `format` of every header. */
export const FORMAT_NAME = "epic-events-backup";
/** The newest format version this program writes and reads: authenticated with an HMAC. */
export const FORMAT_VERSION = 2;
/** The format before backups were authenticated (a SHA-256 without key): read only on request. */
export const UNAUTHENTICATED_FORMAT_VERSION = 1;
/** Bytes of lines between two MAC checkpoints (at least: a checkpoint follows the flush that passes it). */
export const CHECKPOINT_BYTES = 1 << 20;
/** The longest line of a backup, its `\n` included (a row is far shorter: text fields hold at most 2,000 characters). */
export const MAX_LINE_BYTES = 1 << 20;
/**
 * How many times its size a backup may grow once decompressed. Measured
 * (docs/backups.md): 9 for a seeded database, 28 for an audit trail of
 * logins, 60 for events that all hold the same 2,000-character notes; gzip's
 * best is about 1,032, which only a file of repeated bytes reaches. A file
 * past this bound (plus {@link EXPANSION_ALLOWANCE}) is refused as it is read.
 */
export const MAX_EXPANSION = 256;
/** Decompressed bytes every backup may hold besides {@link MAX_EXPANSION} times its size (small files). */
export const EXPANSION_ALLOWANCE = 1 << 20;

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
  /** Id of the key whose MAC ends the file (format 2; absent from format 1). */
  key_id?: string;
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
  /** Its line in the file (the header is line 1). */
  line: number;
}

/** A backup file that cannot be trusted: altered, truncated, unauthenticated or not a backup (exit 6). */
export class BackupFormatError extends ConflictError {
  constructor(text: ErrorText) {
    super(text, "file");
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
  /** HMAC-SHA-256 (hex) of the uncompressed lines before the trailer. */
  hmac_sha256: string;
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
 * {@link BackupWriter.finish} succeeds, authenticated with `key` (the
 * header's `format_version` and `key_id` are set to this format's and the
 * key's). The folder must exist.
 */
export async function createBackupFile(path: string, header: BackupHeader, key: BackupKey): Promise<BackupWriter> {
  const temp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
  const gzip = new CompressionStream("gzip");
  const piping = pump(gzip.readable, file);
  piping.catch(() => {}); // surfaced by write/finish
  const writer = gzip.writable.getWriter();
  let mac = key.hmac();
  let sinceCheckpoint = 0;
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
    mac.update(bytes);
    await writer.write(bytes);
    sinceCheckpoint += bytes.length;
    if (sinceCheckpoint >= CHECKPOINT_BYTES) {
      // The chain: the next MAC starts from this one.
      const digest = mac.digest();
      mac = key.hmac().update(digest);
      sinceCheckpoint = 0;
      await writer.write(encoder.encode(JSON.stringify({ mac: digest.toString("hex") }) + "\n"));
    }
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
    const { format, format_version: _, key_id: __, ...rest } = header;
    await push(JSON.stringify({ format, format_version: FORMAT_VERSION, key_id: key.id, ...rest }) + "\n");
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
        const hmac_sha256 = mac.digest("hex");
        await writer.write(encoder.encode(JSON.stringify({ rows, hmac_sha256 }) + "\n"));
        await writer.close();
        await piping;
        await file.sync();
        file.close();
        closed = true;
        // link(2) refuses an existing name: a backup is never overwritten.
        await Deno.link(temp, path);
        await Deno.remove(temp);
        const { size } = await Deno.stat(path);
        return { path, bytes: size, rows, hmac_sha256 };
      } catch (error) {
        await cleanUp();
        await Deno.remove(temp).catch(() => {});
        throw error;
      }
    },
    abort: cleanUp,
  };
}

/** How a backup is authenticated when read. */
export interface ReadOptions {
  /** The key its MAC must hold under: this installation's, or one given with `--trust-key`. */
  key: BackupKey;
  /** `"trust-key"` when `key` is the one given with `--trust-key` (messages name it so); else this installation's. */
  keyName?: "trust-key";
  /**
   * Read a format-1 file (no MAC: only its SHA-256 is checked, which anyone
   * can recompute). Without it such a file is refused, naming the option.
   */
  acceptUnauthenticated?: boolean;
}

/** Reads one backup: the header at once, then the rows in batches. */
export interface BackupReader {
  /** The header (already checked to be one of ours, in a known format version). */
  readonly header: BackupHeader;
  /** Whether the file is authenticated (format 2); false for an accepted format-1 file. */
  readonly authenticated: boolean;
  /**
   * Every row, in batches (one pass). Ends only after the trailer's MAC (or,
   * for an accepted format-1 file, checksum) and counts hold; throws
   * {@link BackupFormatError} at the first problem.
   */
  batches(): AsyncGenerator<BackupRow[]>;
  /** Releases the file (when not read to the end). */
  close(): Promise<void>;
  /** The trailer's MAC (or a format-1 file's checksum), hex, once `batches()` ended with it holding. */
  digest(): string | undefined;
}

function fail(path: string, what: Message): never {
  throw new BackupFormatError(msg("errors.backup_file.problem", { path, what }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The flag that accepts a format-1 file. */
export const ACCEPT_UNAUTHENTICATED_FLAG = "--accept-unauthenticated";

function checkHeader(path: string, value: unknown, options: ReadOptions): BackupHeader {
  if (!isObject(value) || value.format !== FORMAT_NAME) fail(path, msg("errors.backup_file.not_backup"));
  const version = value.format_version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    fail(path, msg("errors.backup_file.bad_header", { part: "format_version" }));
  }
  if (version > FORMAT_VERSION) {
    fail(path, msg("errors.backup_file.newer_format", { version, ours: FORMAT_VERSION }));
  }
  if (version === UNAUTHENTICATED_FORMAT_VERSION && !options.acceptUnauthenticated) {
    fail(path, msg("errors.backup_file.unauthenticated", { version, flag: ACCEPT_UNAUTHENTICATED_FLAG }));
  }
  if (version === FORMAT_VERSION && (typeof value.key_id !== "string" || !/^[0-9a-f]{16}$/.test(value.key_id))) {
    fail(path, msg("errors.backup_file.bad_header", { part: "key_id" }));
  }
  for (const key of ["program_version", "schema_version", "backend", "created_at"]) {
    if (typeof value[key] !== "string") fail(path, msg("errors.backup_file.bad_header", { part: key }));
  }
  const tables = value.tables;
  if (!Array.isArray(tables)) fail(path, msg("errors.backup_file.bad_header", { part: "tables" }));
  const names = new Set<string>();
  for (const t of tables) {
    if (
      !isObject(t) || typeof t.name !== "string" || !Array.isArray(t.columns) ||
      !t.columns.every((c) => typeof c === "string") || typeof t.rows !== "number" || !Number.isSafeInteger(t.rows) ||
      t.rows < 0 || names.has(t.name)
    ) {
      fail(path, msg("errors.backup_file.bad_header", { part: "tables" }));
    }
    names.add(t.name);
  }
  return value as unknown as BackupHeader;
}

/** Whether two hex digests are equal, in constant time. */
function sameDigest(given: unknown, computed: string): boolean {
  if (typeof given !== "string" || given.length !== computed.length) return false;
  return timingSafeEqual(new TextEncoder().encode(given), new TextEncoder().encode(computed));
}

/** The lines of a backup file, decompressed within bounds; limits and gzip errors become {@link BackupFormatError}. */
class LineSource {
  readonly #path: string;
  readonly #lines: BoundedLineReader;

  constructor(path: string, file: Deno.FsFile, size: number) {
    this.#path = path;
    this.#lines = new BoundedLineReader(gunzipInSlices(file.readable), {
      maxLineBytes: MAX_LINE_BYTES,
      maxTotalBytes: MAX_EXPANSION * size + EXPANSION_ALLOWANCE,
    });
  }

  /** The next complete lines (each with its `\n`), or null at the end of the file. */
  async next(): Promise<Uint8Array[] | null> {
    let lines: Uint8Array[] | null;
    try {
      lines = await this.#lines.next();
    } catch (error) {
      if (error instanceof InputLimitError) {
        fail(
          this.#path,
          error.limit === "line"
            ? msg("errors.backup_file.line_too_long", { line: error.line, size: describeBytes(MAX_LINE_BYTES) })
            : msg("errors.backup_file.bomb", { times: MAX_EXPANSION, line: error.line }),
        );
      }
      fail(this.#path, msg("errors.backup_file.corrupt_gzip", { why: (error as Error).message }));
    }
    const last = lines?.at(-1);
    if (last && last[last.length - 1] !== 10) {
      fail(this.#path, msg("errors.backup_file.truncated_line", { line: this.#lines.lineNumber }));
    }
    return lines;
  }

  async close(): Promise<void> {
    await this.#lines.close();
  }
}

/**
 * Opens a backup and reads its header; the file must exist.
 * @throws {BackupFormatError} for a file that is not a backup, or a format-1
 * file without `acceptUnauthenticated`
 */
export async function openBackup(path: string, options: ReadOptions): Promise<BackupReader> {
  const file = await Deno.open(path, { read: true });
  let size: number;
  try {
    size = (await file.stat()).size;
    const magic = new Uint8Array(2);
    const got = await file.read(magic);
    if (got !== 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
      fail(path, msg("errors.backup_file.not_gzip"));
    }
    await file.seek(0, Deno.SeekMode.Start);
  } catch (error) {
    file.close();
    throw error;
  }
  const source = new LineSource(path, file, size);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parse = (line: Uint8Array, number: number): unknown => {
    try {
      return JSON.parse(decoder.decode(line));
    } catch {
      fail(path, msg("errors.backup_file.not_json", { line: number }));
    }
  };
  let first: Uint8Array[] | null;
  let header: BackupHeader;
  try {
    first = await source.next();
    if (!first) fail(path, msg("errors.backup_file.empty"));
    header = checkHeader(path, parse(first[0], 1), options);
  } catch (error) {
    await source.close();
    throw error;
  }
  const authenticated = header.format_version === FORMAT_VERSION;
  let digest: Hash | Hmac = authenticated ? options.key.hmac() : createHash("sha256");
  digest.update(first[0]);
  let sinceCheckpoint = first[0].length;
  let pending: Uint8Array[] | null = first.slice(1);
  let lineNumber = 1;
  let consumed = false;

  function macMismatch(where: Message): never {
    const keyName = options.keyName === "trust-key"
      ? msg("errors.backup_file.trust_key")
      : msg("errors.backup_file.this_key");
    fail(
      path,
      header.key_id === options.key.id
        ? msg("errors.backup_file.mac_altered", { where, keyName, key: options.key.id })
        : msg("errors.backup_file.mac_other_key", { where, file: header.key_id, keyName, key: options.key.id }),
    );
  }

  /** Checks a checkpoint's MAC, and starts the next link of the chain from it. */
  function checkpoint(value: Record<string, unknown>, line: number): void {
    if (!authenticated) fail(path, msg("errors.backup_file.checkpoint_in_v1", { line }));
    const computed = digest.digest();
    if (!sameDigest(value.mac, computed.toString("hex"))) macMismatch(msg("errors.backup_file.at_line", { line }));
    digest = options.key.hmac().update(computed);
    sinceCheckpoint = 0;
  }

  let verifiedDigest: string | undefined;

  function checkTrailer(trailer: Record<string, unknown> | null, rows: number): void {
    if (!trailer) fail(path, msg("errors.backup_file.no_trailer"));
    const computed = digest.digest("hex");
    if (authenticated) {
      if (!("hmac_sha256" in trailer)) fail(path, msg("errors.backup_file.trailer_no_mac"));
      if (!sameDigest(trailer.hmac_sha256, computed)) macMismatch(msg("errors.backup_file.in_trailer"));
    } else if (!sameDigest(trailer.sha256, computed)) {
      fail(path, msg("errors.backup_file.checksum"));
    }
    if (trailer.rows !== rows) {
      fail(path, msg("errors.backup_file.trailer_rows", { counted: String(trailer.rows), rows }));
    }
    verifiedDigest = computed;
  }

  async function* batches(): AsyncGenerator<BackupRow[]> {
    if (consumed) throw new Error("backup reader: batches() can be read only once"); // i18n-ignore: a bug of the program
    consumed = true;
    const order = header.tables.map((t) => t.name);
    const expected = new Map(header.tables.map((t) => [t.name, t.rows]));
    const counts = new Map<string, number>();
    const trailerKey = authenticated ? "hmac_sha256" : "sha256";
    let tableIndex = 0;
    let rows = 0;
    let trailer: Record<string, unknown> | null = null;
    try {
      for (let lines = pending; lines; lines = await source.next()) {
        pending = null;
        const batch: BackupRow[] = [];
        for (const line of lines) {
          lineNumber++;
          if (trailer) fail(path, msg("errors.backup_file.after_trailer", { line: lineNumber }));
          const value = parse(line, lineNumber);
          if (!isObject(value)) fail(path, msg("errors.backup_file.not_object", { line: lineNumber }));
          if ("mac" in value && Object.keys(value).length === 1) {
            checkpoint(value, lineNumber);
            continue;
          }
          if (trailerKey in value || !("table" in value)) {
            trailer = value;
            continue;
          }
          const { table, row } = value;
          if (typeof table !== "string" || !isObject(row)) {
            fail(path, msg("errors.backup_file.not_row", { line: lineNumber }));
          }
          if (table !== order[tableIndex]) {
            const next = order.indexOf(table, tableIndex);
            if (next === -1) fail(path, msg("errors.backup_file.table_order", { line: lineNumber, table }));
            tableIndex = next;
          }
          const count = (counts.get(table) ?? 0) + 1;
          // Refused at once, not after reading on to the trailer.
          if (count > expected.get(table)!) {
            fail(
              path,
              msg("errors.backup_file.too_many_rows", { line: lineNumber, table, counted: expected.get(table) }),
            );
          }
          digest.update(line);
          sinceCheckpoint += line.length;
          // A forged file is refused here, within about a MiB, not at its end.
          if (authenticated && sinceCheckpoint > CHECKPOINT_BYTES + MAX_LINE_BYTES) {
            fail(path, msg("errors.backup_file.checkpoint_missing", { line: lineNumber }));
          }
          rows++;
          counts.set(table, count);
          batch.push({ table, row, line: lineNumber });
        }
        if (batch.length > 0) yield batch;
      }
      checkTrailer(trailer, rows);
      for (const t of header.tables) {
        const found = counts.get(t.name) ?? 0;
        if (found !== t.rows) {
          fail(path, msg("errors.backup_file.table_rows", { table: t.name, counted: t.rows, rows: found }));
        }
      }
    } finally {
      await source.close();
    }
  }

  return { header, authenticated, batches, close: () => source.close(), digest: () => verifiedDigest };
}

/** A backup read to the end with its MAC (or accepted checksum) holding. */
export interface VerifiedBackup {
  header: BackupHeader;
  /** Whether it is authenticated (false: an accepted format-1 file). */
  authenticated: boolean;
  /** The trailer's MAC (or a format-1 file's checksum), hex: the same file read again ends with the same. */
  digest: string;
  /** Row lines. */
  rows: number;
  /** Size of the compressed file. */
  bytes: number;
}

/**
 * Reads a whole backup without keeping it, checking header, order, counts and
 * MAC; throws {@link BackupFormatError} naming what is wrong. `onBatch` is
 * given each batch of rows (to check them, count progress).
 */
export async function verifyBackup(
  path: string,
  options: ReadOptions & { onBatch?: (batch: readonly BackupRow[], header: BackupHeader) => void },
): Promise<VerifiedBackup> {
  const { size } = await Deno.stat(path);
  const reader = await openBackup(path, options);
  let rows = 0;
  for await (const batch of reader.batches()) {
    rows += batch.length;
    options.onBatch?.(batch, reader.header);
  }
  return { header: reader.header, authenticated: reader.authenticated, digest: reader.digest()!, rows, bytes: size };
}
