/**
 * The HTTP server of `epic-events serve`, behind the front of `listener.ts`
 * (limits on headers, time and malformed requests): every request has its
 * query and headers checked for text no database can store, is matched to a
 * route of `routes.ts`, runs with its own {@link RequestBackend} (the session
 * of its bearer token, verified here) under a time limit, and is answered
 * with JSON and `Cache-Control: no-store`; one access line per request goes
 * to the log. No CORS: no `Access-Control-*` header is ever sent and
 * `OPTIONS` is a method like any other (405).
 *
 * Nothing is kept between requests but the database pool: two processes on
 * one database behave as one.
 * @module
 */
import { AppError, msg, NotAuthenticatedError } from "../domain/errors.ts";
import { langOfAcceptLanguage, LANGS } from "../domain/lang.ts";
import { deadlines } from "../domain/deadlines.ts";
import { loadLanguage } from "../i18n/mod.ts";
import { LocalCrm } from "../port/local.ts";
import { RequestBackend, type ServerContext } from "./backend.ts";
import { checkRequestText, errorResponse, HttpError } from "./http.ts";
import { type ConnectionInfo, type Handler, listen, type RequestView } from "./listener.ts";
import { findRoute } from "./router.ts";
import { readQuery, ROUTES } from "./routes.ts";
import type { Exchange } from "./route.ts";

/** One line of the access log: never a token, a password, a body or a query string. */
export interface AccessEntry {
  method: string;
  /** The path only (the query string is left out: it may hold search text). */
  path: string;
  /**
   * The path template of the route that answered (`/api/v1/clients/{id}`);
   * absent when no route matched, `refused` for a request the front refused.
   */
  route?: string;
  status: number;
  durationMs: number;
  userId: number | null;
  requestId: string;
  /** The client went away before the whole answer was sent (not a failure of the server). */
  clientGone?: boolean;
}

/** Where the server reports. Methods never throw. */
export interface ServerLog {
  /** One line per request, when its answer is complete. */
  request(entry: AccessEntry): void;
  /** An unexpected failure (500, or a list broken after its first row). */
  unexpected(error: unknown, context: { route: string; requestId: string }): void;
}

/** How to serve. */
export interface ServerOptions {
  hostname: string;
  port: number;
  /** PEM certificate chain and key: HTTPS. */
  tls?: { cert: string; key: string };
  context: ServerContext;
  log: ServerLog;
  /** Longest a request may take before it is answered 503 (default 20 s). */
  requestTimeoutMs?: number;
  /** Address of a reverse proxy whose `X-Forwarded-For` names the client. */
  trustedProxy?: string;
}

/** A running server. */
export interface RunningServer {
  /** `http(s)://host:port`, with the port actually bound. */
  url: string;
  /**
   * Stops accepting connections and waits for the requests in flight, at
   * most `graceMs`; resolves whether they all finished in time.
   */
  shutdown(graceMs: number): Promise<boolean>;
}

/** Default time limit of one request (`serve` passes `EPIC_EVENTS_REQUEST_TIMEOUT`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

/** `Authorization: Bearer <token>` → the token; none → null; any other form → 401. */
function bearerOf(request: RequestView): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header.trim());
  if (!match) throw new NotAuthenticatedError(msg("errors.session.invalid_token"));
  return match[1];
}

function clientAddress(request: RequestView, info: ConnectionInfo, trustedProxy?: string): string {
  const peer = info.remoteAddr.hostname;
  if (trustedProxy === undefined || peer !== trustedProxy) return peer;
  // The proxy appends the address it saw last: the rightmost entry is the one it vouches for.
  const forwarded = request.headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded?.at(-1)?.slice(0, 64) ?? peer;
}

