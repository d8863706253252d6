/**
 * The shape of a route of the API: what the route table (`routes.ts`) declares
 * and what the OpenAPI generator (`openapi.ts`) reads, apart from both.
 * @module
 */
import type * as z from "zod";
import type { Crm } from "../port/crm.ts";
import type { RequestBackend, ServerContext } from "./backend.ts";
import type { Method } from "./router.ts";

/** A query parameter: its name (a flag's, without `--`) and the shared schema that reads it. */
export interface QueryParam {
  name: string;
  schema: z.ZodType;
  description: string;
}

/** What a handler is given. */
export interface Exchange {
  request: Request;
  /** Values of the path's `{name}` segments. */
  params: Readonly<Record<string, string>>;
  /** Query parameters, read by their schemas (absent ones are undefined). */
  query: Readonly<Record<string, unknown>>;
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
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Whether a bearer token is required. */
  auth: boolean;
  query?: readonly QueryParam[];
  /** Whether `?display=true` is accepted (routes answering records). */
  display?: boolean;
  /** The request body, as the services validate it (documentation). */
  body?: z.ZodType;
  /** Status of success. */
  status: number;
  /** Shape of a success body; for a list, of one row. */
  response: z.ZodType;
  /** Whether the answer is a streamed JSON array of `response`. */
  list?: boolean;
  handle(x: Exchange): Promise<Response>;
}
