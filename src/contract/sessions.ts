/**
 * Sessions: who is logged in (`whoami --json`), and what `login` and
 * `logout` take and answer.
 * @module
 */
import * as z from "zod";
import { emailField, typeError } from "../domain/schemas/fields.ts";
import { ID, INSTANT, ROLE } from "./meta.ts";
import { passwordSchema, userRecord } from "./users.ts";

/**
 * `login`: email (trimmed, at most 100 characters, valid, lower-cased) and
 * password (any text, kept exactly as given: it is never trimmed, and its
 * length rules are those of the stored hash, checked by the password
 * verifier). Unknown keys are refused.
 */
export const loginSchema = z.strictObject({
  email: emailField,
  password: z.string({ error: typeError("errors.reason.text") }),
});

/** What a caller gives `login`. */
export type LoginInput = z.input<typeof loginSchema>;

/**
 * The body of `POST /api/v1/sessions`: checked for types only, so that a
 * malformed email is answered like an unknown one (throttled, in the same
 * time), never by a different error.
 */
export const credentialsSchema = z.object({
  email: z.string({ error: typeError("errors.reason.text") }),
  password: passwordSchema,
});

/** Who is logged in, and until when (`whoami --json`). */
export const meSchema = z.strictObject({
  id: ID.describe("The logged-in collaborator's id."),
  email: z.string().describe("Their email address."),
  first_name: z.string().describe("Their first name."),
  last_name: z.string().describe("Their last name."),
  role: ROLE.describe("Their role, as stored now (not as the token says)."),
  expires_at: INSTANT.describe("When the session expires (ISO 8601, `Z`)."),
});

/** Who is logged in, and until when. */
export type Me = z.output<typeof meSchema>;

/** `POST /api/v1/sessions`: the new session's bearer token. */
export const loginAnswerSchema = z.strictObject({
  token: z.string().describe("bearer token for the Authorization header; keep it secret"),
  expires_at: INSTANT,
  user: userRecord,
});

/** `DELETE /api/v1/sessions/current`. */
export const logoutAnswerSchema = z.strictObject({
  revoked: z.boolean().describe("false when the token was already expired, invalid or revoked"),
});

/** `DELETE /api/v1/sessions`. */
export const logoutAllAnswerSchema = z.strictObject({
  revoked: z.boolean().describe("true: every session of the collaborator has ended"),
});
