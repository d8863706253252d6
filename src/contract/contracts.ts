/**
 * Contracts: the record (`contract show --json`; amounts as `"1500.00"`), and
 * what `contract create`, `contract update` and `contract list` take. Amounts
 * typed in come out of the input schemas in integer cents.
 * @module
 */
import * as z from "zod";
import { reason } from "../domain/messages.ts";
import {
  booleanField,
  hasSomeField,
  idField as idRule,
  moneyField as moneyRule,
  NOTHING_TO_UPDATE_REASON,
} from "../domain/schemas/fields.ts";
import { CASCADE, display, DRY_RUN, field, filter, idField, instantField, moneyField, PAGE, record } from "./meta.ts";

/** A contract; amounts are exact decimal strings such as `"1500.00"`. */
export const contractRecord = record({
  id: idField("The contract's id.", { label: "ID" }),
  client_id: idField("The client the contract is with.", {
    label: "CLIENT ID",
    input: {
      flag: "--client",
      aliases: ["--client-id"],
      arg: "id",
      help: "the client",
      prompt: "Client",
      required: true,
      update: false,
      choices: "clients",
    },
  }),
  sales_contact_id: idField("The SALES collaborator of the contract: its client's.", {
    label: "SALES CONTACT ID",
    input: {
      arg: "user_id",
      help: "another SALES collaborator (MANAGEMENT only; default: the client's)",
      prompt: "Sales contact",
      update: false,
    },
  }),
  total_amount: moneyField('The total, e.g. `"1500.00"`.', {
    label: "TOTAL",
    input: {
      flag: "--total",
      aliases: ["--total-amount"],
      arg: "amount",
      help: "total amount, e.g. 1500.50",
      prompt: "Total amount",
      required: true,
    },
  }),
  amount_due: moneyField('What remains to be paid, between 0 and the total, e.g. `"500.00"`.', {
    label: "DUE",
    input: {
      flag: "--due",
      aliases: ["--amount-due"],
      arg: "amount",
      help: "amount still due (default: the total)",
      updateHelp: "amount still due",
      prompt: "Amount due",
    },
  }),
  created_at: instantField("When the contract was created (ISO 8601, `Z`).", "CREATED"),
  signed_status: field(z.boolean(), "Whether the contract is signed (events need a signed contract).", {
    label: "SIGNED",
    show: "bool",
    input: {
      arg: "yes/no",
      help: "signed or not: true, false, yes or no",
      prompt: "Signed",
      create: false,
    },
  }),
  display: display("client_name", "sales_contact_name"),
}, {
  noun: "contract",
  list: ["id", "client_name", "sales_contact_name", "total_amount", "amount_due", "signed_status", "created_at"],
  more: ["client_id", "sales_contact_id"],
  ask: ["client_id", "total_amount", "amount_due"],
});

/** A contract, as `--json` prints it (and `display` for tables). */
export type ContractRecord = z.output<typeof contractRecord>;

/** Why an amount due above the total is refused (the field is `amount_due`). */
export const AMOUNT_DUE_ABOVE_TOTAL = reason("errors.contract.amount_due_above_total");

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
    client_id: idRule,
    total_amount: moneyRule,
    amount_due: moneyRule.optional(),
    sales_contact_id: idRule.optional(),
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
    total_amount: moneyRule.optional(),
    amount_due: moneyRule.optional(),
    signed_status: booleanField.optional(),
  })
  .refine(amountDueWithinTotal, { path: ["amount_due"], error: AMOUNT_DUE_ABOVE_TOTAL })
  .refine(hasSomeField, { error: NOTHING_TO_UPDATE_REASON });

/** `contract list`: mine, unsigned, unpaid, client, paging. */
export const contractListSchema = z.strictObject({
  mine: filter(booleanField.optional(), "only contracts whose sales contact is me"),
  unsigned: filter(booleanField.optional(), "only contracts not signed yet"),
  unpaid: filter(booleanField.optional(), "only contracts with an amount due"),
  client: filter(idRule.optional(), "only this client's", { arg: "id", kind: "id" }),
  ...PAGE,
});

/** What a caller gives `contract create` (amounts as `"1500.50"` or numbers). */
export type ContractCreateInput = z.input<typeof contractCreateSchema>;
/** A validated `contract create`: amounts in cents, `amount_due` defaulted. */
export type ContractCreateData = z.output<typeof contractCreateSchema>;

/** `contract delete`: cascade (its events too), dry_run. */
export const contractDeleteSchema = z.strictObject({ cascade: CASCADE, dry_run: DRY_RUN });
