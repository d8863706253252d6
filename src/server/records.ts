/**
 * The shapes the API answers with, as zod schemas: the records of the port
 * (`src/port/crm.ts`), which are the CLI's `--json` output, and the results
 * of the actions. They document the responses in the OpenAPI document and
 * let the tests check every answer against it; requests are described by the
 * schemas the services validate with (`src/domain/schemas/`).
 * @module
 */
import * as z from "zod";
import { ROLES } from "../domain/roles.ts";

const id = z.number().int().min(1);
const instant = z.iso.datetime({ offset: false }).describe("ISO 8601 instant in UTC, with Z");
const money = z.string().regex(/^-?\d+\.\d{2}$/).describe('exact decimal with two digits, e.g. "1500.00"');

/** Names shown beside ids in tables: present only with `?display=true`. */
export const displaySchema = z.object({
  client_name: z.string().optional(),
  sales_contact_name: z.string().optional(),
  support_contact_name: z.string().nullable().optional(),
}).strict().describe("names for tables; only with ?display=true, never part of the resource");

/** A collaborator, never with a secret. */
export const userRecordSchema = z.object({
  id,
  first_name: z.string(),
  last_name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  role: z.enum(ROLES),
  created_at: instant,
  updated_at: instant,
  display: displaySchema.optional(),
}).strict();

/** A client. */
export const clientRecordSchema = z.object({
  id,
  full_name: z.string(),
  email: z.string(),
  phone: z.string(),
  company_name: z.string(),
  sales_contact_id: id,
  created_at: instant,
  last_updated: instant,
  display: displaySchema.optional(),
}).strict();

/** A contract. */
export const contractRecordSchema = z.object({
  id,
  client_id: id,
  sales_contact_id: id,
  total_amount: money,
  amount_due: money,
  created_at: instant,
  signed_status: z.boolean(),
  display: displaySchema.optional(),
}).strict();

/** An event. */
export const eventRecordSchema = z.object({
  id,
  name: z.string(),
  contract_id: id,
  client_id: id,
  client_contact: z.string(),
  start_date: instant,
  end_date: instant,
  support_contact_id: id.nullable(),
  location: z.string(),
  attendees: z.number().int().min(0),
  notes: z.string().nullable(),
  display: displaySchema.optional(),
}).strict();

/** An entry of the audit trail (money in `changes` as decimal strings). */
export const auditRecordSchema = z.object({
  id,
  occurred_at: instant,
  actor_id: id.nullable(),
  action: z.string(),
  entity: z.string(),
  entity_id: id.nullable(),
  changes: z.record(z.string(), z.unknown()).nullable(),
}).strict();

/** `GET /api/v1/sessions/current`: who the token belongs to, and until when. */
export const meSchema = z.object({
  id,
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  role: z.enum(ROLES),
  expires_at: instant,
}).strict();

/** `POST /api/v1/sessions`: the new session's bearer token. */
export const loginResultSchema = z.object({
  token: z.string().describe("bearer token for the Authorization header; keep it secret"),
  expires_at: instant,
  user: userRecordSchema,
}).strict();

/** `DELETE /api/v1/sessions/current`. */
export const logoutResultSchema = z.object({
  revoked: z.boolean().describe("false when the token was already expired, invalid or revoked"),
}).strict();

/** `DELETE /api/v1/sessions`. */
export const logoutAllResultSchema = z.object({
  revoked: z.boolean().describe("true: every session of the collaborator has ended"),
}).strict();

/** `POST /api/v1/contracts/{id}/sign`. */
export const signatureSchema = z.object({
  contract: contractRecordSchema,
  already_signed: z.boolean(),
}).strict();

/** `DELETE /api/v1/users/{id}`. */
export const userDeletionSchema = z.object({
  id,
  reassigned_to: id.nullable(),
  reassigned: z.object({
    clients: z.number().int().min(0),
    contracts: z.number().int().min(0),
    events: z.number().int().min(0),
  }).strict(),
}).strict();

/** `DELETE /api/v1/clients/{id}`. */
export const clientDeletionSchema = z.object({
  id,
  deleted_contracts: z.number().int().min(0),
  deleted_events: z.number().int().min(0),
}).strict();

/** `DELETE /api/v1/contracts/{id}`. */
export const contractDeletionSchema = z.object({ id, deleted_events: z.number().int().min(0) }).strict();

/** `DELETE /api/v1/events/{id}`. */
export const eventDeletionSchema = z.object({ id }).strict();

/** The CLI's JSON error object. */
export const errorSchema = z.object({
  error: z.object({
    code: z.enum([
      "internal",
      "invalid_input",
      "not_authenticated",
      "permission_denied",
      "not_found",
      "conflict",
      "unavailable",
    ]),
    message: z.string(),
    field: z.string().optional(),
  }).strict(),
}).strict();

/** `GET /healthz`, `GET /readyz`. */
export const statusSchema = z.object({ status: z.string() }).strict();
