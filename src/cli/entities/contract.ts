/** A contract's fields, declared once. @module */
import type { Choice } from "../command.ts";
import type { ContractChanges, ContractRecord, Crm, Me, NewContract } from "../../port/crm.ts";
import { columns, type PortEntity } from "../entity.ts";
import { checkContract, loadChecks } from "./checks.ts";

/** Clients a contract may be created for: a SALES collaborator's own, anyone's for MANAGEMENT. */
async function clientChoices(crm: Crm, me: Me): Promise<Choice<number>[]> {
  const choices: Choice<number>[] = [];
  for await (const c of crm.listClients({ mine: me.role === "SALES" })) {
    choices.push({ name: `${c.full_name} (${c.company_name})`, value: c.id });
  }
  return choices;
}

/** Contracts. */
export const CONTRACT: PortEntity<ContractRecord, NewContract, ContractChanges> = {
  noun: "contract",
  fields: [
    { name: "id", title: "ID", show: "number" },
    {
      name: "client_id",
      title: "CLIENT ID",
      show: "number",
      input: {
        flag: "--client",
        aliases: ["--client-id"],
        arg: "id",
        help: "the client",
        kind: "id",
        required: true,
        update: false,
        prompt: "Client",
        choices: clientChoices,
      },
    },
    {
      name: "total_amount",
      title: "TOTAL",
      show: "money",
      input: {
        flag: "--total",
        aliases: ["--total-amount"],
        arg: "amount",
        help: "total amount, e.g. 1500.50",
        kind: "money",
        required: true,
        prompt: "Total amount",
      },
    },
    {
      name: "amount_due",
      title: "DUE",
      show: "money",
      input: {
        flag: "--due",
        aliases: ["--amount-due"],
        arg: "amount",
        help: "amount still due (default: the total)",
        update: "amount still due",
        kind: "money",
        prompt: "Amount due",
      },
    },
    {
      name: "sales_contact_id",
      title: "SALES CONTACT ID",
      show: "number",
      input: {
        flag: "--sales-contact-id",
        arg: "user_id",
        help: "another SALES collaborator (MANAGEMENT only; default: the client's)",
        kind: "id",
        update: false,
        prompt: "Sales contact",
      },
    },
    {
      name: "signed_status",
      title: "SIGNED",
      show: "bool",
      input: {
        flag: "--signed-status",
        arg: "yes/no",
        help: "signed or not: true, false, yes or no",
        kind: "bool",
        create: false,
        prompt: "Signed",
      },
    },
    { name: "client_name", title: "CLIENT" },
    { name: "sales_contact_name", title: "SALES CONTACT" },
    { name: "created_at", title: "CREATED", show: "date" },
  ],
  list: ["id", "client_name", "sales_contact_name", "total_amount", "amount_due", "signed_status", "created_at"],
  more: ["client_id", "sales_contact_id"],
  port: {
    get: (crm, id) => crm.getContract(id),
    create: (crm, input) => crm.createContract(input),
    update: (crm, id, changes) => crm.updateContract(id, changes),
  },
  check: checkContract,
  prepare: loadChecks,
};

/** Columns of `contract list`. */
export const CONTRACT_LIST = columns(CONTRACT, "list");
/** Rows of `contract show`. */
export const CONTRACT_DETAIL = columns(CONTRACT, "detail");
