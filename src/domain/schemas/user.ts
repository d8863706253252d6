/**
 * Schemas of collaborators (`user create`, `user update`, `init`).
 * @module
 */
import * as z from "zod";
import { emailField, hasSomeField, NOTHING_TO_UPDATE, nullablePhoneField, roleField, textField } from "./fields.ts";

/** Most characters of a first or last name. */
const NAME_MAX = 50;

/**
 * `user create` and `init`: first_name, last_name (1–50 characters), email,
 * phone (optional; `null`, `""` or absent → `null`), role (any case).
 * Unknown keys are refused.
 */
export const userCreateSchema = z.strictObject({
  first_name: textField(1, NAME_MAX),
  last_name: textField(1, NAME_MAX),
  email: emailField,
  phone: nullablePhoneField.transform((value) => value ?? null),
  role: roleField,
});

/**
 * `user update`: every field optional; `phone: null` or `""` clears the
 * phone. At least one field; unknown keys are refused.
 */
export const userUpdateSchema = z.strictObject({
  first_name: textField(1, NAME_MAX).optional(),
  last_name: textField(1, NAME_MAX).optional(),
  email: emailField.optional(),
  phone: nullablePhoneField,
  role: roleField.optional(),
}).refine(hasSomeField, { error: NOTHING_TO_UPDATE });

/** What a caller gives `user create` (ids, roles and phones as typed). */
export type UserCreateInput = z.input<typeof userCreateSchema>;
/** What a caller gives `user update`. */
export type UserUpdateInput = z.input<typeof userUpdateSchema>;
/** A validated `user update`: trimmed, role upper-cased, phone `null` when cleared. */
export type UserUpdateOutput = z.output<typeof userUpdateSchema>;
