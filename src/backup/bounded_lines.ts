/**
 * Bounded reading of untrusted line-oriented input: backup files today, and
 * CSV or JSON-Lines import files tomorrow. Whatever a file holds, reading it
 * never keeps more than one line (at most `maxLineBytes`) plus one chunk in
 * memory, and never reads more than `maxTotalBytes` in all: a gzip bomb, or a
 * file made of one enormous line, is refused as soon as it passes a bound,
 * with an {@link InputLimitError} naming the bound and the line.
 *
 * ```ts
 * const file = await Deno.open(path);
 * const { size } = await file.stat();
 * const reader = new BoundedLineReader(gunzipInSlices(file.readable), {
 *   maxLineBytes: 1 << 20,
 *   maxTotalBytes: 64 * size + (1 << 20),
 * });
 * for (let lines = await reader.next(); lines; lines = await reader.next()) {
 *   for (const line of lines) handle(line); // each ends with "\n", except perhaps the very last
 * }
 * await reader.close();
 * ```
 *
 * {@link gunzipInSlices} decompresses in small steps: a chunk of compressed
 * input is handed to the decompressor {@link GUNZIP_SLICE_BYTES} at a time,
 * so that one step expands to at most about a thousand times that (gzip's
 * best ratio is about 1032:1), never to a whole bomb at once.
 * @module
 */

/** The default longest line: 1 MiB, its `\n` included. */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/** Bytes of compressed input handed to the decompressor at a time (≤ ~4 MiB of output each). */
export const GUNZIP_SLICE_BYTES = 4096;

/** Which bound an input passed. */
export type InputLimit = "line" | "total";

/** Input that passed a bound of a {@link BoundedLineReader}. */
export class InputLimitError extends Error {
  /** The bound passed: the length of one line, or the size of the whole input. */
  readonly limit: InputLimit;
  /** The line (1-based) being read when the bound was passed. */
  readonly line: number;

  constructor(limit: InputLimit, line: number, bytes: number) {
    super(
      limit === "line"
        ? `line ${line} is longer than ${describeBytes(bytes)}`
        : `the input is larger than ${describeBytes(bytes)} (at line ${line})`,
    );
    this.name = "InputLimitError";
    this.limit = limit;
    this.line = line;
  }
}

/** `1 MiB`, `512 KiB`, `300 bytes`. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} bytes`;
}

/** The bounds of a {@link BoundedLineReader}. */
export interface BoundedLineOptions {
  /** Longest line accepted, in bytes, its `\n` included (default {@link DEFAULT_MAX_LINE_BYTES}). */
  maxLineBytes?: number;
  /** Most bytes read from the source in all (default: no bound). */
  maxTotalBytes?: number;
}

/**
 * Splits a byte stream into lines, in batches (the complete lines of each
 * chunk read), refusing a line longer than `maxLineBytes` and a stream longer
 * than `maxTotalBytes` with an {@link InputLimitError}. A line is returned
 * with its `\n`; a last line without one is returned as it is, so the caller
 * decides whether a missing final newline means a truncated input.
 */
export class BoundedLineReader {
  readonly #chunks: AsyncIterator<Uint8Array>;
  readonly #maxLine: number;
  readonly #maxTotal: number;
  /** The start of a line not ended yet, in the pieces it came in. */
  #carry: Uint8Array[] = [];
  #carryBytes = 0;
  #done = false;
  /** Lines returned so far. */
  lineNumber = 0;
  /** Bytes read from the source so far. */
  bytesRead = 0;

  constructor(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: BoundedLineOptions = {}) {
    this.#chunks = source[Symbol.asyncIterator]();
    this.#maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#maxTotal = options.maxTotalBytes ?? Infinity;
  }

  /**
   * The next lines, or null at the end of the input.
   * @throws {InputLimitError} when a bound is passed (the source is then released)
   * @throws whatever the source throws (a corrupt compressed stream …)
   */
  async next(): Promise<Uint8Array[] | null> {
    for (;;) {
      if (this.#done) return null;
      let step: IteratorResult<Uint8Array>;
      try {
        step = await this.#chunks.next();
      } catch (error) {
        this.#done = true;
        throw error;
      }
      if (step.done) {
        this.#done = true;
        if (this.#carryBytes === 0) return null;
        this.lineNumber++;
        return [this.#takeCarry(new Uint8Array(0))];
      }
      const data = step.value;
      this.bytesRead += data.length;
      if (this.bytesRead > this.#maxTotal) await this.#refuse("total", this.#maxTotal);
      const lines: Uint8Array[] = [];
      let start = 0;
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, start)) {
        const piece = data.subarray(start, i + 1);
        if (this.#carryBytes + piece.length > this.#maxLine) await this.#refuse("line", this.#maxLine);
        this.lineNumber++;
        lines.push(this.#carryBytes > 0 ? this.#takeCarry(piece) : piece);
        start = i + 1;
      }
      if (start < data.length) {
        // Copied: the source may reuse its buffer.
        this.#carry.push(data.slice(start));
        this.#carryBytes += data.length - start;
        if (this.#carryBytes > this.#maxLine) await this.#refuse("line", this.#maxLine);
      }
      if (lines.length > 0) return lines;
    }
  }

  /** The carried start of a line followed by `end`, as one array; empties the carry. */
  #takeCarry(end: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.#carryBytes + end.length);
    let offset = 0;
    for (const piece of this.#carry) {
      out.set(piece, offset);
      offset += piece.length;
    }
    out.set(end, offset);
    this.#carry = [];
    this.#carryBytes = 0;
    return out;
  }

  async #refuse(limit: InputLimit, bytes: number): Promise<never> {
    const line = this.lineNumber + 1;
    await this.close();
    throw new InputLimitError(limit, line, bytes);
  }

  /** Stops reading and releases the source (idempotent). */
  async close(): Promise<void> {
    this.#carry = [];
    this.#carryBytes = 0;
    if (this.#done) return;
    this.#done = true;
    await this.#chunks.return?.().catch(() => {});
  }
}

/**
 * Decompresses a gzip stream, handing the decompressor at most
 * {@link GUNZIP_SLICE_BYTES} of input at a time, so that no output chunk is
 * much larger than a thousand times that. Bound the total with
 * {@link BoundedLineReader}'s `maxTotalBytes`.
 */
export function gunzipInSlices(compressed: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const slicer = new TransformStream<Uint8Array, BufferSource>({
    transform(chunk, controller) {
      for (let offset = 0; offset < chunk.length; offset += GUNZIP_SLICE_BYTES) {
        controller.enqueue(chunk.subarray(offset, offset + GUNZIP_SLICE_BYTES) as Uint8Array<ArrayBuffer>);
      }
    },
  });
  return compressed.pipeThrough(slicer).pipeThrough(new DecompressionStream("gzip"));
}
