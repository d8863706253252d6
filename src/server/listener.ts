/**
 * The HTTP/1.1 front of `epic-events serve`, on `node:http` (llhttp) rather
 * than `Deno.serve` (hyper): it is the one of the two that lets the server
 * answer a client's mistakes itself, in JSON, and bound how long a client may
 * take (see docs/decisions.md for the measurements):
 *
 * - headers over {@link MAX_HEADER_BYTES} are answered 431, malformed ones
 *   (a NUL or another control character, a bad request line) 400, naming
 *   the header when it can;
 * - headers must be complete within {@link HEADERS_TIMEOUT_MS} (then 408 and
 *   the connection is closed), a body within the request time limit;
 * - a body cut short by the client (it closed its side early) reads as an
 *   error, which `readBody` answers 400;
 * - a client that goes away mid-answer is told to the handler
 *   ({@link ConnectionInfo.clientGone}) and cancels the response body (a
 *   streamed list stops reading its cursor).
 *
 * Each request is handed to a handler as a {@link RequestView} (what a web
 * `Request` offers that the server reads, built from node:http's request
 * without a `Request` and its `Headers`), answered with a web `Response`.
 * @module
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { setImmediate } from "node:timers";
import { Buffer } from "node:buffer";
import { bodyText, errorBody, type HeadersView, HttpError, isStreamed, type RequestView } from "./http.ts";

export type { HeadersView, RequestView };
import { msg } from "../domain/messages.ts";

/** Largest request line and headers accepted (16 KiB); more is answered 431. */
export const MAX_HEADER_BYTES = 16 * 1024;
/** Longest time from a connection's opening (or the end of its last answer) to the end of the headers. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** How often connections are checked against the time limits (so limits are met within this much). */
const CHECK_INTERVAL_MS = 1_000;
/** How long an idle keep-alive connection is kept. */
const KEEP_ALIVE_MS = 5_000;
/** How long a refused connection stays open after its answer, for the client to read it. */
const LINGER_MS = 1_000;

/** What a handler learns of the connection. */
export interface ConnectionInfo {
  remoteAddr: { hostname: string };
  /** Whether the client went away before the whole answer was sent. */
  clientGone(): boolean;
}

/** A request handler. */
export type Handler = (request: RequestView, info: ConnectionInfo) => Promise<Response>;

/** A request refused before it reached the handler. */
export interface Refusal {
  status: number;
  /** The peer's address. */
  hostname: string;
}

/** How to listen. */
export interface ListenOptions {
  hostname: string;
  port: number;
  /** PEM certificate chain and key: HTTPS. */
  tls?: { cert: string; key: string };
  /** Longest time a request (headers and body) may take to arrive; the handler's own limit should come first. */
  requestTimeoutMs: number;
  handler: Handler;
  /** Called for each request refused by the front (malformed, too large, too slow). Never throws. */
  onRefused?(refusal: Refusal): void;
}

/** A bound listener. */
export interface Listener {
  /** The address and port actually bound. */
  hostname: string;
  port: number;
  /**
   * Stops accepting connections and waits for the requests in flight (answers
   * included), at most `graceMs`; then closes every connection left. Resolves
   * whether they all finished in time.
   */
  shutdown(graceMs: number): Promise<boolean>;
}

/** The JSON answer to a request refused by the front, as raw HTTP/1.1 on a socket about to close. */
function rawAnswer(status: number, reason: string, error: HttpError): string {
  const body = JSON.stringify(errorBody(error)) + "\n";
  return `HTTP/1.1 ${status} ${reason}\r\n` +
    "content-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n" +
    `x-content-type-options: nosniff\r\ncontent-length: ${new TextEncoder().encode(body).byteLength}\r\n` +
    `connection: close\r\n\r\n${body}`;
}

/** The name of the header on the line that holds byte `offset` of `packet`, if it is a header line. */
function headerAt(packet: Uint8Array | undefined, offset: number | undefined): string | undefined {
  if (!packet || offset === undefined) return undefined;
  const text = new TextDecoder("latin1").decode(packet);
  const start = text.lastIndexOf("\n", Math.max(0, offset - 1)) + 1;
  if (start === 0) return undefined; // the request line
  const name = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}):/.exec(text.slice(start, offset + 1))?.[1];
  return name?.toLowerCase();
}

/** A connection error of node:http (llhttp's `HPE_…` parse errors carry the bytes they stopped at). */
type ClientError = Error & { code?: string; rawPacket?: Uint8Array; bytesParsed?: number };

