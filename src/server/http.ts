/**
 * The HTTP side of the API, shared by every route: the JSON error object of
 * the CLI with the status of its kind, the headers every response carries,
 * request bodies read with a size limit, and lists streamed as a JSON array.
 * @module
 */
import { AppError, type ErrorCode, InvalidInputError } from "../domain/errors.ts";

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
    message: string,
    options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(code, message, { field: options.field });
    this.name = "HttpError";
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

/** Headers of every response: JSON, never cached, never sniffed, no CORS. */
export function baseHeaders(extra: Record<string, string> = {}): Headers {
  return new Headers({
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...extra,
  });
}

/** A JSON document on one line and a newline, as the CLI prints it. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body) + "\n", { status, headers: baseHeaders(headers) });
}

/** The CLI's JSON error object: `{"error":{"code","message","field"}}`. */
export function errorBody(error: AppError): { error: { code: string; message: string; field?: string } } {
  return {
    error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
  };
}

/** The answer to an expected failure, with the status of its kind. */
export function errorResponse(error: AppError): Response {
  const status = error instanceof HttpError ? error.status : STATUS_OF[error.code];
  const headers = error instanceof HttpError ? { ...error.headers } : {};
  return jsonResponse(status, errorBody(error), headers);
}

/**
 * Reads a request body of at most {@link MAX_BODY_BYTES}: a `Content-Length`
 * above it is refused before reading, and a body that grows past it while
 * read is refused as soon as it does (413). An empty body reads as `""`.
 */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, "invalid_input", `request body: larger than ${limit} bytes (1 MiB)`, { field: "body" });
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw tooLarge();
      chunks.push(value);
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
    throw new InvalidInputError("request body: not valid UTF-8", "body");
  }
}

/** Parses a body that must be a JSON object (`{}` when empty and `optional`). */
export function parseJsonObject(text: string, options: { optional?: boolean } = {}): Record<string, unknown> {
  if (text.trim() === "" && options.optional) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError("request body: not valid JSON", "body");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidInputError("request body: must be a JSON object", "body");
  }
  return value as Record<string, unknown>;
}

const encoder = new TextEncoder();

/**
 * Streams `rows` as a JSON array, one row per line, as they come: nothing
 * but the row being written is held. The first row is awaited before the
 * response starts, so that a failure of the query itself (permission,
 * validation, database) is still answered with its status and error object;
 * a failure after that ends the body without its closing `]`, which every
 * JSON reader (and the CLI) takes as a broken answer. `hooks.onEnd` is
 * called once the body is complete, broken or abandoned by the client.
 */
export async function streamArray<T>(
  rows: AsyncIterable<T>,
  map: (row: T) => unknown,
  hooks: { onLateError(error: unknown): void; onEnd(): void },
): Promise<Response> {
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  let pending: IteratorResult<T> | undefined = first;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? await iterator.next();
        pending = undefined;
        if (next.done) {
          controller.enqueue(encoder.encode(started ? "\n]\n" : "[]\n"));
          controller.close();
          hooks.onEnd();
          return;
        }
        controller.enqueue(encoder.encode(`${started ? ",\n" : "[\n"}${JSON.stringify(map(next.value))}`));
        started = true;
      } catch (error) {
        hooks.onLateError(error);
        controller.error(error);
        hooks.onEnd();
      }
    },
    async cancel() {
      hooks.onEnd();
      await iterator.return?.();
    },
  }, { highWaterMark: 0 });
  return new Response(body, { status: 200, headers: baseHeaders() });
}
