/**
 * The HTTP side of the API, shared by every route: the JSON error object of
 * the CLI with the status of its kind, the headers every response carries,
 * request bodies read with a size limit, and lists streamed as a JSON array.
 * @module
 */
import { batchesOf } from "../domain/batches.ts";
import { AppError, type ErrorCode, type ErrorText, InvalidInputError, type Message, msg } from "../domain/errors.ts";
import { DEFAULT_LANG, type Lang } from "../domain/lang.ts";
import { errorText } from "../i18n/errors.ts";

/** A request's headers, read as a web `Headers` reads them (names in any case, repeated ones joined by ", "). */
export interface HeadersView {
  get(name: string): string | null;
  /** Each header as `[lower-case name, value]`. */
  [Symbol.iterator](): Iterator<[string, string]>;
}

/** What the server reads of a request: the part of a web `Request` it uses (a `Request` is one). */
export interface RequestView {
  readonly method: string;
  /** The absolute URL. */
  readonly url: string;
  readonly headers: HeadersView;
  /** The body, none for GET and HEAD. */
  readonly body: ReadableStream<Uint8Array> | null;
}

/** Largest request body accepted (1 MiB); a larger one is answered 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** HTTP status of each error kind (exit codes 1–7 of PRODUCT.md §3). */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  internal: 500,
  invalid_input: 400,
  not_authenticated: 401,
  permission_denied: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

/** An {@link AppError} answered with a status other than its kind's (404 route, 405, 413). */
export class HttpError extends AppError {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Extra response headers (`Allow` of a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: ErrorCode,
    text: ErrorText,
    options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(code, text, { field: options.field });
    this.name = "HttpError";
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

/** Headers of every response: JSON, never cached, never sniffed, no CORS. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** The text of the answers built by {@link respond} with a text body (see {@link bodyText}). */
const TEXTS = new WeakMap<Response, string>();

/**
 * A response with the headers of every response (and `extra`). The headers
 * are set after the response is made: given to `new Response` with a text
 * body, Deno prepares the answer for `Deno.serve` (its bytes and native
 * headers), ~10–30 µs that the `node:http` front never uses.
 */
export function respond(
  status: number,
  body: string | ReadableStream<Uint8Array> | null,
  extra: Readonly<Record<string, string>> = {},
): Response {
  const response = new Response(body, { status });
  const headers = response.headers;
  for (const name in BASE_HEADERS) headers.set(name, BASE_HEADERS[name]);
  for (const name in extra) headers.set(name, extra[name]);
  if (typeof body === "string") TEXTS.set(response, body);
  return response;
}

/**
 * The body of an answer made by {@link respond} from a text, or undefined:
 * the front writes it as it is instead of reading it back from the body.
 */
export function bodyText(response: Response): string | undefined {
  return TEXTS.get(response);
}

/** A JSON document on one line and a newline, as the CLI prints it. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return respond(status, JSON.stringify(body) + "\n", headers);
}

/**
 * The CLI's JSON error object: `{"error":{"code","message","field"}}`, the
 * message in `lang` (the request's `Accept-Language`; English when none).
 */
export function errorBody(
  error: AppError,
  lang: Lang = DEFAULT_LANG,
): { error: { code: string; message: string; field?: string } } {
  return {
    error: { code: error.code, message: errorText(error, lang), ...(error.field ? { field: error.field } : {}) },
  };
}

/** The answer to an expected failure, with the status of its kind, its message in `lang`. */
export function errorResponse(error: AppError, lang: Lang = DEFAULT_LANG): Response {
  const status = error instanceof HttpError ? error.status : STATUS_OF[error.code];
  const headers = error instanceof HttpError ? { ...error.headers } : {};
  return jsonResponse(status, errorBody(error, lang), headers);
}

/**
 * Reads a request body of at most {@link MAX_BODY_BYTES}: a `Content-Length`
 * above it is refused before reading, and a body that grows past it while
 * read is refused as soon as it does (413). A body that breaks off (the
 * client closed its side before sending all it announced) is refused (400),
 * as is one that is not UTF-8. An empty body reads as `""`.
 */
export async function readBody(request: RequestView, limit = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, "invalid_input", msg("errors.http.body_too_large", { limit }), { field: "body" });
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        throw new InvalidInputError(msg("errors.http.body_incomplete"), "body");
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) throw tooLarge();
      chunks.push(next.value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInputError(msg("errors.http.body_not_utf8"), "body");
  }
}