/** The answer to a parse or time-limit error of the connection, or undefined to just close it. */
function refusalFor(error: ClientError) {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        reason: "Request Header Fields Too Large",
        error: new HttpError(431, "invalid_input", msg("errors.http.headers_too_large", { limit: MAX_HEADER_BYTES }), {
          field: "headers",
        }),
      };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        status: 408,
        reason: "Request Timeout",
        error: new HttpError(
          408,
          "invalid_input",
          msg("errors.http.headers_timeout", { seconds: HEADERS_TIMEOUT_MS / 1000 }),
          { field: "headers" },
        ),
      };
    case "ECONNRESET":
    case "EPIPE":
    case "ERR_STREAM_DESTROYED":
      return undefined; // the client is gone: nobody to answer
    default: {
      if (!error.code?.startsWith("HPE_")) return undefined;
      const header = headerAt(error.rawPacket, error.bytesParsed);
      const field = header ?? "request";
      const what = header
        ? msg("errors.http.header_malformed", { name: header })
        : msg("errors.http.request_malformed");
      return { status: 400, reason: "Bad Request", error: new HttpError(400, "invalid_input", what, { field }) };
    }
  }
}

/** `::ffff:1.2.3.4` (an IPv4 client of a dual-stack socket) → `1.2.3.4`. */
const peers = new WeakMap<Socket, string>();

function peerOf(socket: Socket): string {
  let peer = peers.get(socket);
  if (peer === undefined) {
    const address = socket.remoteAddress ?? "unknown";
    peer = address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
    peers.set(socket, peer);
  }
  return peer;
}

/**
 * The request body as a web stream, with back-pressure. A body that ends
 * before its announced length (the client half-closed, or the connection
 * broke) makes the stream fail, so that reading it is an error and not a
 * short body.
 */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let settled = false;
      const fail = () => {
        if (settled) return;
        settled = true;
        controller.error(new Error("the request body was cut short")); // i18n-ignore: read as "incomplete" by readBody
      };
      const onSocketEnd = () => {
        if (!req.complete) fail();
      };
      if (req.socket.readableEnded) onSocketEnd(); // the client had closed its side already
      else req.socket.once("end", onSocketEnd);
      req.on("data", (chunk: Uint8Array) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => {
        req.socket.off("end", onSocketEnd);
        if (settled) return;
        settled = true;
        controller.close();
      });
      req.once("aborted", fail);
      req.once("error", fail);
    },
    pull() {
      req.resume();
    },
    cancel() {
      // What is left is read and dropped by node:http, or the connection closed (see `send`).
      req.resume();
    },
  }, { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength });
}

/**
 * node:http's raw headers read as a web `Headers` would: a `get` joins every
 * value of the name (node:http's `headers` would keep the first of some),
 * values without their surrounding whitespace.
 */
/** HTTP's whitespace around a value (space, tab, CR, LF), as `Headers` strips it: not `trim()`'s U+00A0 and others. */
const HTTP_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

function httpTrim(value: string): string {
  return value.replace(HTTP_WHITESPACE, "");
}

class RawHeaders implements HeadersView {
  readonly #raw: string[];
  constructor(raw: string[]) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const raw = this.#raw;
    let value: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i].length !== name.length || raw[i].toLowerCase() !== name.toLowerCase()) continue;
      value = value === null ? httpTrim(raw[i + 1]) : `${value}, ${httpTrim(raw[i + 1])}`;
    }
    return value;
  }
  *[Symbol.iterator](): Iterator<[string, string]> {
    const raw = this.#raw;
    for (let i = 0; i < raw.length; i += 2) yield [raw[i].toLowerCase(), httpTrim(raw[i + 1])];
  }
}

/** Header names and values a web `Headers` accepts (llhttp lets some others through). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[^\0\r\n]*$/;
/** Methods a web `Request` refuses. */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * The handler's view of a node:http request, without building a web
 * `Request` and its `Headers` (~30 µs and their garbage per request, in
 * profiles); undefined when its URL or headers could not make a `Request`
 * (answered 400 as before).
 */
function requestOf(req: IncomingMessage, base: string): RequestView | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (!HEADER_NAME.test(raw[i]) || !HEADER_VALUE.test(raw[i + 1])) return undefined;
  }
  const target = req.url ?? "/";
  // The usual origin-form target is appended as is; anything else is resolved against the server's address.
  let url: string;
  if (target.startsWith("/") && !target.startsWith("//")) {
    url = base + target;
    if (!URL.canParse(url)) return undefined;
  } else {
    try {
      const parsed = new URL(target, base);
      if (parsed.username !== "" || parsed.password !== "") return undefined; // credentials in a target: refused
      url = parsed.href;
    } catch {
      return undefined;
    }
  }
  const method = req.method ?? "GET";
  if (FORBIDDEN_METHODS.has(method)) return undefined;
  const hasBody = method !== "GET" && method !== "HEAD";
  return { method, url, headers: new RawHeaders(raw), body: hasBody ? bodyOf(req) : null };
}

