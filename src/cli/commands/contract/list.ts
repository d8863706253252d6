/** `epic-events contract list [--mine] [--unsigned] [--unpaid] [--client ID]`. @module */
import { type Deps, isSet, TABLE_ENV, text, type VerbInput, type VerbSpec } from "../../command.ts";
import { CONTRACT_LIST } from "../../entities/contract.ts";
import { LIST_FLAGS, type ListOptions, parseList, printList } from "../../list.ts";
import { optionalFlag } from "../../values.ts";

/** Options of `contract list`. */
export interface ContractListOptions extends ListOptions {
  mine: boolean;
  unsigned: boolean;
  unpaid: boolean;
  clientId?: number;
}

/** What `contract list --help` shows. */
export const spec: VerbSpec = {
  name: "list",
  summary: "list contracts, by id (filters combine)",
  flags: [
    { flag: "--mine", help: "only contracts whose sales contact is me" },
    { flag: "--unsigned", help: "only contracts not signed yet" },
    { flag: "--unpaid", help: "only contracts with an amount due" },
    { flag: "--client", arg: "id", help: "only this client's contracts", field: "client_id" },
    ...LIST_FLAGS,
  ],
  examples: ["contract list --mine --unsigned", "contract list --unpaid --format csv > unpaid.csv"],
  env: TABLE_ENV,
};

/** Reads the flags of `contract list`. */
export function parse(input: VerbInput): ContractListOptions {
  return {
    ...parseList(input),
    mine: isSet(input, "--mine"),
    unsigned: isSet(input, "--unsigned"),
    unpaid: isSet(input, "--unpaid"),
    clientId: optionalFlag<number>(text(input, "--client"), "id", { flag: "--client", field: "client_id" }),
  };
}

/** Prints the contracts asked for. */
export async function run(options: ContractListOptions, deps: Deps): Promise<void> {
  const { mine, unsigned, unpaid, clientId } = options;
  await printList(
    deps,
    CONTRACT_LIST,
    options,
    (page) => deps.crm.listContracts({ mine, unsigned, unpaid, clientId, ...page }),
  );
}
