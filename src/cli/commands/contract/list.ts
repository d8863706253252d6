/** `epic-events contract list [--mine] [--unsigned] [--unpaid] [--client ID]`. @module */
import type { ContractQuery } from "../../../port/crm.ts";
import { CONTRACT } from "../../entities/contract.ts";
import { listVerb, type ListVerbOptions } from "../../verbs.ts";

/** Options of `contract list`. */
export type ContractListOptions = ListVerbOptions<ContractQuery>;

/** `contract list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(CONTRACT, {
  summary: "list contracts, by id (filters combine)",
  filters: [
    { flag: "--mine", key: "mine", help: "only contracts whose sales contact is me" },
    { flag: "--unsigned", key: "unsigned", help: "only contracts not signed yet" },
    { flag: "--unpaid", key: "unpaid", help: "only contracts with an amount due" },
    { flag: "--client", key: "clientId", arg: "id", kind: "id", field: "client_id", help: "only this client's" },
  ],
  fetch: (crm, query: ContractQuery) => crm.listContracts(query),
  examples: ["contract list --mine --unsigned", "contract list --unpaid --format csv > unpaid.csv"],
});
