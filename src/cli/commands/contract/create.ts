/** `epic-events contract create --client ID --total AMOUNT [--due AMOUNT]`. @module */
import { type Deps, outputFormat, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { completeFields, fieldFlags, type FieldValues, readFields } from "../../entity.ts";
import { CONTRACT, CONTRACT_DETAIL } from "../../entities/contract.ts";
import type { Format } from "../../format.ts";
import { showRecord } from "../../record.ts";
import type { ContractRecord, NewContract } from "../../../port/crm.ts";

/** Options of `contract create`. */
export interface ContractCreateOptions {
  fields: FieldValues<NewContract>;
  format?: Format;
}

/** What `contract create --help` shows. */
export const spec: VerbSpec = {
  name: "create",
  summary: "create a contract (SALES: for your own clients); the amount due defaults to the total",
  flags: fieldFlags(CONTRACT, "create"),
  examples: ["contract create --client 3 --total 1500.50", "contract create --client 3 --total 1500 --due 500"],
  env: TABLE_ENV,
};

/** Reads the flags of `contract create`. */
export function parse(input: VerbInput): ContractCreateOptions {
  return { fields: readFields(CONTRACT, "create", input), format: outputFormat(input) };
}

/** Asks for what is missing (on a terminal), creates the contract and prints it. */
export async function run(options: ContractCreateOptions, deps: Deps): Promise<void> {
  const input = await completeFields<ContractRecord, NewContract>(CONTRACT, options.fields, deps);
  await showRecord(deps, CONTRACT_DETAIL, options.format, await deps.crm.createContract(input));
}
