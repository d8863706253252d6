/** `epic-events client list | show | create | update | delete`. @module */
import type { Command } from "@commander-js/extra-typings";
import { clientCreateSchema } from "../../domain/schemas/mod.ts";
import { createClient, deleteClient, getClient, listClients, updateClient } from "../../services/clients.ts";
import { listUsers } from "../../services/users.ts";
import type { ServiceContext } from "../../services/context.ts";
import { confirmDeletion } from "../confirm.ts";
import { type FieldSpec, parseId, requireFields } from "../fields.ts";
import { showList } from "../lists.ts";
import { printMessage, printRecord } from "../output.ts";
import type { Runtime } from "../runtime.ts";
import { CLIENT_COLUMNS, CLIENT_DETAIL, clientJson } from "../views.ts";

const CLIENT_FIELDS: readonly FieldSpec[] = [
  { field: "full_name", flag: "--full-name", label: "Full name" },
  { field: "email", flag: "--email", label: "Email" },
  { field: "phone", flag: "--phone", label: "Phone" },
  { field: "company_name", flag: "--company-name", label: "Company" },
];

/** A select prompt of collaborators with `role`. */
export function userChoices(ctx: ServiceContext, role: "SALES" | "SUPPORT") {
  return async () =>
    (await listUsers(ctx, { role })).map((u) => ({ name: `${u.first_name} ${u.last_name} <${u.email}>`, value: u.id }));
}

/** Registers `client`. */
export function registerClient(program: Command, rt: Runtime): void {
  const client = program.command("client").description("manage clients");

  client.command("list").description("list clients")
    .option("--mine", "only my clients (I am their sales contact)")
    .option("--search <text>", "match names, emails and company, case-insensitively")
    .option("--limit <n>", "at most N rows (a terminal shows 100 by default)")
    .option("--offset <n>", "skip N rows")
    .action(async (opts) => {
      const ctx = await rt.context();
      await showList(
        rt,
        opts,
        (page) => listClients(ctx, { mine: opts.mine, search: opts.search, ...page }),
        CLIENT_COLUMNS,
        clientJson,
      );
    });

  client.command("show").description("show one client").argument("<id>", "client id")
    .action(async (id) => {
      const ctx = await rt.context();
      await printRecord(rt.io, rt, await getClient(ctx, parseId(id)), CLIENT_DETAIL, { json: clientJson });
    });

  client.command("create").description("create a client (SALES: assigned to you)")
    .option("--full-name <name>", "the client's full name")
    .option("--email <email>", "email (unique)")
    .option("--phone <phone>", "phone number")
    .option("--company-name <name>", "company")
    .option("--sales-contact-id <user_id>", "the SALES collaborator in charge (MANAGEMENT only)")
    .action(async (opts) => {
      const ctx = await rt.context();
      const required = ctx.actor!.role === "MANAGEMENT"
        ? [...CLIENT_FIELDS, {
          field: "sales_contact_id",
          flag: "--sales-contact-id",
          label: "Sales contact",
          choices: userChoices(ctx, "SALES"),
        }]
        : CLIENT_FIELDS;
      const values = await requireFields(
        rt,
        {
          full_name: opts.fullName,
          email: opts.email,
          phone: opts.phone,
          company_name: opts.companyName,
          sales_contact_id: opts.salesContactId,
        },
        required,
        clientCreateSchema,
      );
      await printRecord(rt.io, rt, await createClient(ctx, values), CLIENT_DETAIL, { json: clientJson });
    });

  client.command("update").description("update a client (only the given fields change)")
    .argument("<id>", "client id")
    .option("--full-name <name>", "the client's full name")
    .option("--email <email>", "email (unique)")
    .option("--phone <phone>", "phone number")
    .option("--company-name <name>", "company")
    .option("--sales-contact-id <user_id>", "reassign to another SALES collaborator (MANAGEMENT only)")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const updated = await updateClient(ctx, parseId(id), {
        full_name: opts.fullName,
        email: opts.email,
        phone: opts.phone,
        company_name: opts.companyName,
        sales_contact_id: opts.salesContactId,
      });
      await printRecord(rt.io, rt, updated, CLIENT_DETAIL, { json: clientJson });
    });

  client.command("delete").description("delete a client (MANAGEMENT)")
    .argument("<id>", "client id")
    .option("--cascade", "also delete its contracts and events")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const clientId = parseId(id);
      if (!await confirmDeletion(rt, `client ${clientId}`, opts.yes)) return;
      const result = await deleteClient(ctx, clientId, { cascade: opts.cascade });
      if (rt.json) await printRecord(rt.io, rt, { deleted: true, ...result }, []);
      else {
        printMessage(
          rt.io,
          rt,
          `Deleted client ${clientId}` +
            (result.deleted_contracts + result.deleted_events > 0
              ? ` with ${result.deleted_contracts} contract(s) and ${result.deleted_events} event(s).`
              : "."),
        );
      }
    });
}
