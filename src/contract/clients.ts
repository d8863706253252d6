/**
 * Clients: the record (`client show --json`), and what `client create`,
 * `client update` and `client list` take.
 * @module
 */
import * as z from "zod";
import {
  booleanField,
  emailField,
  hasSomeField,
  idField as idRule,
  NOTHING_TO_UPDATE_REASON,
  phoneField,
  searchField,
  textField,
} from "../domain/schemas/fields.ts";
import { CASCADE, display, DRY_RUN, field, filter, idField, instantField, PAGE, record } from "./meta.ts";

/** A client. */
export const clientRecord = record({
  id: idField("The client's id.", { label: "ID" }),
  full_name: field(z.string(), "The client's full name.", {
    label: "NAME",
    input: { arg: "name", help: "the client's full name", prompt: "Full name", required: true },
  }),
  email: field(z.string(), "The client's email address (unique).", {
    label: "EMAIL",
    input: { arg: "email", help: "email (unique)", prompt: "Email", required: true },
  }),
  phone: field(z.string(), "The client's phone number.", {
    label: "PHONE",
    input: { arg: "phone", help: "phone number", prompt: "Phone", required: true },
  }),
  company_name: field(z.string(), "The client's company.", {
    label: "COMPANY",
    input: { arg: "name", help: "company", prompt: "Company", required: true },
  }),
  sales_contact_id: idField("The SALES collaborator in charge of the client (who owns it).", {
    label: "SALES CONTACT ID",
    input: {
      arg: "user_id",
      help: "the SALES collaborator in charge (a SALES collaborator's new clients are their own)",
      updateHelp: "reassign to another SALES collaborator (MANAGEMENT only)",
      prompt: "Sales contact",
      required: "MANAGEMENT",
      choices: "sales",
    },
  }),
  created_at: instantField("When the client was created (ISO 8601, `Z`).", "CREATED AT"),
  last_updated: instantField("When the client last changed (ISO 8601, `Z`).", "LAST UPDATED"),
  display: display("sales_contact_name"),
}, {
  noun: "client",
  list: ["id", "full_name", "company_name", "email", "phone", "sales_contact_name"],
  more: ["sales_contact_id", "created_at", "last_updated"],
});

/** A client, as `--json` prints it (and `display` for tables). */
export type ClientRecord = z.output<typeof clientRecord>;

/** Most characters of a client's full name or company name. */
const NAME_MAX = 100;

/**
 * `client create`: full_name, email, phone, company_name, sales_contact_id
 * (optional: a SALES collaborator's clients are their own). Unknown keys are
 * refused.
 */
export const clientCreateSchema = z.strictObject({
  full_name: textField(1, NAME_MAX),
  email: emailField,
  phone: phoneField,
  company_name: textField(1, NAME_MAX),
  sales_contact_id: idRule.optional(),
});

/** `client update`: every field optional, including sales_contact_id. At least one field; unknown keys are refused. */
export const clientUpdateSchema = clientCreateSchema.partial().refine(hasSomeField, {
  error: NOTHING_TO_UPDATE_REASON,
});

/** `client list`: mine, search (blank → undefined), paging. */
export const clientListSchema = z.strictObject({
  mine: filter(booleanField.optional(), "only my clients (I am their sales contact)"),
  search: filter(searchField, "only clients whose name, email or company has TEXT (any case)", { arg: "text" }),
  ...PAGE,
});

/** What a caller gives `client create`. */
export type ClientCreateInput = z.input<typeof clientCreateSchema>;
/** A validated `client create`: trimmed, email lower-cased. */
export type ClientCreateData = z.output<typeof clientCreateSchema>;
/** What a caller gives `client update`. */
export type ClientUpdateInput = z.input<typeof clientUpdateSchema>;

/** `client delete`: cascade (its contracts and events too), dry_run. */
export const clientDeleteSchema = z.strictObject({ cascade: CASCADE, dry_run: DRY_RUN });