/**
 * A request body that is a file (an import), read as it arrives, of at most
 * `limit` bytes: a `Content-Length` above it is refused before reading (413),
 * and a body that grows past it is refused as soon as it does. `drain`
 * reads and drops what is left (after a refusal), within the same limit.
 */
export function uploadedFile(
  request: RequestView,
  limit: number,
): { file: AsyncIterable<Uint8Array>; drain(): Promise<void> } {
  const tooLarge = () =>
    new HttpError(413, "invalid_input", msg("errors.http.upload_too_large", { limit }), { field: "body" });
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  let size = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const next = async (): Promise<Uint8Array | undefined> => {
    reader ??= request.body?.getReader();
    if (!reader) return undefined;
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new InvalidInputError(msg("errors.http.body_incomplete"), "body");
    }
    if (chunk.done) return undefined;
    size += chunk.value.byteLength;
    if (size > limit) throw tooLarge();
    return chunk.value;
  };
  return {
    file: {
      async *[Symbol.asyncIterator]() {
        for (let chunk = await next(); chunk !== undefined; chunk = await next()) yield chunk;
      },
    },
    async drain() {
      try {
        while (await next() !== undefined) { /* dropped */ }
      } catch {
        // Too large or broken off: the answer already says what went wrong.
      }
    },
  };
}

/** A NUL, or a UTF-16 surrogate (alone it is no character: `"\\ud800"` in JSON). */
const SUSPECT_TEXT = /[\0\uD800-\uDFFF]/;

/** Why `text` cannot be stored as text, or undefined when it can. */
function textProblem(text: string): Message | undefined {
  if (!SUSPECT_TEXT.test(text)) return undefined;
  if (text.includes("\0")) return msg("errors.http.nul");
  return text.isWellFormed() ? undefined : msg("errors.http.surrogate");
}

/**
 * The first string of a parsed JSON value (keys included) that no database
 * can store as text, with the dotted path of its field.
 */
