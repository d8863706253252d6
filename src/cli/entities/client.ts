/** A client's fields, declared once. @module */
import type { ClientRecord } from "../../port/crm.ts";
import { columns, type Entity, userChoices } from "../entity.ts";
import { checkClient } from "./checks.ts";

/** Clients. */
export const CLIENT: Entity<ClientRecord> = {
  noun: "client",
  fields: [
    { name: "id", title: "ID", show: "number" },
    {
      name: "full_name",
      title: "NAME",
      input: {
        flag: "--full-name",
        arg: "name",
        help: "the client's full name",
        kind: "text",
        required: true,
        prompt: "Full name",
      },
    },
    {
      name: "email",
      title: "EMAIL",
      input: { flag: "--email", arg: "email", help: "email (unique)", kind: "text", required: true, prompt: "Email" },
    },
    {
      name: "phone",
      title: "PHONE",
      input: { flag: "--phone", arg: "phone", help: "phone number", kind: "text", required: true, prompt: "Phone" },
    },
    {
      name: "company_name",
      title: "COMPANY",
      input: { flag: "--company-name", arg: "name", help: "company", kind: "text", required: true, prompt: "Company" },
    },
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
  detail: [
    "id",
    "full_name",
    "company_name",
    "email",
    "phone",
    "sales_contact_name",
    "sales_contact_id",
    "created_at",
    "last_updated",
  ],
  check: checkClient,
};

/** Columns of `client list`. */
export const CLIENT_LIST = columns(CLIENT, "list");
/** Rows of `client show`. */
export const CLIENT_DETAIL = columns(CLIENT, "detail");
