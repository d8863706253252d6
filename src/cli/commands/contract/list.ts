/** `epic-events contract list [--mine] [--unsigned] [--unpaid] [--client ID]`: its filters are the contract's (`listContracts`). @module */
import { CONTRACT } from "../../entities/contract.ts";
import { listVerb, type ListVerbOptions } from "../../verbs/standard.ts";

/** Options of `contract list`. */
export type ContractListOptions = ListVerbOptions<"listContracts">;

/** `contract list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(CONTRACT, "listContracts", {
  summary: "cli.contract.list.summary",
  examples: "cli.contract.list.examples",
});
