/** `epic-events contract update ID`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { CONTRACT } from "../../entities/contract.ts";
import { type UpdateOptions, updateVerb } from "../../verbs/standard.ts";

/** Options of `contract update`. */
export type ContractUpdateOptions = UpdateOptions<Omit<InputOf<"updateContract">, "id">>;

/** `contract update`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = updateVerb(CONTRACT, {
  summary: "cli.contract.update.summary",
  examples: "cli.contract.update.examples",
});
