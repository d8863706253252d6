/**
 * The remote adapter of the {@link Crm} port: the same use cases over the
 * JSON API of `epic-events serve`. The CLI above the port does not know which
 * adapter it has, so output, prompts, messages and exit codes are the same in
 * both modes:
 *
 * - an error answer (`{"error":{"code","message","field"}}`) becomes the same
 *   {@link AppError} kind the local adapter would have thrown, with the
 *   server's message;
 * - a server that cannot be reached, or does not answer within the time
 *   limit, is an {@link UnavailableError} (exit 7) naming the URL and the cause;
 * - lists are read as they arrive (a streamed JSON array), never whole;
 * - the session token is the one in the token store (or
 *   `EPIC_EVENTS_TOKEN`); it is only ever sent to the server, as a bearer
 *   token. Nothing here signs or verifies a token: only the server can.
 * @module
 */
import {
  AppError,
  ConflictError,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
  UnavailableError,
} from "../domain/errors.ts";
import type { Operation } from "../contract/operations.ts";
import type { Crm, InputOf, LoginResult, LogoutResult, Me, OutputOf, PortOperation, UserRecord } from "./crm.ts";
import { BrokenArrayError, parseJsonArray } from "./json_stream.ts";

/** Where the session token is kept on this machine. */
export interface RemoteTokens {
  read(): Promise<string | null>;
  write(token: string): Promise<void>;
  remove(): Promise<void>;
}

/** How to reach the server. */
export interface RemoteCrmOptions {
  /** Base URL of the server (checked by the caller: https, or http on loopback). */
  server: URL;
  tokens: RemoteTokens;
  /** `EPIC_EVENTS_TOKEN`: used instead of the stored token. */
  tokenOverride?: string;
  /** PEM certificates of private CAs to trust besides the system's. */
  caCerts?: readonly string[];
  /** How long to wait for an answer, and for each part of a list (default 30 s). */
  timeoutMs?: number;
  /** Told the id of the collaborator the server authenticated (for the run's log line). */
  onUser?: (id: number) => void;
}

/** Default time limit of one exchange with the server. */
export const DEFAULT_SERVER_TIMEOUT_MS = 30_000;

type Query = Record<string, string | number | boolean | undefined>;

const clients = new Map<string, Deno.HttpClient>();

/** One HTTP client per set of trusted CAs, for the life of the process. */
function httpClient(caCerts: readonly string[] | undefined): Deno.HttpClient | undefined {
  if (!caCerts || caCerts.length === 0) return undefined;
  const key = caCerts.join("\n");
  let client = clients.get(key);
  if (!client) {
    client = Deno.createHttpClient({ caCerts: [...caCerts] });
    clients.set(key, client);
  }
  return client;
}

/** Why a request did not reach the server, in a few words. */
function causeOf(error: unknown): string {
  const messages: string[] = [];
  for (let e = error, i = 0; e instanceof Error && i < 5; e = e.cause, i++) messages.push(e.message);
  const text = messages.join(": ");
  if (/connection refused/i.test(text)) return "connection refused";
  if (/dns error|failed to lookup|name or service not known|no address associated/i.test(text)) {
    return "unknown host";
  }
  if (/certificate|UnknownIssuer|invalid peer|tls|handshake/i.test(text)) {
    const detail = /(UnknownIssuer|NotValidForName|Expired|BadSignature)/.exec(text)?.[1];
    return `its TLS certificate is not trusted${detail ? ` (${detail})` : ""}; ` +
      "set EPIC_EVENTS_CA_CERT to the certificate of the CA that signed it";
  }
  if (/connection reset|broken pipe|connection closed|unexpected eof|reading a body/i.test(text)) {
    return "the connection was closed";
  }
  const last = (messages.at(-1) ?? String(error)).replace(/^error sending request for url \([^)]*\):\s*/i, "");
  return last.replace(/\s+/g, " ").slice(0, 200);
}

/** The {@link AppError} of an error object sent by the server. */
function appErrorOf(code: unknown, message: string, field: string | undefined): AppError {
  switch (code) {
    case "invalid_input":
      return new InvalidInputError(message, field);
    case "not_authenticated":
      return new NotAuthenticatedError(message);
    case "permission_denied":
      return new PermissionDeniedError(message);
    case "not_found": {
      const error = new NotFoundError("", "");
      error.message = message;
      return error;
    }
    case "conflict":
      return new ConflictError(message, field);
    case "unavailable":
      return new UnavailableError(message, { field });
    default:
      return new AppError("internal", message, { field });
  }
}

function isErrorBody(value: unknown): value is { error: { code: string; message: string; field?: string } } {
  if (value === null || typeof value !== "object" || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return error !== null && typeof error === "object" && typeof (error as { message?: unknown }).message === "string";
}

/** The query string of a port query: only the values given; switches only when on. */
function queryOf(values: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === false) continue;
    params.set(name, String(value));
  }
  return params;
}

/** A file sent as a request's body (an import): its bytes as they are read, and its media type. */
interface Upload {
  bytes: AsyncIterable<Uint8Array>;
  media: string;
}

