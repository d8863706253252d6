/**
 * Every route of `epic-events serve`, declared once: method, path, what it
 * takes (query parameters named like the CLI's flags, a JSON body) and what
 * it answers. The router dispatches on this table and the OpenAPI document is
 * generated from it, so the two cannot disagree.
 *
 * A handler only translates: it reads the request into the port's input and
 * calls the same {@link LocalCrm} method the CLI calls, with the session of
 * the request's bearer token. Permissions, validation and SQL stay in the
 * services.
 * @module
 */
import * as z from "zod";
import { InvalidInputError } from "../domain/errors.ts";
import {
  auditFilterSchema,
  clientCreateSchema,
  clientFilterSchema,
  clientUpdateSchema,
  contractCreateSchema,
  contractUpdateSchema,
  eventAssignSchema,
  eventCreateSchema,
  eventUpdateSchema,
  parseId,
  parseInput,
  userCreateSchema,
  userUpdateSchema,
} from "../domain/schemas/mod.ts";
import { booleanField, emailField, idField, roleField } from "../domain/schemas/fields.ts";
import { getMigrationStatus } from "../services/migrations.ts";
import { throttleByAddress } from "../services/address_throttle.ts";
import type { Exchange, QueryParam, Route } from "./route.ts";
import { HttpError, jsonResponse, parseJsonObject, readBody, streamArray } from "./http.ts";
import { DISPLAY_PARAM, openApiDocument } from "./openapi.ts";
import * as records from "./records.ts";

// ---------------------------------------------------------------------------
// Query parameters, read by the schemas the services validate with

const AUDIT_FILTER = auditFilterSchema("UTC").shape;
const CLIENT_FILTER = clientFilterSchema.shape;

function flag(name: string, description: string): QueryParam {
  return { name, schema: booleanField, description: `${description} (true or false)` };
}

function idParam(name: string, description: string): QueryParam {
  return { name, schema: idField, description };
}

const PAGING: readonly QueryParam[] = [
  { name: "limit", schema: CLIENT_FILTER.limit, description: "at most N rows" },
  { name: "offset", schema: CLIENT_FILTER.offset, description: "skip the first N rows" },
];

const DRY_RUN = flag("dry-run", "run every check of the delete and change nothing");
const CASCADE = flag("cascade", "also delete what depends on it");

// ---------------------------------------------------------------------------
// Bodies: the services' schemas, plus the password the services check apart

/** A password field (checked by the service: 8 to 72 bytes). */
const passwordSchema = z.string({ error: (i) => i.input === undefined ? "is required" : "must be text" })
  .describe("8 to 72 bytes; never returned");

const loginBody = z.object({ email: z.string({ error: "must be text" }), password: passwordSchema });

/** The password of a body, checked for its type only (the service checks the rest). */
function password(body: Record<string, unknown>, required: boolean): string | undefined {
  if (body.password === undefined && !required) return undefined;
  return parseInput(z.object({ password: passwordSchema }), { password: body.password }).password;
}

// ---------------------------------------------------------------------------
// Helpers of the handlers

function id(x: Exchange): number {
  return parseId(x.params.id);
}

async function body(x: Exchange, options: { optional?: boolean } = {}): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBody(x.request), options);
}

/** A record as the CLI's `--json` prints it, plus its `display` names when asked for. */
function shape(x: Exchange, record: unknown): unknown {
  if (record === null || typeof record !== "object" || !("display" in record)) return record;
  const { display, ...rest } = record as Record<string, unknown>;
  return x.display ? { ...rest, display } : rest;
}

function answer(x: Exchange, status: number, value: unknown): Response {
  return jsonResponse(status, shape(x, value));
}

function list<T>(x: Exchange, rows: AsyncIterable<T>): Promise<Response> {
  return streamArray(rows, (row) => shape(x, row), x.stream);
}

/** The query values, without the undefined ones, renamed to the port's keys. */
function pick<T>(x: Exchange, names: Readonly<Record<string, string>>): T {
  const out: Record<string, unknown> = {};
  for (const [param, key] of Object.entries(names)) {
    if (x.query[param] !== undefined) out[key] = x.query[param];
  }
  return out as T;
}

