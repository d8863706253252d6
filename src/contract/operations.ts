/**
 * Every operation of the CRM, declared once: its name (the port's), its HTTP
 * method and path, what it takes and where each input goes, what it answers,
 * and the permission it checks. From this table come the port's types
 * (`src/port/crm.ts`), the server's routes (one generic handler), the remote
 * adapter's requests (one call path) and the OpenAPI document.
 *
 * Where an input goes: the `{name}` segments of `path` come from `params`,
 * the query string from `query`, the JSON body from `body`. Through the port
 * the three are one object (`call("updateClient", { id: 3, phone: "…" })`),
 * each key spelt the same everywhere: a filter's key is its flag's name
 * (`--contract` → `contract`), a field's key is its JSON name.
 *
 * An operation marked `special` is served and called by hand: login and the
 * logouts (the token itself is theirs), health and the document itself.
 * @module
 */
import * as z from "zod";
import type { Action } from "../domain/policy.ts";
import { auditListSchema, auditRecord } from "./audit.ts";
import {
  clientCreateSchema,
  clientDeleteSchema,
  clientListSchema,
  clientRecord,
  clientUpdateSchema,
} from "./clients.ts";
import {
  contractCreateSchema,
  contractDeleteSchema,
  contractListSchema,
  contractRecord,
  contractUpdateSchema,
} from "./contracts.ts";
import {
  eventAssignSchema,
  eventCreateSchema,
  eventDeleteSchema,
  eventListSchema,
  eventRecord,
  eventUpdateSchema,
} from "./events.ts";
import {
  calendarEntrySchema,
  feedKeySchema,
  feedQuerySchema,
  IMPORT_MEDIA,
  importParamsSchema,
  importQuerySchema,
  importResultSchema,
  MAX_IMPORT_BYTES,
  REPORT_ANSWERS,
  reportRangeSchema,
} from "./dayone.ts";
import { BY_ID, COUNT, ERROR_CODE, ID } from "./meta.ts";
import {
  credentialsSchema,
  loginAnswerSchema,
  logoutAllAnswerSchema,
  logoutAnswerSchema,
  meSchema,
} from "./sessions.ts";
import { newUserSchema, userChangesSchema, userDeleteSchema, userListSchema, userRecord } from "./users.ts";

/** An HTTP method of the API. */
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** The groups of the document; each CRM group is the service module of its operations. */
export type Tag =
  | "operations"
  | "sessions"
  | "users"
  | "clients"
  | "contracts"
  | "events"
  | "audit"
  | "imports"
  | "reports"
  | "calendar";

/**
 * What an operation answers: one document, a list streamed row by row,
 * nothing (204), or a body of another media type (served by hand: the
 * calendar feed).
 */
export type Answer = { one: z.ZodType } | { stream: z.ZodType } | { none: true } | { media: string };

/** A request whose body is a file, streamed (an import): its media type by `format`, and the most bytes read. */
export interface Upload {
  media: Readonly<Record<string, string>>;
  maxBytes: number;
}

/** One operation. */
export interface Operation {
  method: Method;
  /** Template with `{name}` segments, e.g. `/api/v1/clients/{id}`. */
  path: string;
  /** One line: what it does. */
  summary: string;
  tag: Tag;
  /** The `{name}` segments of the path. */
  params?: z.ZodObject;
  /** The query string. */
  query?: z.ZodObject;
  /** The JSON body. */
  body?: z.ZodType;
  /** The body is a file, streamed to the operation as `file` (no JSON body then). */
  upload?: Upload;
  answer: Answer;
  /** Status of success (default 200; 204 for an operation that answers nothing). */
  status?: 200 | 201;
  /** The permission checked before anything else (the service checks it again, and ownership). */
  permission?: Action;
  /** `false`: no token needed (default: a bearer token is). */
  auth?: false;
  /** It answers records whose `display` names the API adds on `?display=true`. */
  display?: true;
  /** Served and called by hand (see the module's documentation). */
  special?: true;
}

/** `GET /healthz`, `GET /readyz`. */
export const statusSchema = z.strictObject({ status: z.string() });

/** The CLI's JSON error object: `{"error":{"code","message","field"}}`. */
export const errorSchema = z.strictObject({
  error: z.strictObject({
    code: ERROR_CODE,
    message: z.string(),
    field: z.string().optional(),
  }),
});

/** What a collaborator delete did (or, dry, would do). */
export const userDeletionSchema = z.strictObject({
  id: ID.describe("The collaborator deleted."),
  reassigned_to: ID.nullable().describe("Who took over what they owned, or null when they owned nothing."),
  reassigned: z.strictObject({ clients: COUNT, contracts: COUNT, events: COUNT })
    .describe("How many clients, contracts and events moved to reassigned_to."),
});

