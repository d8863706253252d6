/**
 * Collaborators: the record (`user show --json`), and what `user create`,
 * `user update`, `user list` and `init` take.
 * @module
 */
import * as z from "zod";
import { ROLES } from "../domain/roles.ts";
import {
  emailField,
  hasSomeField,
  idField as idRule,
  NOTHING_TO_UPDATE,
  nullablePhoneField,
  roleField,
  textField,
  typeError,
} from "../domain/schemas/fields.ts";
import { DRY_RUN, field, filter, idField, instantField, PAGE, record, ROLE } from "./meta.ts";

/** A collaborator (never with a secret). */
export const userRecord = record({
  id: idField("The collaborator's id.", { label: "ID" }),
  first_name: field(z.string(), "First name (1–50 characters).", {
    label: "FIRST NAME",
    input: { arg: "name", help: "first name", prompt: "First name", required: true },
  }),
  last_name: field(z.string(), "Last name (1–50 characters).", {
    label: "LAST NAME",
    input: { arg: "name", help: "last name", prompt: "Last name", required: true },
  }),
  email: field(z.string(), "Email address, unique whatever its case; stored lower-cased.", {
    label: "EMAIL",
    input: { arg: "email", help: "email (unique)", prompt: "Email", required: true },
  }),
  phone: field(z.string().nullable(), "Phone number, or null when none was given.", {
    label: "PHONE",
    input: { arg: "phone", help: "phone number", updateHelp: "phone number (empty clears it)", prompt: "Phone" },
  }),
  role: field(ROLE, "MANAGEMENT, SALES or SUPPORT.", {
    label: "ROLE",
    show: "role",
    input: {
      arg: "role",
      kind: "role",
      help: `${ROLES.join(", ")} (any case)`,
      prompt: "Role",
      required: true,
      choices: "roles",
    },
  }),
  created_at: instantField("When the collaborator was created (ISO 8601, `Z`).", "CREATED AT"),
  updated_at: instantField("When the collaborator last changed (ISO 8601, `Z`).", "UPDATED AT"),
}, {
  noun: "user",
  list: ["id", "first_name", "last_name", "email", "phone", "role"],
  more: ["created_at", "updated_at"],
});

/** A collaborator, as `--json` prints it. */
export type UserRecord = z.output<typeof userRecord>;

/** Most characters of a first or last name. */
const NAME_MAX = 50;

/** A password: only its type is checked here (the service checks 8 to 72 bytes). */
export const passwordSchema = z.string({ error: typeError("must be text") })
  .describe("8 to 72 bytes; never returned");

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
  ...userCreateSchema.shape,
  phone: nullablePhoneField,
}).partial().refine(hasSomeField, { error: NOTHING_TO_UPDATE });

/** `user create` through the port: the collaborator and the password (only its hash is kept). */
export const newUserSchema = userCreateSchema.safeExtend({ password: passwordSchema });

/** `user update` through the port: the fields to change, and a new password (ends their sessions). */
export const userChangesSchema = userUpdateSchema.safeExtend({ password: passwordSchema.optional() });

/** `user list`: role, paging. */
export const userListSchema = z.strictObject({
  role: filter(roleField.optional(), "only this role (any case)", { arg: "role", kind: "role" }),
  ...PAGE,
});

/** What a caller gives `user create` (ids, roles and phones as typed). */
export type UserCreateInput = z.input<typeof userCreateSchema>;
/** What a caller gives `user update`. */
export type UserUpdateInput = z.input<typeof userUpdateSchema>;
/** A validated `user update`: trimmed, role upper-cased, phone `null` when cleared. */
export type UserUpdateOutput = z.output<typeof userUpdateSchema>;

/** `user delete`: reassign_to (who takes over what they own), dry_run. */
export const userDeleteSchema = z.strictObject({
  reassign_to: idRule.optional().describe("move their clients, contracts and events to this collaborator"),
  dry_run: DRY_RUN,
});