function badText(value: unknown, path: string): { path: string; problem: Message } | undefined {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? { path, problem } : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem) {
      return { path: path === "" ? "body" : path, problem: msg("errors.http.field_name", { problem: keyProblem }) };
    }
    const found = badText(item, path === "" ? key : `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** Parses a body that must be a JSON object (`{}` when empty and `optional`). */
export function parseJsonObject(text: string, options: { optional?: boolean } = {}): Record<string, unknown> {
  if (text.trim() === "" && options.optional) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(msg("errors.http.body_not_json"), "body");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidInputError(msg("errors.http.body_not_object"), "body");
  }
  checkBodyText(value);
  return value as Record<string, unknown>;
}

/**
 * Refuses a parsed JSON body holding text no database can store: a NUL or a
 * lone UTF-16 surrogate in any string or field name (400 naming the dotted
 * field, e.g. `email: contains a NUL character`). {@link parseJsonObject}
 * calls it; a body parsed any other way must pass through it too.
 *
 * @throws {InvalidInputError} naming the field
 */
export function checkBodyText(value: unknown): void {
  const bad = badText(value, "");
  if (bad) throw new InvalidInputError(msg("errors.input.field", { field: bad.path, reason: bad.problem }), bad.path);
}

/** Header values: visible ASCII, spaces and tabs (anything else is looked at closer). */
const PLAIN_HEADER = /^[\t\x20-\x7e]*$/;
/** Control characters, which no header value may hold. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\0-\x08\x0a-\x1f\x7f]/;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Whether a header value (its bytes as Latin-1 characters) is text: no control character, valid UTF-8. */
function isHeaderText(value: string): boolean {
  if (PLAIN_HEADER.test(value)) return true;
  if (CONTROL.test(value)) return false;
  try {
    strictUtf8.decode(Uint8Array.from(value, (ch) => ch.charCodeAt(0)));
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a request whose query string or headers hold what no database can
 * store as text: a NUL or another control character, or bytes that are not
 * UTF-8 (400 naming the parameter or header). Every request passes through
 * it before it is routed; bodies are checked by {@link parseJsonObject}.
 *
 * @throws {InvalidInputError} naming the query parameter or the header
 */
export function checkRequestText(url: URL, headers: HeadersView): void {
  // Without a percent sign the query is plain ASCII (the parser refuses raw control bytes).
  if (url.search.includes("%")) {
    for (const part of url.search.slice(1).split("&")) {
      const equals = part.indexOf("=");
      const rawName = equals < 0 ? part : part.slice(0, equals);
      let name = "query";
      try {
        name = decodeURIComponent(rawName.replaceAll("+", " "));
        const value = decodeURIComponent((equals < 0 ? "" : part.slice(equals + 1)).replaceAll("+", " "));
        if (name.includes("\0") || value.includes("\0")) throw new Error("NUL");
      } catch {
        const field = name.includes("\0") ? "query" : name.slice(0, 40);
        throw new InvalidInputError(msg("errors.http.query_text", { field }), field);
      }
    }
  }
  for (const [name, value] of headers) {
    if (!isHeaderText(value)) {
      throw new InvalidInputError(msg("errors.http.header_text", { name }), name);
    }
  }
}

const encoder = new TextEncoder();

/** Responses whose body is a list streamed as it is read (see {@link streamArray}). */
const STREAMED = new WeakSet<Response>();

/** Whether `response` is a streamed list (its length is unknown until its last row). */
export function isStreamed(response: Response): boolean {
  return STREAMED.has(response);
}

/** Rows are sent in chunks of about this many characters (a list that ends within one is sent as one body). */
const CHUNK_CHARS = 64 * 1024;

/**
 * Streams `rows` as a JSON array, one row per line, as they come: nothing
 * but the rows of the chunk being written (about {@link CHUNK_CHARS}) is
 * held. The first row is awaited before the response starts, so that a
 * failure of the query itself (permission, validation, database) is still
 * answered with its status and error object; a list that ends within the
 * first chunk is written at once (most pages: {@link bodyText}), a longer
 * one chunk by chunk as it is read (chunked either way). A failure after the first row ends the
 * body without its closing `]`, which every JSON reader (and the CLI) takes
 * as a broken answer. `hooks.onEnd` is called once the body is complete,
 * broken or abandoned by the client; a client that goes away is no failure
 * (`onLateError` is not called).
 */
export async function streamArray<T>(
  rows: AsyncIterable<T>,
  map: (row: T) => unknown,
  hooks: { onLateError(error: unknown): void; onEnd(): void },
): Promise<Response> {
  // A batch at a time when the rows come in batches (a page, a cursor's batch), else a row at a time.
  const iterator = batchesOf(rows);
  const first = await iterator.next();
  if (first.done) return whole("[]\n", hooks);
  // Each row's text is kept apart and joined once per chunk: one flat string, no chain of concatenations to flatten.
  let parts: string[] = [];
  let size = 0;
  let opened = false;
  const add = (batch: readonly T[]) => {
    for (const row of batch) {
      const json = JSON.stringify(map(row));
      parts.push(json);
      size += json.length + 2;
    }
  };
  /** The text of the rows added since the last chunk (`last`: with the closing `]`). */
  const take = (last: boolean): string => {
    if (parts.length === 0) return last ? (opened ? "\n]\n" : "[]\n") : "";
    parts[0] = (opened ? ",\n" : "[\n") + parts[0];
    if (last) parts[parts.length - 1] += "\n]\n";
    const text = parts.join(",\n");
    opened = true;
    parts = [];
    size = 0;
    return text;
  };
  add(first.value);
  let ended = false;
  const end = () => {
    if (ended) return false;
    ended = true;
    hooks.onEnd();
    return true;
  };
  /** Adds rows until they make a chunk; whether the list ended. */
  const fill = async (): Promise<boolean> => {
    while (size < CHUNK_CHARS) {
      const next = await iterator.next();
      if (ended) return true; // the client went away while the row was read
      if (next.done) return true;
      add(next.value);
    }
    return false;
  };
  let late: unknown;
  let failed = false;
  let done = false;
  try {
    done = await fill();
  } catch (error) {
    failed = true;
    late = error;
  }
  if (done) return whole(take(true), hooks);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (parts.length > 0) controller.enqueue(encoder.encode(take(false)));
      try {
        if (failed) throw late;
        if (done) {
          controller.close();
          end();
          return;
        }
        done = await fill();
        if (ended) return;
        if (done) {
          controller.enqueue(encoder.encode(take(true)));
          controller.close();
          end();
        }
      } catch (error) {
        // After a cancel, what fails is only the abandoned read: not worth a report.
        if (!end()) return;
        hooks.onLateError(error);
        controller.error(error);
      }
    },
    async cancel() {
      end();
      await iterator.return?.();
    },
  }, { highWaterMark: 0 });
  const response = respond(200, body);
  STREAMED.add(response);
  return response;
}

/** A streamed list read to its end already: its text is its body. */
function whole(text: string, hooks: { onEnd(): void }): Response {
  hooks.onEnd();
  const response = respond(200, text);
  STREAMED.add(response);
  return response;
}