/** What a client delete did (or would do). */
export const clientDeletionSchema = z.strictObject({
  id: ID.describe("The client deleted."),
  deleted_contracts: COUNT.describe("Its contracts deleted with it (cascade)."),
  deleted_events: COUNT.describe("Its events deleted with it (cascade)."),
});

/** What a contract delete did (or would do). */
export const contractDeletionSchema = z.strictObject({
  id: ID.describe("The contract deleted."),
  deleted_events: COUNT.describe("Its events deleted with it (cascade)."),
});

/** What an event delete did (or would do). */
export const eventDeletionSchema = z.strictObject({ id: ID.describe("The event deleted.") });

/** A signature: the contract, and whether it was signed already (then nothing changed). */
export const signatureSchema = z.strictObject({
  contract: contractRecord,
  already_signed: z.boolean().describe("Whether it was signed before (then nothing changed)."),
});

/** Every operation, in the order of the OpenAPI document. */
export const OPERATIONS = {
  health: {
    method: "GET",
    path: "/healthz",
    summary: "the process is alive (no token needed)",
    tag: "operations",
    auth: false,
    answer: { one: statusSchema },
    special: true,
  },
  ready: {
    method: "GET",
    path: "/readyz",
    summary: "the database is reachable and its migrations are current (no token needed); 503 otherwise",
    tag: "operations",
    auth: false,
    answer: { one: statusSchema },
    special: true,
  },
  openapi: {
    method: "GET",
    path: "/api/v1/openapi.json",
    summary: "this API's OpenAPI 3.1 document, generated from the contract (no token needed)",
    tag: "operations",
    auth: false,
    answer: { one: z.object({ openapi: z.string() }).loose() },
    special: true,
  },

  login: {
    method: "POST",
    path: "/api/v1/sessions",
    summary: "log in: a bearer token for the other routes (throttled per email and per client address)",
    tag: "sessions",
    auth: false,
    body: credentialsSchema,
    answer: { one: loginAnswerSchema },
    status: 201,
    special: true,
  },
  whoami: {
    method: "GET",
    path: "/api/v1/sessions/current",
    summary: "who the token belongs to, and when it expires",
    tag: "sessions",
    answer: { one: meSchema },
  },
  logout: {
    method: "DELETE",
    path: "/api/v1/sessions/current",
    summary: "log out: the token is revoked (an expired or invalid one needs no revocation: revoked false)",
    tag: "sessions",
    auth: false,
    answer: { one: logoutAnswerSchema },
    special: true,
  },
  logoutAll: {
    method: "DELETE",
    path: "/api/v1/sessions",
    summary: "end every session of the token's collaborator, this one included",
    tag: "sessions",
    answer: { one: logoutAllAnswerSchema },
    special: true,
  },

  listUsers: {
    method: "GET",
    path: "/api/v1/users",
    summary: "collaborators, by id",
    tag: "users",
    query: userListSchema,
    answer: { stream: userRecord },
    display: true,
  },
  createUser: {
    method: "POST",
    path: "/api/v1/users",
    summary: "create a collaborator (MANAGEMENT)",
    tag: "users",
    body: newUserSchema,
    answer: { one: userRecord },
    status: 201,
    permission: "user.create",
    display: true,
  },
  getUser: {
    method: "GET",
    path: "/api/v1/users/{id}",
    summary: "one collaborator",
    tag: "users",
    params: BY_ID,
    answer: { one: userRecord },
    display: true,
  },
  updateUser: {
    method: "PATCH",
    path: "/api/v1/users/{id}",
    summary: "change a collaborator (MANAGEMENT); only the fields given change",
    tag: "users",
    params: BY_ID,
    body: userChangesSchema,
    answer: { one: userRecord },
    permission: "user.update",
    display: true,
  },
  deleteUser: {
    method: "DELETE",
    path: "/api/v1/users/{id}",
    summary: "delete a collaborator (MANAGEMENT); one who owns data needs reassign_to",
    tag: "users",
    params: BY_ID,
    query: userDeleteSchema,
    answer: { one: userDeletionSchema },
    permission: "user.delete",
  },

  listClients: {
    method: "GET",
    path: "/api/v1/clients",
    summary: "clients, by id (filters combine)",
    tag: "clients",
    query: clientListSchema,
    answer: { stream: clientRecord },
    display: true,
  },
  createClient: {
    method: "POST",
    path: "/api/v1/clients",
    summary: "create a client (SALES: it is theirs; MANAGEMENT: names its sales contact)",
    tag: "clients",
    body: clientCreateSchema,
    answer: { one: clientRecord },
    status: 201,
    permission: "client.create",
    display: true,
  },
  getClient: {
    method: "GET",
    path: "/api/v1/clients/{id}",
    summary: "one client",
    tag: "clients",
    params: BY_ID,
    answer: { one: clientRecord },
    display: true,
  },
  updateClient: {
    method: "PATCH",
    path: "/api/v1/clients/{id}",
    summary: "change a client; only the fields given change",
    tag: "clients",
    params: BY_ID,
    body: clientUpdateSchema,
    answer: { one: clientRecord },
    permission: "client.update",
    display: true,
  },
  deleteClient: {
    method: "DELETE",
    path: "/api/v1/clients/{id}",
    summary: "delete a client (MANAGEMENT); one with contracts needs cascade",
    tag: "clients",
    params: BY_ID,
    query: clientDeleteSchema,
    answer: { one: clientDeletionSchema },
    permission: "client.delete",
  },

  listContracts: {
    method: "GET",
    path: "/api/v1/contracts",
    summary: "contracts, by id (filters combine)",
    tag: "contracts",
    query: contractListSchema,
    answer: { stream: contractRecord },
    display: true,
  },
  createContract: {
    method: "POST",
    path: "/api/v1/contracts",
    summary: "create a contract (amount_due defaults to total_amount)",
    tag: "contracts",
    body: contractCreateSchema,
    answer: { one: contractRecord },
    status: 201,
    permission: "contract.create",
    display: true,
  },
  getContract: {
    method: "GET",
    path: "/api/v1/contracts/{id}",
    summary: "one contract",
    tag: "contracts",
    params: BY_ID,
    answer: { one: contractRecord },
    display: true,
  },
  updateContract: {
    method: "PATCH",
    path: "/api/v1/contracts/{id}",
    summary: "change a contract's amounts or signed status",
    tag: "contracts",
    params: BY_ID,
    body: contractUpdateSchema,
    answer: { one: contractRecord },
    permission: "contract.update",
    display: true,
  },
  signContract: {
    method: "POST",
    path: "/api/v1/contracts/{id}/sign",
    summary: "sign a contract (signing a signed one changes nothing: already_signed true)",
    tag: "contracts",
    params: BY_ID,
    answer: { one: signatureSchema },
    permission: "contract.sign",
    display: true,
  },
  deleteContract: {
    method: "DELETE",
    path: "/api/v1/contracts/{id}",
    summary: "delete a contract (MANAGEMENT); one with events needs cascade",
    tag: "contracts",
    params: BY_ID,
    query: contractDeleteSchema,
    answer: { one: contractDeletionSchema },
    permission: "contract.delete",
  },

  listEvents: {
    method: "GET",
    path: "/api/v1/events",
    summary: "events, by id (filters combine)",
    tag: "events",
    query: eventListSchema,
    answer: { stream: eventRecord },
    display: true,
  },
  createEvent: {
    method: "POST",
    path: "/api/v1/events",
    summary: "create an event for a signed contract (dates as ISO 8601 instants)",
    tag: "events",
    body: eventCreateSchema("UTC"),
    answer: { one: eventRecord },
    status: 201,
    permission: "event.create",
    display: true,
  },
  getEvent: {
    method: "GET",
    path: "/api/v1/events/{id}",
    summary: "one event",
    tag: "events",
    params: BY_ID,
    answer: { one: eventRecord },
    display: true,
  },
  updateEvent: {
    method: "PATCH",
    path: "/api/v1/events/{id}",
    summary: 'change an event; notes "" or null clears them',
    tag: "events",
    params: BY_ID,
    body: eventUpdateSchema("UTC"),
    answer: { one: eventRecord },
    permission: "event.update",
    display: true,
  },
  assignEvent: {
    method: "POST",
    path: "/api/v1/events/{id}/assign",
    summary: "assign or change an event's support contact (MANAGEMENT)",
    tag: "events",
    params: BY_ID,
    body: eventAssignSchema,
    answer: { one: eventRecord },
    permission: "event.assign",
    display: true,
  },
  deleteEvent: {
    method: "DELETE",
    path: "/api/v1/events/{id}",
    summary: "delete an event (MANAGEMENT)",
    tag: "events",
    params: BY_ID,
    query: eventDeleteSchema,
    answer: { one: eventDeletionSchema },
    permission: "event.delete",
  },

  listAudit: {
    method: "GET",
    path: "/api/v1/audit",
    summary: "the audit trail, oldest first (MANAGEMENT; filters combine)",
    tag: "audit",
    query: auditListSchema("UTC"),
    answer: { stream: auditRecord },
    permission: "audit.read",
  },

  importFile: {
    method: "POST",
    path: "/api/v1/imports/{entity}",
    summary: "import clients, contracts or events from a CSV or JSON Lines file (the body), all or nothing; " +
      "a file with bad lines answers committed false and every line's errors",
    tag: "imports",
    params: importParamsSchema,
    query: importQuerySchema,
    upload: { media: IMPORT_MEDIA, maxBytes: MAX_IMPORT_BYTES },
    answer: { one: importResultSchema },
  },

  pipelineReport: {
    method: "GET",
    path: "/api/v1/reports/pipeline",
    summary: "contracts by state (unsigned, signed and unpaid, paid) per sales contact: count, total, amount due",
    tag: "reports",
    answer: { one: REPORT_ANSWERS.pipeline },
  },
  revenueReport: {
    method: "GET",
    path: "/api/v1/reports/revenue",
    summary: "signed totals per month (default: the last 12 months)",
    tag: "reports",
    query: reportRangeSchema,
    answer: { one: REPORT_ANSWERS.revenue },
  },
  eventsReport: {
    method: "GET",
    path: "/api/v1/reports/events",
    summary: "events per month: their attendees, and those upcoming without support",
    tag: "reports",
    query: reportRangeSchema,
    answer: { one: REPORT_ANSWERS.events },
  },
  workloadReport: {
    method: "GET",
    path: "/api/v1/reports/workload",
    summary: "per support contact: upcoming events and attendees in the next 30 and 90 days",
    tag: "reports",
    answer: { one: REPORT_ANSWERS.workload },
  },

  calendarEvents: {
    method: "GET",
    path: "/api/v1/calendar/events",
    summary: "the events event list lists with the same filters, as calendar entries (event list --format ics)",
    tag: "calendar",
    query: eventListSchema,
    answer: { stream: calendarEntrySchema },
  },
  calendarUrl: {
    method: "POST",
    path: "/api/v1/calendar/feed",
    summary: "make the caller's private calendar feed key, shown once (409 when they have one: reset it)",
    tag: "calendar",
    answer: { one: feedKeySchema },
    status: 201,
    permission: "calendar.subscribe",
  },
  calendarReset: {
    method: "POST",
    path: "/api/v1/calendar/feed/reset",
    summary: "replace the caller's calendar feed key; the old address answers 404 from then on",
    tag: "calendar",
    answer: { one: feedKeySchema },
    permission: "calendar.subscribe",
  },
  calendarFeed: {
    method: "GET",
    path: "/api/v1/calendar.ics",
    summary: "the private calendar feed of a key's owner (RFC 5545; no token: the key is the secret; " +
      "404 for an unknown or replaced key)",
    tag: "calendar",
    auth: false,
    query: feedQuerySchema,
    answer: { media: "text/calendar" },
    special: true,
  },
} as const satisfies Record<string, Operation>;