/** Paging, and whether the rows need their display names (`?display=true`: else they are not looked up). */
function paging(x: Exchange): { limit?: number; offset?: number; display: boolean } {
  return { ...pick(x, { limit: "limit", offset: "offset" }), display: x.display };
}

// ---------------------------------------------------------------------------
// The routes

const SESSIONS = "sessions";

/** Every route, in the order of the OpenAPI document. */
export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: "/healthz",
    operationId: "health",
    summary: "the process is alive (no token needed)",
    tag: "operations",
    auth: false,
    status: 200,
    response: records.statusSchema,
    handle: () => Promise.resolve(jsonResponse(200, { status: "ok" })),
  },
  {
    method: "GET",
    path: "/readyz",
    operationId: "ready",
    summary: "the database is reachable and its migrations are current (no token needed); 503 otherwise",
    tag: "operations",
    auth: false,
    status: 200,
    response: records.statusSchema,
    async handle(x) {
      const { states, problem } = await getMigrationStatus(x.server.db);
      if (problem) throw new HttpError(503, "conflict", problem.message);
      const pending = states.filter((s) => s.state === "pending").length;
      if (pending > 0) {
        throw new HttpError(503, "conflict", `The database has ${pending} pending migration(s).`);
      }
      return jsonResponse(200, { status: "ready" });
    },
  },
  {
    method: "GET",
    path: "/api/v1/openapi.json",
    operationId: "openapi",
    summary: "this API's OpenAPI 3.1 document, generated from the validation schemas (no token needed)",
    tag: "operations",
    auth: false,
    status: 200,
    response: z.object({ openapi: z.string() }).loose(),
    handle: () => Promise.resolve(jsonResponse(200, openApiDocument(ROUTES))),
  },

  // Sessions
  {
    method: "POST",
    path: "/api/v1/sessions",
    operationId: "login",
    summary: "log in: a bearer token for the other routes (throttled per email and per client address)",
    tag: SESSIONS,
    auth: false,
    body: z.object({ email: emailField, password: passwordSchema }),
    status: 201,
    response: records.loginResultSchema,
    async handle(x) {
      const credentials = parseInput(loginBody, await body(x));
      const ctx = await x.backend.anonymousContext();
      const result = await throttleByAddress(
        ctx,
        { address: x.clientAddress, ...credentials },
        () => x.crm.login(credentials),
      );
      x.backend.userId = result.user.id;
      return jsonResponse(201, { token: x.backend.issued, expires_at: result.expires_at, user: result.user });
    },
  },
  {
    method: "GET",
    path: "/api/v1/sessions/current",
    operationId: "whoami",
    summary: "who the token belongs to, and when it expires",
    tag: SESSIONS,
    auth: true,
    status: 200,
    response: records.meSchema,
    async handle(x) {
      return jsonResponse(200, await x.crm.whoami());
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/sessions/current",
    operationId: "logout",
    summary: "log out: the token is revoked (an expired or invalid one needs no revocation: revoked false)",
    tag: SESSIONS,
    auth: false,
    status: 200,
    response: records.logoutResultSchema,
    async handle(x) {
      const { revoked } = await x.crm.logout();
      return jsonResponse(200, { revoked });
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/sessions",
    operationId: "logoutAll",
    summary: "end every session of the token's collaborator, this one included",
    tag: SESSIONS,
    auth: true,
    status: 200,
    response: records.logoutAllResultSchema,
    async handle(x) {
      const { revoked } = await x.crm.logoutAll();
      return jsonResponse(200, { revoked });
    },
  },

  // Users
  {
    method: "GET",
    path: "/api/v1/users",
    operationId: "listUsers",
    summary: "collaborators, by id",
    tag: "users",
    auth: true,
    query: [{ name: "role", schema: roleField, description: "only collaborators with this role" }, ...PAGING],
    display: true,
    status: 200,
    response: records.userRecordSchema,
    list: true,
    handle: (x) => list(x, x.crm.listUsers(pick(x, { role: "role", limit: "limit", offset: "offset" }))),
  },
  {
    method: "POST",
    path: "/api/v1/users",
    operationId: "createUser",
    summary: "create a collaborator (MANAGEMENT)",
    tag: "users",
    auth: true,
    display: true,
    body: userCreateSchema.safeExtend({ password: passwordSchema }),
    status: 201,
    response: records.userRecordSchema,
    async handle(x) {
      const input = await body(x);
      const secret = password(input, true)!;
      return answer(x, 201, await x.crm.createUser({ ...input, password: secret } as never));
    },
  },
  {
    method: "GET",
    path: "/api/v1/users/{id}",
    operationId: "getUser",
    summary: "one collaborator",
    tag: "users",
    auth: true,
    display: true,
    status: 200,
    response: records.userRecordSchema,
    handle: async (x) => answer(x, 200, await x.crm.getUser(id(x))),
  },
  {
    method: "PATCH",
    path: "/api/v1/users/{id}",
    operationId: "updateUser",
    summary: "change a collaborator (MANAGEMENT); only the fields given change",
    tag: "users",
    auth: true,
    display: true,
    body: userUpdateSchema.safeExtend({ password: passwordSchema.optional() }),
    status: 200,
    response: records.userRecordSchema,
    async handle(x) {
      const userId = id(x);
      const input = await body(x);
      const secret = password(input, false);
      const { password: _given, ...fields } = input;
      const changes = secret === undefined ? fields : { ...fields, password: secret };
      return answer(x, 200, await x.crm.updateUser(userId, changes as never));
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/users/{id}",
    operationId: "deleteUser",
    summary: "delete a collaborator (MANAGEMENT); one who owns data needs reassign-to",
    tag: "users",
    auth: true,
    query: [idParam("reassign-to", "move their clients, contracts or events to this collaborator"), DRY_RUN],
    status: 200,
    response: records.userDeletionSchema,
    async handle(x) {
      const options = pick<{ reassignTo?: number; dryRun?: boolean }>(x, {
        "reassign-to": "reassignTo",
        "dry-run": "dryRun",
      });
      return jsonResponse(200, await x.crm.deleteUser(id(x), options));
    },
  },

  // Clients
  {
    method: "GET",
    path: "/api/v1/clients",
    operationId: "listClients",
    summary: "clients, by id (filters combine)",
    tag: "clients",
    auth: true,
    query: [
      flag("mine", "only my clients (I am their sales contact)"),
      { name: "search", schema: CLIENT_FILTER.search, description: "name, email or company contains this (any case)" },
      ...PAGING,
    ],
    display: true,
    status: 200,
    response: records.clientRecordSchema,
    list: true,
    handle: (x) => list(x, x.crm.listClients({ ...pick(x, { mine: "mine", search: "search" }), ...paging(x) })),
  },
  {
    method: "POST",
    path: "/api/v1/clients",
    operationId: "createClient",
    summary: "create a client (SALES: it is theirs; MANAGEMENT: names its sales contact)",
    tag: "clients",
    auth: true,
    display: true,
    body: clientCreateSchema,
    status: 201,
    response: records.clientRecordSchema,
    handle: async (x) => answer(x, 201, await x.crm.createClient(await body(x) as never)),
  },
  {
    method: "GET",
    path: "/api/v1/clients/{id}",
    operationId: "getClient",
    summary: "one client",
    tag: "clients",
    auth: true,
    display: true,
    status: 200,
    response: records.clientRecordSchema,
    handle: async (x) => answer(x, 200, await x.crm.getClient(id(x))),
  },
  {
    method: "PATCH",
    path: "/api/v1/clients/{id}",
    operationId: "updateClient",
    summary: "change a client; only the fields given change",
    tag: "clients",
    auth: true,
    display: true,
    body: clientUpdateSchema,
    status: 200,
    response: records.clientRecordSchema,
    async handle(x) {
      const clientId = id(x);
      return answer(x, 200, await x.crm.updateClient(clientId, await body(x) as never));
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/clients/{id}",
    operationId: "deleteClient",
    summary: "delete a client (MANAGEMENT); one with contracts needs cascade",
    tag: "clients",
    auth: true,
    query: [CASCADE, DRY_RUN],
    status: 200,
    response: records.clientDeletionSchema,
    async handle(x) {
      const options = pick<{ cascade?: boolean; dryRun?: boolean }>(x, { cascade: "cascade", "dry-run": "dryRun" });
      return jsonResponse(200, await x.crm.deleteClient(id(x), options));
    },
  },

  // Contracts
  {
    method: "GET",
    path: "/api/v1/contracts",
    operationId: "listContracts",
    summary: "contracts, by id (filters combine)",
    tag: "contracts",
    auth: true,
    query: [
      flag("mine", "only contracts whose sales contact is me"),
      flag("unsigned", "only contracts not signed yet"),
      flag("unpaid", "only contracts with an amount due"),
      idParam("client", "only this client's contracts"),
      ...PAGING,
    ],
    display: true,
    status: 200,
    response: records.contractRecordSchema,
    list: true,
    handle: (x) =>
      list(
        x,
        x.crm.listContracts({
          ...pick(x, { mine: "mine", unsigned: "unsigned", unpaid: "unpaid", client: "clientId" }),
          ...paging(x),
        }),
      ),
  },
  {
    method: "POST",
    path: "/api/v1/contracts",
    operationId: "createContract",
    summary: "create a contract (amount_due defaults to total_amount)",
    tag: "contracts",
    auth: true,
    display: true,
    body: contractCreateSchema,
    status: 201,
    response: records.contractRecordSchema,
    handle: async (x) => answer(x, 201, await x.crm.createContract(await body(x) as never)),
  },
  {
    method: "GET",
    path: "/api/v1/contracts/{id}",
    operationId: "getContract",
    summary: "one contract",
    tag: "contracts",
    auth: true,
    display: true,
    status: 200,
    response: records.contractRecordSchema,
    handle: async (x) => answer(x, 200, await x.crm.getContract(id(x))),
  },
  {
    method: "PATCH",
    path: "/api/v1/contracts/{id}",
    operationId: "updateContract",
    summary: "change a contract's amounts or signed status",
    tag: "contracts",
    auth: true,
    display: true,
    body: contractUpdateSchema,
    status: 200,
    response: records.contractRecordSchema,
    async handle(x) {
      const contractId = id(x);
      return answer(x, 200, await x.crm.updateContract(contractId, await body(x) as never));
    },
  },
  {
    method: "POST",
    path: "/api/v1/contracts/{id}/sign",
    operationId: "signContract",
    summary: "sign a contract (signing a signed one changes nothing: already_signed true)",
    tag: "contracts",
    auth: true,
    display: true,
    status: 200,
    response: records.signatureSchema,
    async handle(x) {
      const { contract, already_signed } = await x.crm.signContract(id(x));
      return jsonResponse(200, { contract: shape(x, contract), already_signed });
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/contracts/{id}",
    operationId: "deleteContract",
    summary: "delete a contract (MANAGEMENT); one with events needs cascade",
    tag: "contracts",
    auth: true,
    query: [CASCADE, DRY_RUN],
    status: 200,
    response: records.contractDeletionSchema,
    async handle(x) {
      const options = pick<{ cascade?: boolean; dryRun?: boolean }>(x, { cascade: "cascade", "dry-run": "dryRun" });
      return jsonResponse(200, await x.crm.deleteContract(id(x), options));
    },
  },

  // Events
  {
    method: "GET",
    path: "/api/v1/events",
    operationId: "listEvents",
    summary: "events, by id (filters combine)",
    tag: "events",
    auth: true,
    query: [
      flag("mine", "only events whose support contact is me"),
      flag("unassigned", "only events without a support contact"),
      flag("upcoming", "only events that have not ended"),
      idParam("contract", "only this contract's events"),
      ...PAGING,
    ],
    display: true,
    status: 200,
    response: records.eventRecordSchema,
    list: true,
    handle: (x) =>
      list(
        x,
        x.crm.listEvents({
          ...pick(x, { mine: "mine", unassigned: "unassigned", upcoming: "upcoming", contract: "contractId" }),
          ...paging(x),
        }),
      ),
  },
  {
    method: "POST",
    path: "/api/v1/events",
    operationId: "createEvent",
    summary: "create an event for a signed contract (dates as ISO 8601 instants)",
    tag: "events",
    auth: true,
    display: true,
    body: eventCreateSchema("UTC"),
    status: 201,
    response: records.eventRecordSchema,
    handle: async (x) => answer(x, 201, await x.crm.createEvent(await body(x) as never)),
  },
  {
    method: "GET",
    path: "/api/v1/events/{id}",
    operationId: "getEvent",
    summary: "one event",
    tag: "events",
    auth: true,
    display: true,
    status: 200,
    response: records.eventRecordSchema,
    handle: async (x) => answer(x, 200, await x.crm.getEvent(id(x))),
  },
  {
    method: "PATCH",
    path: "/api/v1/events/{id}",
    operationId: "updateEvent",
    summary: 'change an event; notes "" or null clears them',
    tag: "events",
    auth: true,
    display: true,
    body: eventUpdateSchema("UTC"),
    status: 200,
    response: records.eventRecordSchema,
    async handle(x) {
      const eventId = id(x);
      return answer(x, 200, await x.crm.updateEvent(eventId, await body(x) as never));
    },
  },
  {
    method: "POST",
    path: "/api/v1/events/{id}/assign",
    operationId: "assignEvent",
    summary: "assign or change an event's support contact (MANAGEMENT)",
    tag: "events",
    auth: true,
    display: true,
    body: eventAssignSchema,
    status: 200,
    response: records.eventRecordSchema,
    async handle(x) {
      const eventId = id(x);
      return answer(x, 200, await x.crm.assignEvent(eventId, await body(x) as never));
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/events/{id}",
    operationId: "deleteEvent",
    summary: "delete an event (MANAGEMENT)",
    tag: "events",
    auth: true,
    query: [DRY_RUN],
    status: 200,
    response: records.eventDeletionSchema,
    async handle(x) {
      return jsonResponse(200, await x.crm.deleteEvent(id(x), pick(x, { "dry-run": "dryRun" })));
    },
  },

  // Audit
  {
    method: "GET",
    path: "/api/v1/audit",
    operationId: "listAudit",
    summary: "the audit trail, oldest first (MANAGEMENT; filters combine)",
    tag: "audit",
    auth: true,
    query: [
      {
        name: "entity",
        schema: AUDIT_FILTER.entity,
        description: "only entries about user, client, contract or event",
      },
      { name: "id", schema: AUDIT_FILTER.id, description: "only entries about the entity with this id" },
      { name: "actor", schema: AUDIT_FILTER.actor, description: "only what this collaborator did" },
      { name: "since", schema: AUDIT_FILTER.since, description: "only entries at or after this ISO 8601 instant" },
      ...PAGING,
    ],
    status: 200,
    response: records.auditRecordSchema,
    list: true,
    handle(x) {
      const query = pick<{ entity?: string; entityId?: number; actorId?: number; since?: Date }>(x, {
        entity: "entity",
        id: "entityId",
        actor: "actorId",
        since: "since",
      });
      const since = query.since?.toISOString();
      return list(x, x.crm.listAudit({ ...query, since, ...paging(x) }));
    },
  },
];

/**
 * Reads the query string of a request for `route`: each parameter by its
 * schema (`limit: must be a positive integer`, exit-2 style, 400); an unknown
 * or repeated parameter is refused rather than ignored.
 */
export function readQuery(route: Route, url: URL): { query: Record<string, unknown>; display: boolean } {
  const params = [...(route.query ?? []), ...(route.display ? [DISPLAY_PARAM] : [])];
  const query: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [name, value] of url.searchParams) {
    const param = params.find((p) => p.name === name);
    const shown = name.slice(0, 40);
    if (!param) {
      const known = params.map((p) => p.name);
      throw new InvalidInputError(
        `unknown query parameter ${shown}${known.length > 0 ? `; known: ${known.join(", ")}` : ""}`,
        shown,
      );
    }
    if (seen.has(name)) throw new InvalidInputError(`${name}: given more than once`, name);
    seen.add(name);
    query[name] = parseInput(z.object({ [name]: param.schema }), { [name]: value })[name];
  }
  const display = query.display === true;
  delete query.display;
  return { query, display };
}
