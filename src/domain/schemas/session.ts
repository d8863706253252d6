/**
 * Schema of `login`, so that a login is validated before the database is
 * touched: an email longer than the column, or not an email at all, is
 * refused with exit 2 instead of reaching the throttling table.
 * @module
 */
import * as z from "zod";
import { emailField, typeError } from "./fields.ts";

/**
 * `login`: email (trimmed, at most 100 characters, valid, lower-cased) and
 * password (any text, kept exactly as given: it is never trimmed, and its
 * length rules are those of the stored hash, checked by the password
 * verifier). Unknown keys are refused.
 */
export const loginSchema = z.strictObject({
  email: emailField,
  password: z.string({ error: typeError("must be text") }),
});

/** What a caller gives `login`. */
export type LoginInput = z.input<typeof loginSchema>;
