/**
 * A bounded reader of lines for files read from users (imports): the bytes
 * are cut into blocks of whole lines, each checked as strict UTF-8 and none
 * longer than a limit, so that a 2 GB line is refused as soon as its first
 * mebibyte has arrived, with its line number, and memory stays flat whatever
 * the file's size. (Issue 16 writes a bounded line reader for backups: the
 * two may become one.)
 * @module
 */
import { isUtf8 } from "node:buffer";
import { ImportFileError } from "./errors.ts";
import { msg } from "../domain/messages.ts";

/** The longest line accepted, in bytes of UTF-8 (the same limit bounds a CSV record). */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Some whole lines of a file, checked. */
export interface LineBlock {
  /** The physical line number (1-based) of the first line of `bytes`. */
  firstLine: number;
  /** How many lines `bytes` holds (the last may lack its `\n` at the end of the file). */
  lines: number;
  /** The lines' bytes, valid UTF-8, each line ended by `\n` except perhaps the file's last. */
  bytes: Uint8Array;
}

const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/** Options of {@link lineBlocks}. */
export interface LineOptions {
  /** The longest line accepted, in bytes (default {@link MAX_LINE_BYTES}). */
  maxLineBytes?: number;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The length of the valid UTF-8 sequence at `i` of `bytes`, or 0 when none starts there. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  const [length, min, max] = b >= 0xc2 && b <= 0xdf
    ? [2, 0x80, 0xbf]
    : b === 0xe0
    ? [3, 0xa0, 0xbf]
    : b === 0xed
    ? [3, 0x80, 0x9f]
    : b >= 0xe1 && b <= 0xef
    ? [3, 0x80, 0xbf]
    : b === 0xf0
    ? [4, 0x90, 0xbf]
    : b === 0xf4
    ? [4, 0x80, 0x8f]
    : b >= 0xf1 && b <= 0xf3
    ? [4, 0x80, 0xbf]
    : [0, 0, 0];
  if (length === 0 || i + length > bytes.length) return 0;
  if (bytes[i + 1] < min || bytes[i + 1] > max) return 0;
  for (let k = 2; k < length; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return 0;
  return length;
}

/** Where the first invalid UTF-8 sequence of `bytes` starts: its line, its byte in the line (1-based), the byte. */
function firstInvalid(bytes: Uint8Array, firstLine: number): { line: number; column: number; byte: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = 0; i < bytes.length;) {
    if (bytes[i] === NEWLINE) {
      line++;
      lineStart = ++i;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length === 0) return { line, column: i - lineStart + 1, byte: bytes[i] };
    i += length;
  }
  return { line, column: 0, byte: 0 };
}

/**
 * Checks a block: every line at most `max` bytes, valid UTF-8.
 * @throws {ImportFileError} naming the first line at fault
 */
function check(bytes: Uint8Array, firstLine: number, max: number): number {
  let lines = 0;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start);
    const length = (end === -1 ? bytes.length : end) - start;
    if (length > max) throw tooLong(firstLine + lines, max);
    if (end === -1) {
      if (length > 0) lines++;
      break;
    }
    lines++;
    start = end + 1;
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalid(bytes, firstLine);
    throw new ImportFileError(
      at.line,
      msg("errors.import_file.not_utf8", {
        byte: at.byte.toString(16).toUpperCase().padStart(2, "0"),
        column: at.column,
      }),
    );
  }
  return lines;
}

function tooLong(line: number, max: number): ImportFileError {
  return new ImportFileError(line, msg("errors.import_file.line_too_long", { max }));
}

/**
 * The lines of `source` in blocks of whole lines (a block ends at the last
 * line break of what has arrived), each checked: strict UTF-8, no line longer
 * than `maxLineBytes`. A UTF-8 byte order mark at the start of the file is
 * dropped. At most one line plus one chunk of `source` is held at a time.
 *
 * @throws {ImportFileError} for the first line that is too long (as soon as
 *   it is, without waiting for its end) or not UTF-8, with its line number
 */
export async function* lineBlocks(
  source: AsyncIterable<Uint8Array>,
  options: LineOptions = {},
): AsyncGenerator<LineBlock> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  let line = 1;
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  /** Drops a byte order mark at the very start of the file. */
  const start = (bytes: Uint8Array) => {
    if (line !== 1 || bytes.length < 3 || !BOM.every((b, i) => bytes[i] === b)) return bytes;
    return bytes.subarray(3);
  };
  for await (const chunk of source) {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      pending.push(chunk.slice());
      pendingLength += chunk.length;
      if (pendingLength > max) throw tooLong(line, max);
      continue;
    }
    const bytes = start(concat([...pending, chunk.subarray(0, last + 1)], pendingLength + last + 1));
    const lines = check(bytes, line, max);
    yield { firstLine: line, lines, bytes };
    line += lines;
    const rest = chunk.subarray(last + 1);
    pending = rest.length > 0 ? [rest.slice()] : [];
    pendingLength = rest.length;
    if (pendingLength > max) throw tooLong(line, max);
  }
  if (pendingLength > 0) {
    const bytes = start(concat(pending, pendingLength));
    yield { firstLine: line, lines: check(bytes, line, max), bytes };
  }
}