/** `bytes` as a request body; each chunk sent puts off the time limit (`idle`), as each row of a list does. */
function sent(bytes: AsyncIterable<Uint8Array>, idle: () => void): ReadableStream<Uint8Array> {
  const iterator = bytes[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      idle();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** A request of the API, relative to the server's base URL. */
interface ApiRequest {
  method: string;
  path: string;
  query: Query;
  body?: Record<string, unknown>;
}

/**
 * The request of operation `op` for a port input: its `{name}` segments and
 * query parameters from the input's keys of the same names, the rest in the
 * JSON body. An operation that answers records asks for their display names
 * (`display=true`) unless the input says `display: false`, as the local
 * adapter does.
 */
function requestOf(op: Operation, input: Record<string, unknown>): ApiRequest {
  const rest = { ...input };
  const take = (name: string) => {
    const value = rest[name];
    delete rest[name];
    return value;
  };
  const path = op.path.slice(1).replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(take(name))));
  take("file");
  const query: Query = {};
  for (const name of Object.keys(op.query?.shape ?? {})) {
    const value = take(name);
    if (value !== undefined) query[name] = value as string | number | boolean;
  }
  if (op.display) query.display = (query.display ?? take("display") ?? true) as boolean;
  return { method: op.method, path, query, ...(op.body ? { body: rest } : {}) };
}

/** The CRM of an `epic-events serve`. */
export class RemoteCrm implements Crm {
  readonly #base: URL;
  readonly #tokens: RemoteTokens;
  readonly #override?: string;
  readonly #client?: Deno.HttpClient;
  readonly #timeoutMs: number;
  readonly #onUser?: (id: number) => void;

  /** An adapter speaking to `options.server`. */
  constructor(options: RemoteCrmOptions) {
    const base = new URL(options.server.href);
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    this.#base = base;
    this.#tokens = options.tokens;
    this.#override = options.tokenOverride;
    this.#client = httpClient(options.caCerts);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS;
    this.#onUser = options.onUser;
  }

  /** The server's address, as shown to the user. */
  get server(): string {
    return this.#base.href.replace(/\/$/, "");
  }

