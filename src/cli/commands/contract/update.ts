/** `epic-events contract update ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { fieldFlags, type FieldValues, readFields, updateValues } from "../../entity.ts";
import { CONTRACT, CONTRACT_DETAIL } from "../../entities/contract.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../record.ts";
import type { ContractChanges } from "../../../port/crm.ts";

/** Options of `contract update`. */
export interface ContractUpdateOptions extends RecordOptions {
  fields: FieldValues<ContractChanges>;
}

/** What `contract update --help` shows. */
export const spec: VerbSpec = {
  name: "update",
  summary: "update a contract's amounts or signed status (only the given fields change)",
  args: [{ name: "id", help: "contract id" }],
  flags: fieldFlags(CONTRACT, "update"),
  examples: ["contract update 7 --due 250.50", "contract update 7 --signed-status yes"],
  env: TABLE_ENV,
};

/** Reads `<id>` and the fields to change. */
export function parse(input: VerbInput): ContractUpdateOptions {
  return { ...parseRecord(input), fields: readFields(CONTRACT, "update", input) };
}

/** Updates the contract and prints it. */
export async function run(options: ContractUpdateOptions, deps: Deps): Promise<void> {
  const changes = updateValues(CONTRACT, options.fields, deps);
  await showRecord(deps, CONTRACT_DETAIL, options.format, await deps.crm.updateContract(options.id, changes));
}
