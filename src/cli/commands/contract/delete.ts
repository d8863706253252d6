/** `epic-events contract delete ID [--cascade] [--yes]`. @module */
import type { AnswerOf } from "../../../port/crm.ts";
import { isSet } from "../../verbs/verb.ts";
import type { DeleteOptions } from "../../verbs/delete.ts";
import { deleteVerb } from "../../verbs/standard.ts";

/** Options of `contract delete`. */
export interface ContractDeleteOptions extends DeleteOptions {
  cascade: boolean;
}

/** `contract delete`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = deleteVerb<ContractDeleteOptions, AnswerOf<"deleteContract">>({
  noun: "contract",
  summary: "cli.contract.delete.summary",
  flags: [{ flag: "--cascade", help: "cli.contract.delete.cascade", field: "cascade" }],
  examples: "cli.contract.delete.examples",
  options: (input, base) => ({ ...base, cascade: isSet(input, "--cascade") }),
  remove: (crm, o, dryRun) => crm.call("deleteContract", { id: o.id, cascade: o.cascade, dry_run: dryRun }),
  consequences: (d) => d.deleted_events ? { events: d.deleted_events } : undefined,
});
