/** `epic-events contract delete ID [--cascade] [--yes]`. @module */
import type { ContractDeletion } from "../../../port/crm.ts";
import { isSet } from "../../command.ts";
import type { DeleteOptions } from "../../delete.ts";
import { deleteVerb } from "../../verbs.ts";

/** Options of `contract delete`. */
export interface ContractDeleteOptions extends DeleteOptions {
  cascade: boolean;
}

/** `contract delete`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = deleteVerb<ContractDeleteOptions, ContractDeletion>({
  noun: "contract",
  summary: "delete a contract (MANAGEMENT)",
  flags: [{ flag: "--cascade", help: "also delete its events" }],
  examples: ["contract delete 7", "contract delete 7 --cascade --yes"],
  options: (input, base) => ({ ...base, cascade: isSet(input, "--cascade") }),
  remove: (crm, o, dryRun) => crm.deleteContract(o.id, { cascade: o.cascade, dryRun }),
  consequences: (d, when) =>
    d.deleted_events ? ` ${when === "ask" ? "and its" : "with"} ${d.deleted_events} event(s)` : "",
});