  async #token(): Promise<string | null> {
    return this.#override ?? await this.#tokens.read();
  }

  /** The token, or exit 3 without asking the server (as the local adapter does). */
  async #requireToken(): Promise<string> {
    const token = await this.#token();
    if (!token) throw new NotAuthenticatedError();
    return token;
  }

  #unreachable(error: unknown): UnavailableError {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return new UnavailableError(
        `The server at ${this.server} did not answer within ${Math.round(this.#timeoutMs / 1000)} s.`,
        { cause: error },
      );
    }
    return new UnavailableError(`Cannot reach the server at ${this.server}: ${causeOf(error)}.`, { cause: error });
  }

  /**
   * Sends one request and returns the successful response, whose body is
   * still to be read before `deadline` is cleared; an error answer is
   * thrown as its {@link AppError}.
   */
  async #send(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; file?: Upload; token?: string | null },
  ): Promise<{ response: Response; idle(): void; done(): void; signal: AbortSignal }> {
    const url = new URL(path, this.#base);
    if (options.query) url.search = queryOf(options.query).toString();
    const headers = new Headers({ accept: "application/json" });
    if (options.body !== undefined) headers.set("content-type", "application/json");
    if (options.file) headers.set("content-type", options.file.media);
    if (options.token) headers.set("authorization", `Bearer ${options.token}`);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => controller.abort(new DOMException("no answer in time", "TimeoutError")),
        this.#timeoutMs,
      );
    };
    const done = () => clearTimeout(timer);
    idle();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.file
          ? sent(options.file.bytes, idle)
          : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
        signal: controller.signal,
        redirect: "manual",
        ...(this.#client ? { client: this.#client } : {}),
      });
    } catch (error) {
      done();
      throw this.#unreachable(controller.signal.aborted ? controller.signal.reason : error);
    }
    const userId = Number(response.headers.get("x-user-id"));
    if (Number.isSafeInteger(userId) && userId > 0) this.#onUser?.(userId);
    if (response.status >= 200 && response.status < 300) return { response, idle, done, signal: controller.signal };
    try {
      throw await this.#errorOf(response);
    } finally {
      done();
    }
  }

  async #errorOf(response: Response): Promise<AppError> {
    let text = "";
    try {
      text = await response.text();
    } catch (error) {
      return this.#unreachable(error);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (isErrorBody(body)) {
      const { code, message, field } = body.error;
      return appErrorOf(code, message, typeof field === "string" ? field : undefined);
    }
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      // A token is never sent on to another address: the setting must name the server itself.
      const to = new URL(location, this.#base);
      const target = `${to.origin}${this.#base.pathname}`.replace(/\/$/, "").slice(0, 200);
      return new InvalidInputError(
        `The server at ${this.server} redirects to ${target}: log in with --server ${target} ` +
          "(or set EPIC_EVENTS_SERVER to it).",
      );
    }
    if (response.status === 502 || response.status === 503 || response.status === 504) {
      return new UnavailableError(`The server at ${this.server} answered ${status}.`);
    }
    if (response.status === 413) return new InvalidInputError("The request is too large for the server.");
    return new AppError(
      "internal",
      `The server at ${this.server} answered ${status}, which is not an answer of epic-events serve.`,
    );
  }

  /** One request whose answer is one JSON document. */
  async #json<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; token?: string | null } = {},
  ): Promise<T> {
    const { response, done } = await this.#send(method, path, options);
    try {
      return JSON.parse(await response.text()) as T;
    } catch (error) {
      throw error instanceof SyntaxError
        ? new AppError("internal", `The server at ${this.server} sent an answer that is not JSON.`)
        : this.#unreachable(error);
    } finally {
      done();
    }
  }

  /** A request as the logged-in collaborator. */
  async #authed<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    return await this.#json<T>(method, path, { ...options, token: await this.#requireToken() });
  }

  /**
   * A list: the request is answered (its errors thrown) before this
   * resolves; the rows are then read as the server streams them.
   */
  async #list<T>(request: ApiRequest): Promise<AsyncGenerator<T>> {
    const token = await this.#requireToken();
    const sent = await this.#send(request.method, request.path, { query: request.query, token });
    if (!sent.response.body) {
      sent.done();
      throw new AppError("internal", `The server at ${this.server} sent an empty answer to a list.`);
    }
    return this.#rows<T>(sent.response.body, sent);
  }

  async *#rows<T>(
    body: ReadableStream<Uint8Array>,
    { idle, done, signal }: { idle(): void; done(): void; signal: AbortSignal },
  ): AsyncGenerator<T> {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    const chunks = async function* (): AsyncGenerator<string> {
      while (true) {
        const { done: end, value } = await reader.read();
        if (end) return;
        idle();
        yield value;
      }
    };
    try {
      for await (const row of parseJsonArray(chunks())) yield row as T;
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (signal.aborted) throw this.#unreachable(signal.reason);
      const why = error instanceof BrokenArrayError ? error.message : causeOf(error);
      throw new UnavailableError(`The server at ${this.server} broke off the list: ${why}.`, { cause: error });
    } finally {
      done();
      await reader.cancel().catch(() => {});
    }
  }

  async login(credentials: { email: string; password: string }): Promise<LoginResult> {
    const result = await this.#json<{ token: string; expires_at: string; user: UserRecord }>(
      "POST",
      "api/v1/sessions",
      {
        body: { email: credentials.email, password: credentials.password },
      },
    );
    await this.#tokens.write(result.token);
    return { user: result.user, expires_at: result.expires_at };
  }

  /** Nothing to check on this side before a login: the server checks its own configuration. */
  prepareLogin(): Promise<void> {
    return Promise.resolve();
  }

  async logout(): Promise<LogoutResult> {
    const token = await this.#token();
    let revoked = false;
    try {
      if (token) {
        revoked = (await this.#json<{ revoked: boolean }>("DELETE", "api/v1/sessions/current", { token })).revoked;
      }
    } finally {
      // The local token goes whatever happens (the server unreachable …).
      await this.#tokens.remove();
    }
    return { found: token !== null, revoked };
  }

  async logoutAll(): Promise<LogoutResult> {
    try {
      const { revoked } = await this.#authed<{ revoked: boolean }>("DELETE", "api/v1/sessions");
      return { found: true, revoked };
    } finally {
      await this.#tokens.remove();
    }
  }

  whoami(): Promise<Me> {
    return this.#authed<Me>("GET", "api/v1/sessions/current");
  }

  /** Runs `name` as the request the contract's table describes. */
  async call<K extends PortOperation>(name: K, input: InputOf<K>): Promise<OutputOf<K>> {
    if (name === "whoami") return await this.whoami() as OutputOf<K>;
    const { OPERATIONS } = await import("../contract/operations.ts");
    const op: Operation = OPERATIONS[name];
    const request = requestOf(op, input as Record<string, unknown>);
    if ("stream" in op.answer) return await this.#list(request) as OutputOf<K>;
    if (op.upload) {
      const { file } = input as { file: AsyncIterable<Uint8Array> };
      const media = op.upload.media[String(request.query.format)] ?? "application/octet-stream";
      const { response, done } = await this.#send(request.method, request.path, {
        query: request.query,
        file: { bytes: file, media },
        token: await this.#requireToken(),
      });
      try {
        return JSON.parse(await response.text()) as OutputOf<K>;
      } catch (error) {
        throw error instanceof SyntaxError
          ? new AppError("internal", `The server at ${this.server} sent an answer that is not JSON.`)
          : this.#unreachable(error);
      } finally {
        done();
      }
    }
    if ("none" in op.answer) {
      const { response, done } = await this.#send(request.method, request.path, {
        query: request.query,
        body: request.body,
        token: await this.#requireToken(),
      });
      done();
      await response.body?.cancel();
      return undefined as OutputOf<K>;
    }
    return await this.#authed<OutputOf<K>>(request.method, request.path, { query: request.query, body: request.body });
  }
}
