/**
 * Schema of what an import row may carry beside an entity's own fields: the
 * references by natural key (a client by email, a contract by its client and
 * creation order, a collaborator by id, email or display name) and a
 * contract's signed status.
 * @module
 */
import * as z from "zod";
import { booleanField, emailField, idField, limitField, textField } from "./fields.ts";

/** Most characters of a client's full name, as a reference. */
const CLIENT_NAME_MAX = 200;

/** Most characters of a collaborator's display name (`First Last`). */
const DISPLAY_NAME_MAX = 101;

/**
 * The references of an import row, all optional: `client_id`,
 * `client_email`, `client_name` (a unique full name), `contract_number` (1 for a client's first contract),
 * `signed_status`, and `sales_contact_…` / `support_contact_…` as `_id`,
 * `_email` or `_name`. Unknown keys are refused.
 */
export const importReferencesSchema = z.strictObject({
  client_id: idField.optional(),
  client_email: emailField.optional(),
  client_name: textField(1, CLIENT_NAME_MAX).optional(),
  contract_number: limitField.optional(),
  signed_status: booleanField.optional(),
  sales_contact_id: idField.optional(),
  sales_contact_email: emailField.optional(),
  sales_contact_name: textField(1, DISPLAY_NAME_MAX).optional(),
  support_contact_id: idField.optional(),
  support_contact_email: emailField.optional(),
  support_contact_name: textField(1, DISPLAY_NAME_MAX).optional(),
});

/** The keys of {@link importReferencesSchema}. */
export const IMPORT_REFERENCE_KEYS: readonly string[] = Object.keys(importReferencesSchema.shape);

/** A validated set of references. */
export type ImportReferences = z.output<typeof importReferencesSchema>;
