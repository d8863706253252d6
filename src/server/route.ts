/**
 * The shape of a route of the API: what the server (`server.ts`) dispatches
 * on. Every route serves one operation of the contract's table
 * (`src/contract/operations.ts`): most through the one generic handler of
 * `operation.ts`, the few special ones (login, logout, health) by hand in
 * `routes.ts`.
 * @module
 */
import type * as z from "zod";
import type { Crm } from "../port/crm.ts";
import type { RequestBackend, ServerContext } from "./backend.ts";
import type { Method } from "./router.ts";
import type { RequestView } from "./listener.ts";

/** What a handler is given. */
export interface Exchange {
  request: RequestView;
  /** Values of the path's `{name}` segments, as sent. */
  params: Readonly<Record<string, string>>;
  /** Query parameters, each checked by its schema, as sent (absent ones are absent). */
  query: Readonly<Record<string, string>>;
  /** Whether `?display=true` asked for the names tables show. */
  display: boolean;
  /** The request's backend (its bearer token, the user it proves). */
  backend: RequestBackend;
  /** The use cases, as the CLI calls them, for this request's session. */
  crm: Crm;
  server: ServerContext;
  /** The client's address (for the login throttle). */
  clientAddress: string;
  /** Called when a streamed list fails after its first row, and when it ends. */
  stream: { onLateError(error: unknown): void; onEnd(): void };
}

/** One route of the API. */
export interface Route {
  method: Method;
  /** Template with `{name}` segments. */
  path: string;
  /** The operation's name in the contract's table. */
  operationId: string;
  /** Whether a bearer token is required. */
  auth: boolean;
  /** The query string's parameters, each read by its schema. */
  query?: z.ZodObject;
  /** Whether `?display=true` is accepted (routes answering records). */
  display?: boolean;
  /** Whether the answer is a streamed JSON array. */
  list?: boolean;
  handle(x: Exchange): Promise<Response>;
}
