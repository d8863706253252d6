/** `epic-events contract create --client ID --total AMOUNT [--due AMOUNT]`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { CONTRACT } from "../../entities/contract.ts";
import { type CreateOptions, createVerb } from "../../verbs/standard.ts";

/** Options of `contract create`. */
export type ContractCreateOptions = CreateOptions<InputOf<"createContract">>;

/** `contract create`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = createVerb(CONTRACT, {
  summary: "cli.contract.create.summary",
  examples: "cli.contract.create.examples",
});
