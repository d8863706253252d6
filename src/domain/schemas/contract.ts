/**
 * Schemas of contracts (`contract create`, `contract update`, `contract list`).
 * Amounts come out in integer cents.
 * @module
 */
import * as z from "zod";
import {
  booleanField,
  hasSomeField,
  idField,
  limitField,
  moneyField,
  NOTHING_TO_UPDATE,
  offsetField,
} from "./fields.ts";

/** Why an amount due above the total is refused (the field is `amount_due`). */
export const AMOUNT_DUE_ABOVE_TOTAL = "must not exceed total_amount";

/** The contract invariant: the amount due, when both are known, is at most the total (cents). */
export function amountDueWithinTotal(value: { total_amount?: number; amount_due?: number }): boolean {
  return value.amount_due === undefined || value.total_amount === undefined || value.amount_due <= value.total_amount;
}

/**
 * `contract create`: client_id, total_amount, amount_due (optional, defaults
 * to total_amount, at most total_amount), sales_contact_id (optional).
 * Unknown keys are refused.
 */
export const contractCreateSchema = z
  .strictObject({
    client_id: idField,
    total_amount: moneyField,
    amount_due: moneyField.optional(),
    sales_contact_id: idField.optional(),
  })
  .refine(amountDueWithinTotal, {
    path: ["amount_due"],
    error: AMOUNT_DUE_ABOVE_TOTAL,
  })
  .transform((value) => ({ ...value, amount_due: value.amount_due ?? value.total_amount }));

/**
 * `contract update`: total_amount, amount_due, signed_status, all optional
 * (cents; amount_due ≤ total_amount when both are given — otherwise the
 * service checks against the stored value). At least one field; unknown keys
 * are refused.
 */
export const contractUpdateSchema = z
  .strictObject({
    total_amount: moneyField.optional(),
    amount_due: moneyField.optional(),
    signed_status: booleanField.optional(),
  })
  .refine(amountDueWithinTotal, { path: ["amount_due"], error: AMOUNT_DUE_ABOVE_TOTAL })
  .refine(hasSomeField, { error: NOTHING_TO_UPDATE });

/** `contract list`: mine, unsigned, unpaid, client_id, limit, offset, display, all optional. */
export const contractFilterSchema = z.strictObject({
  mine: booleanField.optional(),
  unsigned: booleanField.optional(),
  unpaid: booleanField.optional(),
  client_id: idField.optional(),
  limit: limitField.optional(),
  offset: offsetField.optional(),
  /** false: rows without the names tables show (not looked up). */
  display: booleanField.optional(),
});

/** What a caller gives `contract create` (amounts as `"1500.50"` or numbers). */
export type ContractCreateInput = z.input<typeof contractCreateSchema>;
/** A validated `contract create`: amounts in cents, `amount_due` defaulted. */
export type ContractCreateData = z.output<typeof contractCreateSchema>;
/** What a caller gives `contract update`. */
export type ContractUpdateInput = z.input<typeof contractUpdateSchema>;
/** What a caller gives `contract list`. */
export type ContractFilterInput = z.input<typeof contractFilterSchema>;