/** Resolves when `res` can take more (`drain`) or is closed. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

/**
 * node:http's answer, whose head is made only when its body is handed over
 * (`end(text)`), so that node:http writes head and body to the socket in one
 * piece straight from the text (its `tryDirectEnd`: one `write`, no stream
 * queue, corking or `writev` of the socket's `Writable`). node:http asks for
 * the head through `_implicitHeader` (as it does for `end()` without
 * `writeHead`, in Node too); this one gives it the answer's fields, and for a
 * body already framed in chunks turns node:http's own framing off.
 */
class Answer extends ServerResponse {
  /** The head's fields, set before `end(text)`. */
  fields: OutgoingHttpHeaders | undefined = undefined;
  /** Whether the text handed to `end` is already framed as chunks. */
  framed = false;

  _implicitHeader(): void {
    this.writeHead(this.statusCode, this.fields);
    // The chunked head is written (node:http set the flag from it); the body is framed already.
    if (this.framed) (this as ServerResponse & { chunkedEncoding: boolean }).chunkedEncoding = false;
  }
}

/** Bytes reused by {@link asLatin1} (grown to the largest answer, up to {@link SCRATCH_MAX_BYTES}). */
let scratch = Buffer.allocUnsafeSlow(16 * 1024);
const SCRATCH_MAX_BYTES = 1024 * 1024;

/**
 * The UTF-8 bytes of `text` as a one-byte string, a character per byte, for
 * node:http to write as Latin-1: the same bytes on the wire. `chunk`: framed
 * as one HTTP/1.1 chunk and the last. A list's text holds accented names, so
 * it is a two-byte string (two bytes a character in memory); written as
 * UTF-8 with the head in front, it was copied whole twice on the way (the
 * framed text to measure it, head and text to encode them), ~50 KB of
 * garbage per page of 50 clients. Encoded once here into reused bytes, what
 * node:http copies is half that size, and measuring it is reading its length.
 */
function asLatin1(text: string, chunk: boolean): string {
  const length = Buffer.byteLength(text);
  const prefix = chunk ? `${length.toString(16)}\r\n` : "";
  const suffix = chunk ? "\r\n0\r\n\r\n" : "";
  const size = prefix.length + length + suffix.length;
  let bytes = scratch;
  if (size > bytes.length) {
    bytes = Buffer.allocUnsafeSlow(size);
    if (size <= SCRATCH_MAX_BYTES) scratch = bytes;
  }
  // ASCII framing: its UTF-8 bytes are its Latin-1 ones.
  let at = prefix.length === 0 ? 0 : bytes.write(prefix, 0, "utf8");
  at += bytes.write(text, at, "utf8");
  if (suffix.length > 0) at += bytes.write(suffix, at, "utf8");
  return bytes.toString("latin1", 0, at);
}

/**
 * Writes `response` to `res`. A fixed body goes out with its length; a
 * streamed list is written chunk by chunk as it is produced, waiting for the
 * client to take each one. A client that goes away cancels the body; a body
 * that fails after its first chunk ends the connection without the final
 * chunk, so that the client sees a broken answer.
 */
async function send(req: IncomingMessage, res: Answer, response: Response, closing: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  // A body left unread (413, 400…) or a server going down: no further request on this connection.
  if (!req.complete || closing) headers.connection = "close";
  // A text body is written as it is (its body stream is never made), its head made by node:http as the
  // text is handed over (`Answer`): a list's whole text chunked like every list, any other answer with
  // its length.
  const text = bodyText(response);
  if (text !== undefined && req.method !== "HEAD") {
    res.statusCode = response.status;
    res.fields = headers;
    // An HTTP/1.0 client knows no chunks: its list is sent up to the connection's end, as node:http does.
    if (!isStreamed(response) || req.httpVersion === "1.0") {
      const bytes = asLatin1(text, false);
      if (!isStreamed(response)) headers["content-length"] = String(bytes.length);
      res.end(bytes, "latin1");
      return;
    }
    // A list's whole text is framed here as one chunk and the last: node:http would frame it in five
    // pieces (size, text, CRLF, last chunk) for Deno's socket to gather. `tests/server/` reads these answers.
    headers["transfer-encoding"] = "chunked";
    res.framed = true;
    res.end(text.length === 0 ? "0\r\n\r\n" : asLatin1(text, true), "latin1");
    return;
  }
  if (response.body === null || req.method === "HEAD") {
    await response.body?.cancel();
    res.writeHead(response.status, headers).end();
    return;
  }
  if (!isStreamed(response)) {
    const bytes = await response.bytes();
    headers["content-length"] = String(bytes.byteLength);
    res.writeHead(response.status, headers).end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  const reader = response.body.getReader();
  let gone = false;
  const onClose = () => {
    gone = true;
    reader.cancel().catch(() => {}); // ends a pending read; a list stops reading its cursor
  };
  res.once("close", onClose);
  // Rows ready one after another go out in one write: the answer is corked until the next turn of the event loop.
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  try {
    for (;;) {
      const next = await reader.read();
      if (gone || res.destroyed) return;
      if (next.done) break;
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(uncork);
      }
      if (!res.write(next.value)) await writable(res);
    }
    res.end();
  } catch {
    // The body failed after the status was sent: break the answer off.
    res.destroy();
  } finally {
    res.off("close", onClose);
  }
}

