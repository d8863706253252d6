/** `epic-events contract list | show | create | update | sign | delete`. @module */
import type { Command } from "@commander-js/extra-typings";
import { contractCreateSchema } from "../../domain/schemas/mod.ts";
import { listClients } from "../../services/clients.ts";
import {
  type Contract,
  createContract,
  deleteContract,
  getContract,
  listContracts,
  signContract,
  updateContract,
} from "../../services/contracts.ts";
import { confirmDeletion } from "../confirm.ts";
import { parseId, requireFields } from "../fields.ts";
import { showList } from "../lists.ts";
import { type Column, printMessage, printRecord } from "../output.ts";
import type { Runtime } from "../runtime.ts";
import { CONTRACT_TSV, contractColumns, contractJson } from "../views.ts";

function columns(rt: Runtime): readonly Column<Contract>[] {
  return rt.io.stdoutIsTerminal ? contractColumns(rt.config().timeZone) : CONTRACT_TSV;
}

function printContract(rt: Runtime, contract: Contract): Promise<void> {
  return printRecord(rt.io, rt, contract, [
    ...columns(rt),
    { header: "CLIENT ID", value: (c) => c.client_id },
    { header: "SALES CONTACT ID", value: (c) => c.sales_contact_id },
  ], { json: contractJson });
}

/** Registers `contract`. */
export function registerContract(program: Command, rt: Runtime): void {
  const contract = program.command("contract").description("manage contracts");

  contract.command("list").description("list contracts (filters combine)")
    .option("--mine", "only contracts whose sales contact is me")
    .option("--unsigned", "only contracts not signed yet")
    .option("--unpaid", "only contracts with an amount due")
    .option("--client <id>", "only this client's contracts")
    .option("--limit <n>", "at most N rows (a terminal shows 100 by default)")
    .option("--offset <n>", "skip N rows")
    .action(async (opts) => {
      const ctx = await rt.context();
      await showList(
        rt,
        opts,
        (page) =>
          listContracts(ctx, {
            mine: opts.mine,
            unsigned: opts.unsigned,
            unpaid: opts.unpaid,
            client_id: opts.client,
            ...page,
          }),
        columns(rt),
        contractJson,
      );
    });

  contract.command("show").description("show one contract").argument("<id>", "contract id")
    .action(async (id) => {
      const ctx = await rt.context();
      await printContract(rt, await getContract(ctx, parseId(id)));
    });

  contract.command("create").description("create a contract (SALES: for your own clients)")
    .option("--client <id>", "the client")
    .option("--client-id <id>", "alias of --client")
    .option("--total <amount>", "total amount, e.g. 1500.50")
    .option("--total-amount <amount>", "alias of --total")
    .option("--due <amount>", "amount still due (default: the total)")
    .option("--amount-due <amount>", "alias of --due")
    .option("--sales-contact-id <user_id>", "another SALES collaborator (MANAGEMENT only; default: the client's)")
    .action(async (opts) => {
      const ctx = await rt.context();
      const values = await requireFields(rt, {
        client_id: opts.client ?? opts.clientId,
        total_amount: opts.total ?? opts.totalAmount,
        amount_due: opts.due ?? opts.amountDue,
        sales_contact_id: opts.salesContactId,
      }, [
        {
          field: "client_id",
          flag: "--client",
          label: "Client",
          choices: async () =>
            (await listClients(ctx, { mine: ctx.actor!.role === "SALES" })).rows.map((c) => ({
              name: `${c.full_name} (${c.company_name})`,
              value: c.id,
            })),
        },
        { field: "total_amount", flag: "--total", label: "Total amount" },
      ], contractCreateSchema);
      await printContract(rt, await createContract(ctx, values));
    });

  contract.command("update").description("update amounts or signed status (only the given fields change)")
    .argument("<id>", "contract id")
    .option("--total <amount>", "total amount")
    .option("--total-amount <amount>", "alias of --total")
    .option("--due <amount>", "amount still due")
    .option("--amount-due <amount>", "alias of --due")
    .option("--signed-status <bool>", "true or false")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const updated = await updateContract(ctx, parseId(id), {
        total_amount: opts.total ?? opts.totalAmount,
        amount_due: opts.due ?? opts.amountDue,
        signed_status: opts.signedStatus,
      });
      await printContract(rt, updated);
    });

  contract.command("sign").description("sign a contract (signing a signed one changes nothing)")
    .argument("<id>", "contract id")
    .action(async (id) => {
      const ctx = await rt.context();
      const signed = await signContract(ctx, parseId(id));
      if (!rt.json) {
        printMessage(
          rt.io,
          rt,
          signed.already_signed ? `Contract ${signed.id} was already signed.` : `Signed contract ${signed.id}.`,
        );
      }
      await printContract(rt, signed);
    });

  contract.command("delete").description("delete a contract (MANAGEMENT)")
    .argument("<id>", "contract id")
    .option("--cascade", "also delete its events")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const contractId = parseId(id);
      if (!await confirmDeletion(rt, `contract ${contractId}`, opts.yes)) return;
      const result = await deleteContract(ctx, contractId, { cascade: opts.cascade });
      if (rt.json) await printRecord(rt.io, rt, { deleted: true, ...result }, []);
      else {
        printMessage(
          rt.io,
          rt,
          `Deleted contract ${contractId}` + (result.deleted_events ? ` with ${result.deleted_events} event(s).` : "."),
        );
      }
    });
}
