/** `epic-events user delete ID [--reassign-to USER_ID] [--yes]`. @module */
import type { AnswerOf } from "../../../port/crm.ts";
import { text } from "../../verbs/verb.ts";
import type { DeleteOptions } from "../../verbs/delete.ts";
import { optionalFlag } from "../../input/values.ts";
import { deleteVerb } from "../../verbs/standard.ts";

/** Options of `user delete`. */
export interface UserDeleteOptions extends DeleteOptions {
  reassignTo?: number;
}

const REASSIGN = { flag: "--reassign-to", field: "reassign_to" };

function moved({ reassigned: r, reassigned_to: to }: AnswerOf<"deleteUser">) {
  return to === null ? undefined : { clients: r.clients, contracts: r.contracts, events: r.events, to };
}

/** `user delete`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = deleteVerb<UserDeleteOptions, AnswerOf<"deleteUser">>({
  noun: "user",
  summary: "cli.user.delete.summary",
  flags: [{
    ...REASSIGN,
    arg: "user_id",
    help: "cli.user.delete.reassign_to",
  }],
  examples: "cli.user.delete.examples",
  options: (input, base) => ({ ...base, reassignTo: optionalFlag<number>(text(input, REASSIGN.flag), "id", REASSIGN) }),
  remove: (crm, o, dryRun) => crm.call("deleteUser", { id: o.id, reassign_to: o.reassignTo, dry_run: dryRun }),
  consequences: moved,
});
