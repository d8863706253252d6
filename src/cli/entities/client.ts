/** A client's fields, declared once. @module */
import type { ClientChanges, ClientRecord, NewClient } from "../../port/crm.ts";
import { columns, type PortEntity, requiredText, userChoices } from "../entity.ts";
import { checkClient, loadChecks } from "./checks.ts";

/** Clients. */
export const CLIENT: PortEntity<ClientRecord, NewClient, ClientChanges> = {
  noun: "client",
  fields: [
    { name: "id", title: "ID", show: "number" },
    requiredText("full_name", "NAME", {
      flag: "--full-name",
      arg: "name",
      help: "the client's full name",
      prompt: "Full name",
    }),
    requiredText("email", "EMAIL", { flag: "--email", arg: "email", help: "email (unique)", prompt: "Email" }),
    requiredText("phone", "PHONE", { flag: "--phone", arg: "phone", help: "phone number", prompt: "Phone" }),
    requiredText("company_name", "COMPANY", {
      flag: "--company-name",
      arg: "name",
      help: "company",
      prompt: "Company",
    }),
    {
      name: "sales_contact_id",
      title: "SALES CONTACT ID",
      show: "number",
      input: {
        flag: "--sales-contact-id",
        arg: "user_id",
        help: "the SALES collaborator in charge (a SALES collaborator's new clients are their own)",
        update: "reassign to another SALES collaborator (MANAGEMENT only)",
        kind: "id",
        required: (me) => me.role === "MANAGEMENT",
        requiredNote: "for MANAGEMENT",
        prompt: "Sales contact",
        choices: userChoices("SALES"),
      },
    },
    { name: "sales_contact_name", title: "SALES CONTACT" },
    { name: "created_at", title: "CREATED AT", show: "date" },
    { name: "last_updated", title: "LAST UPDATED", show: "date" },
  ],
  list: ["id", "full_name", "company_name", "email", "phone", "sales_contact_name"],
  more: ["sales_contact_id", "created_at", "last_updated"],
  port: {
    get: (crm, id) => crm.getClient(id),
    create: (crm, input) => crm.createClient(input),
    update: (crm, id, changes) => crm.updateClient(id, changes),
  },
  check: checkClient,
  prepare: loadChecks,
};

/** Columns of `client list`. */
export const CLIENT_LIST = columns(CLIENT, "list");
/** Rows of `client show`. */
export const CLIENT_DETAIL = columns(CLIENT, "detail");
