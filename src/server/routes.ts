/**
 * Every route of `epic-events serve`: one per operation of the contract's
 * table (`src/contract/operations.ts`), in its order. The operations of the
 * CRM go through the one generic handler (`operation.ts`); only what is
 * really different is handled here by hand: health and readiness, the
 * document itself, and the session's token (login, logout).
 *
 * A handler only translates: it calls the same {@link LocalCrm} the CLI
 * calls, with the session of the request's bearer token. Permissions,
 * validation and SQL stay in the services.
 * @module
 */
import * as z from "zod";
import { type OperationName, OPERATIONS, type PortOperation } from "../contract/operations.ts";
import { credentialsSchema } from "../contract/sessions.ts";
import { InvalidInputError } from "../domain/errors.ts";
import { parseInput } from "../domain/schemas/mod.ts";
import { booleanField } from "../domain/schemas/fields.ts";
import { getMigrationStatus } from "../services/migrations.ts";
import { feedEvents } from "../services/calendar.ts";
import { ICS_CONTENT_TYPE, renderCalendar } from "../calendar/ics.ts";
import { throttleByAddress } from "../services/address_throttle.ts";
import type { Exchange, Route } from "./route.ts";
import { HttpError, jsonResponse, parseJsonObject, readBody, respond } from "./http.ts";
import { openApiDocument } from "./openapi.ts";
import { operationRoute, routeOf } from "./operation.ts";
import { msg } from "../domain/messages.ts";

/** The operations served by hand. */
type Special = Exclude<OperationName, PortOperation>;

/** How each special operation is served. */
const SPECIAL: Readonly<Record<Special, (x: Exchange) => Promise<Response>>> = {
  health: () => Promise.resolve(jsonResponse(200, { status: "ok" })),
  async ready(x) {
    const { states, problem } = await getMigrationStatus(x.server.db);
    if (problem) throw new HttpError(503, "conflict", problem.text);
    const pending = states.filter((s) => s.state === "pending").length;
    if (pending > 0) {
      throw new HttpError(503, "conflict", msg("errors.migration.pending_short", { count: pending }));
    }
    return jsonResponse(200, { status: "ready" });
  },
  openapi: () => Promise.resolve(jsonResponse(200, openApiDocument())),
  async login(x) {
    const credentials = parseInput(credentialsSchema, parseJsonObject(await readBody(x.request)));
    const ctx = await x.backend.anonymousContext();
    const result = await throttleByAddress(
      ctx,
      { address: x.clientAddress, ...credentials },
      () => x.crm.login(credentials),
    );
    x.backend.userId = result.user.id;
    return jsonResponse(201, { token: x.backend.issued, expires_at: result.expires_at, user: result.user });
  },
  async logout(x) {
    const { revoked } = await x.crm.logout();
    return jsonResponse(200, { revoked });
  },
  async logoutAll(x) {
    const { revoked } = await x.crm.logoutAll();
    return jsonResponse(200, { revoked });
  },
  async calendarFeed(x) {
    // No session: the key is the secret (404 for one that opens nothing); read-only, the owner's events only.
    const feed = await feedEvents(x.server.db, x.query.feed ?? "");
    return calendarResponse(
      renderCalendar(feed.events, { name: `Epic Events — ${feed.owner_name}`, refreshMinutes: 60 }),
    );
  },
};

/** A calendar, streamed as it is written; never cached on the way (it is private and changes). */
function calendarResponse(chunks: AsyncIterable<string>): Response {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return respond(200, body, {
    "content-type": ICS_CONTENT_TYPE,
    "content-disposition": 'inline; filename="epic-events.ics"',
  });
}

function isSpecial(name: OperationName): name is Special {
  return name in SPECIAL;
}

function isOperation(name: string): name is OperationName {
  return name in OPERATIONS;
}

function route(name: OperationName): Route {
  if (!isSpecial(name)) return operationRoute(name);
  return { ...routeOf(name, OPERATIONS[name]), handle: SPECIAL[name] };
}

/** Every route, in the order of the contract's table. */
export const ROUTES: readonly Route[] = Object.keys(OPERATIONS).filter(isOperation).map(route);

const DISPLAY = z.object({ display: booleanField });

/**
 * Reads the query string of a request for `route`: each parameter by its
 * schema (`limit: must be a positive integer`, exit-2 style, 400); an unknown
 * or repeated parameter is refused rather than ignored. The values are kept
 * as sent (the operation's input is checked as a whole by its handler);
 * `display` is read apart.
 */
export function readQuery(route: Route, url: URL): { query: Record<string, string>; display: boolean } {
  const query: Record<string, string> = {};
  if (url.search.length <= 1) return { query, display: false };
  const { shape, known } = QUERY_SHAPES.get(route) ?? queryShapeOf(route);
  let display: boolean | undefined;
  for (const [name, value] of url.searchParams) {
    const shown = name.slice(0, 40);
    const schema = Object.hasOwn(shape, name) ? shape[name] : undefined;
    if (!schema) {
      throw new InvalidInputError(
        known.length > 0
          ? msg("errors.http.unknown_parameter_known", { name: shown, known: known.join(", ") })
          : msg("errors.http.unknown_parameter", { name: shown }),
        shown,
      );
    }
    if (name in query || (name === "display" && display !== undefined)) {
      throw new InvalidInputError(msg("errors.http.repeated", { name }), name);
    }
    if (name === "display") {
      display = parseInput(DISPLAY, { display: value }).display;
      continue;
    }
    parseInput(schema, { [name]: value });
    query[name] = value;
  }
  return { query, display: display ?? false };
}

/** The query parameters of a route, each as an object schema of its own: built once per route, not per request. */
const QUERY_SHAPES = new WeakMap<Route, { shape: Record<string, z.ZodObject>; known: string[] }>();

function queryShapeOf(route: Route): { shape: Record<string, z.ZodObject>; known: string[] } {
  const fields: Record<string, z.ZodType> = { ...route.query?.shape };
  if (route.display) fields.display ??= booleanField;
  const shape = Object.fromEntries(
    Object.entries(fields).map(([name, schema]) => [name, z.object({ [name]: schema })]),
  );
  const entry = { shape, known: Object.keys(fields) };
  QUERY_SHAPES.set(route, entry);
  return entry;
}