/** The table's type. */
export type Operations = typeof OPERATIONS;

/** The name of an operation. */
export type OperationName = keyof Operations;

/** The operations the port runs through its one call path (all but the special ones). */
export type PortOperation = {
  [K in OperationName]: Operations[K] extends { special: true } ? never : K;
}[OperationName];

type InputPart<O, P extends "params" | "query" | "body"> = O extends { [Q in P]: infer S extends z.ZodType }
  ? z.input<S>
  : unknown;

/** The file of an operation that uploads one: its bytes as they are read. */
type FilePart<O> = O extends { upload: Upload } ? { file: AsyncIterable<Uint8Array> } : unknown;

/**
 * What operation `K` takes through the port: its path parameters, query and
 * body in one object (and the file it uploads, as `file`).
 */
export type InputOf<K extends OperationName> =
  & InputPart<Operations[K], "params">
  & InputPart<Operations[K], "query">
  & InputPart<Operations[K], "body">
  & FilePart<Operations[K]>;

/** One document operation `K` answers (for a list: one row). */
export type AnswerOf<K extends OperationName> = Operations[K]["answer"] extends { one: infer S extends z.ZodType }
  ? z.output<S>
  : Operations[K]["answer"] extends { stream: infer S extends z.ZodType } ? z.output<S>
  : void;

/** What operation `K` answers through the port: a document, or the rows of a list as they come. */
export type OutputOf<K extends OperationName> = Operations[K]["answer"] extends { stream: z.ZodType }
  ? AsyncIterable<AnswerOf<K>>
  : AnswerOf<K>;

/** The operations that answer a list. */
export type ListOperation = {
  [K in PortOperation]: Operations[K]["answer"] extends { stream: z.ZodType } ? K : never;
}[PortOperation];
