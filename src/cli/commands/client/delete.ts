/** `epic-events client delete ID [--cascade] [--yes]`. @module */
import type { AnswerOf } from "../../../port/crm.ts";
import { isSet } from "../../verbs/verb.ts";
import type { DeleteOptions } from "../../verbs/delete.ts";
import { deleteVerb } from "../../verbs/standard.ts";

/** Options of `client delete`. */
export interface ClientDeleteOptions extends DeleteOptions {
  cascade: boolean;
}

/** `client delete`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = deleteVerb<ClientDeleteOptions, AnswerOf<"deleteClient">>({
  noun: "client",
  summary: "cli.client.delete.summary",
  flags: [{ flag: "--cascade", help: "cli.client.delete.cascade", field: "cascade" }],
  examples: "cli.client.delete.examples",
  options: (input, base) => ({ ...base, cascade: isSet(input, "--cascade") }),
  remove: (crm, o, dryRun) => crm.call("deleteClient", { id: o.id, cascade: o.cascade, dry_run: dryRun }),
  consequences: (d) =>
    d.deleted_contracts + d.deleted_events === 0
      ? undefined
      : { contracts: d.deleted_contracts, events: d.deleted_events },
});