function hostForUrl(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

/** How often the requests in flight are checked against their time limit (each is answered within this much after it). */
const SWEEP_MS = 100;

/**
 * The time limit of the requests in flight: one timer for all of them,
 * running only while some are, instead of a timer set and cleared per request
 * (a `Timeout` object, ~5 µs each way).
 */
function timeLimits(ms: number): () => { promise: Promise<never>; clear(): void } {
  const limits = deadlines(Math.min(SWEEP_MS, ms));
  return () => {
    const { promise, reject } = Promise.withResolvers<never>();
    const clear = limits.watch(
      performance.now() + ms,
      () => reject(new HttpError(503, "unavailable", msg("errors.http.timeout", { seconds: Math.round(ms / 1000) }))),
    );
    return { promise, clear };
  };
}

let loaded: Promise<void> | undefined;

/** Both catalogs, loaded once: each request is answered in its own language. */
function loadLanguages(): Promise<void> {
  return loaded ??= Promise.all(LANGS.map((lang) => loadLanguage(lang))).then(() => {});
}

/** Builds the request handler (exported for in-process tests). */
export function createHandler(
  options: Pick<ServerOptions, "context" | "log" | "requestTimeoutMs" | "trustedProxy">,
): Handler {
  const limitMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const languages = loadLanguages();
  const timeLimit = timeLimits(limitMs);
  return async (request, info) => {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    // Errors are answered in the request's language (the CLI sends its own); logs stay English.
    const lang = langOfAcceptLanguage(request.headers.get("accept-language"));
    await languages;
    let path = "-";
    let route = "-";
    let template: string | undefined;
    let backend: RequestBackend | undefined;
    let streamed = false;
    const logLine = (status: number) =>
      options.log.request({
        method: request.method.slice(0, 20),
        path,
        ...(template === undefined ? {} : { route: template }),
        status,
        durationMs: Math.round(performance.now() - started),
        userId: backend?.userId ?? null,
        requestId,
        ...(info.clientGone() ? { clientGone: true } : {}),
      });
    let response: Response;
    const limit = timeLimit();
    try {
      const url = new URL(request.url);
      path = url.pathname.slice(0, 200);
      checkRequestText(url, request.headers);
      const match = findRoute(ROUTES, request.method, url.pathname);
      template = match.route.path;
      route = `${match.route.method} ${template}`;
      const { query, display } = readQuery(match.route, url);
      // A route that needs no token ignores a malformed Authorization header.
      const bearer = match.route.auth ? bearerOf(request) : (() => {
        try {
          return bearerOf(request);
        } catch {
          return null;
        }
      })();
      backend = new RequestBackend(options.context, bearer, lang);
      const exchange: Exchange = {
        request,
        params: match.params,
        query,
        display,
        backend,
        crm: new LocalCrm(backend),
        server: options.context,
        clientAddress: clientAddress(request, info, options.trustedProxy),
        stream: {
          onLateError: (error) => options.log.unexpected(error, { route, requestId }),
          onEnd: () => logLine(200),
        },
      };
      streamed = match.route.list === true;
      const work = match.route.handle(exchange);
      work.catch(() => {}); // a request given up on may still fail later
      response = await Promise.race([work, limit.promise]);
    } catch (error) {
      streamed = false;
      if (error instanceof AppError && error.code !== "internal") {
        response = errorResponse(error, lang);
      } else {
        options.log.unexpected(error, { route, requestId });
        response = errorResponse(new AppError("internal", msg("errors.http.internal", { requestId })), lang);
      }
    } finally {
      limit.clear();
    }
    response.headers.set("x-request-id", requestId);
    // The client's own id, so that its log line names who ran the command.
    if (backend?.userId) response.headers.set("x-user-id", String(backend.userId));
    // A streamed list is logged when its last row is written (onEnd).
    if (!streamed) logLine(response.status);
    return response;
  };
}

/** Starts serving; resolves once the socket is bound (rejects with the listen error, `EADDRINUSE`…). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const handler = createHandler(options);
  const limitMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const listener = await listen({
    hostname: options.hostname,
    port: options.port,
    tls: options.tls,
    // The handler answers 503 at its own limit; the front only ends what is left hanging after it.
    requestTimeoutMs: limitMs + 5_000,
    handler,
    onRefused: (refusal) =>
      options.log.request({
        method: "-",
        path: "-",
        route: "refused",
        status: refusal.status,
        durationMs: 0,
        userId: null,
        requestId: "-",
      }),
  });
  const scheme = options.tls ? "https" : "http";
  return {
    url: `${scheme}://${hostForUrl(listener.hostname)}:${listener.port}`,
    shutdown: (graceMs) => listener.shutdown(graceMs),
  };
}