/**
 * Checks a PEM certificate chain and key before serving with them: node:https
 * would accept anything and fail each handshake instead.
 *
 * @throws {Error} saying what is wrong with the certificate or the key
 */
async function checkTls(tls: { cert: string; key: string }): Promise<void> {
  const { createPrivateKey, X509Certificate } = await import("node:crypto");
  let certificate: InstanceType<typeof X509Certificate>;
  try {
    certificate = new X509Certificate(tls.cert);
  } catch (error) {
    // i18n-ignore: an operator's start-up failure, with the TLS library's own English detail
    throw new Error(`the certificate is not a PEM X.509 certificate (${(error as Error).message})`);
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(tls.key);
  } catch (error) {
    // i18n-ignore: an operator's start-up failure, with the TLS library's own English detail
    throw new Error(`the key is not a PEM private key (${(error as Error).message})`);
  }
  // i18n-ignore: an operator's start-up failure, as the two above
  if (!certificate.checkPrivateKey(key)) throw new Error("the key is not the certificate's private key");
}

/** Starts listening; resolves once the socket is bound (rejects with the listen error: `EADDRINUSE`…). */
export async function listen(options: ListenOptions): Promise<Listener> {
  if (options.tls) await checkTls(options.tls);
  // node:http wants the headers' limit within the whole request's.
  const requestTimeout = Math.max(options.requestTimeoutMs, HEADERS_TIMEOUT_MS);
  const serverOptions = {
    ServerResponse: Answer,
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout,
    headersTimeout: HEADERS_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_MS,
    connectionsCheckingInterval: CHECK_INTERVAL_MS,
    requireHostHeader: false,
    noDelay: true,
  };
  const scheme = options.tls ? "https" : "http";
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;
  const finished = () => {
    inFlight--;
    if (inFlight === 0) idle?.();
  };
  let base = "";

  const onRequest = (req: IncomingMessage, res: Answer) => {
    inFlight++;
    const request = requestOf(req, base);
    let gone = false;
    res.once("close", () => {
      if (!res.writableFinished) gone = true;
    });
    const info: ConnectionInfo = { remoteAddr: { hostname: peerOf(req.socket) }, clientGone: () => gone };
    const work = request
      ? options.handler(request, info)
        .then((response) => send(req, res, response, closing))
      : Promise.resolve().then(() => {
        options.onRefused?.({ status: 400, hostname: peerOf(req.socket) });
        const error = new HttpError(400, "invalid_input", msg("errors.http.bad_url"), { field: "request" });
        const body = JSON.stringify(errorBody(error)) + "\n";
        res.writeHead(400, {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
          "content-length": String(new TextEncoder().encode(body).byteLength),
          connection: "close",
        }).end(body);
      });
    work.catch(() => res.destroy()).finally(finished);
  };

  const server: Server<typeof IncomingMessage, typeof Answer> = options.tls
    ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(serverOptions, onRequest);
  // A client may close its sending side once its request is sent and still read the answer.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = requestTimeout;
  server.on("clientError", (error: ClientError, socket: Socket) => {
    const refusal = refusalFor(error);
    // An answer already under way on this connection cannot be followed by another.
    const busy = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (refusal && socket.writable && !busy) {
      options.onRefused?.({ status: refusal.status, hostname: peerOf(socket) });
      socket.end(rawAnswer(refusal.status, refusal.reason, refusal.error));
      // Closed a moment later, not at once: the client may still be sending (the
      // rest of its headers), and data left unread would make the close a reset
      // that can destroy the answer before the client reads it.
      setTimeout(() => socket.destroy(), LINGER_MS);
    } else {
      socket.destroy();
    }
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
      base = `${scheme}://${host}:${port}`;
      resolve({
        hostname: options.hostname,
        port,
        async shutdown(graceMs) {
          closing = true;
          server.close();
          server.closeIdleConnections();
          let timer: ReturnType<typeof setTimeout> | undefined;
          const done = inFlight === 0 ? Promise.resolve(true) : new Promise<boolean>((settle) => {
            idle = () => settle(true);
            timer = setTimeout(() => settle(false), graceMs);
          });
          try {
            return await done;
          } finally {
            clearTimeout(timer);
            server.closeAllConnections();
          }
        },
      });
    });
  });
}
