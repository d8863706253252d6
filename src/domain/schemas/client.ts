/**
 * Schemas of clients (`client create`, `client update`, `client list`).
 * @module
 */
import * as z from "zod";
import {
  booleanField,
  emailField,
  hasSomeField,
  idField,
  limitField,
  NOTHING_TO_UPDATE,
  offsetField,
  phoneField,
  searchField,
  textField,
} from "./fields.ts";

/** Most characters of a client's full name or company name. */
const NAME_MAX = 100;

/**
 * `client create`: full_name, email, phone, company_name, sales_contact_id
 * (optional). Unknown keys are refused.
 */
export const clientCreateSchema = z.strictObject({
  full_name: textField(1, NAME_MAX),
  email: emailField,
  phone: phoneField,
  company_name: textField(1, NAME_MAX),
  sales_contact_id: idField.optional(),
});

/**
 * `client update`: every field optional, including sales_contact_id. At
 * least one field; unknown keys are refused.
 */
export const clientUpdateSchema = z.strictObject({
  full_name: textField(1, NAME_MAX).optional(),
  email: emailField.optional(),
  phone: phoneField.optional(),
  company_name: textField(1, NAME_MAX).optional(),
  sales_contact_id: idField.optional(),
}).refine(hasSomeField, { error: NOTHING_TO_UPDATE });

/** `client list`: mine, search (blank → undefined), limit (≥ 1), offset (≥ 0), display, all optional. */
export const clientFilterSchema = z.strictObject({
  mine: booleanField.optional(),
  search: searchField,
  limit: limitField.optional(),
  offset: offsetField.optional(),
  /** false: rows without the names tables show (not looked up). */
  display: booleanField.optional(),
});

/** What a caller gives `client create`. */
export type ClientCreateInput = z.input<typeof clientCreateSchema>;
/** A validated `client create`: trimmed, email lower-cased. */
export type ClientCreateData = z.output<typeof clientCreateSchema>;
/** What a caller gives `client update`. */
export type ClientUpdateInput = z.input<typeof clientUpdateSchema>;
/** What a caller gives `client list`. */
export type ClientFilterInput = z.input<typeof clientFilterSchema>;
