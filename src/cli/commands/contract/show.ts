/** `epic-events contract show ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { CONTRACT_DETAIL } from "../../entities/contract.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../record.ts";

/** What `contract show --help` shows. */
export const spec: VerbSpec = {
  name: "show",
  summary: "show one contract",
  args: [{ name: "id", help: "contract id" }],
  flags: [],
  examples: ["contract show 7", "contract show 7 --format json"],
  env: TABLE_ENV,
};

/** Reads `<id>`. */
export function parse(input: VerbInput): RecordOptions {
  return parseRecord(input);
}

/** Prints the contract. */
export async function run(options: RecordOptions, deps: Deps): Promise<void> {
  await showRecord(deps, CONTRACT_DETAIL, options.format, await deps.crm.getContract(options.id));
}
