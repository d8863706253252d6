/** `epic-events contract sign ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { CONTRACT_DETAIL } from "../../entities/contract.ts";
import { parseRecord, type RecordOptions, showRecord, tell } from "../../output/record.ts";
import { idArg } from "../../verbs/standard.ts";
import { t } from "../../../i18n/mod.ts";

/** What `contract sign --help` shows. */
export const spec: VerbSpec = {
  name: "sign",
  summary: "cli.contract.sign.summary",
  args: [idArg("contract")],
  flags: [],
  examples: "cli.contract.sign.examples",
  env: TABLE_ENV,
};

/** Reads `<id>`. */
export function parse(input: VerbInput): RecordOptions {
  return parseRecord(input);
}

/** Signs the contract, says so on stderr and prints it. */
export async function run(options: RecordOptions, deps: Deps): Promise<void> {
  const { contract, already_signed } = await deps.crm.call("signContract", { id: options.id });
  if (options.format !== "json") {
    tell(deps, t(already_signed ? "cli.contract.sign.already" : "cli.contract.sign.done", { id: contract.id }));
  }
  await showRecord(deps, CONTRACT_DETAIL, options.format, contract);
}
