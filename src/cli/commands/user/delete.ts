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

function moved({ reassigned: r, reassigned_to: to }: AnswerOf<"deleteUser">, when: "ask" | "done"): string {
  if (to === null) return "";
  const what = `${r.clients} client(s), ${r.contracts} contract(s) and ${r.events} event(s) to user ${to}`;
  return when === "ask" ? ` and move their ${what}` : `; moved ${what}`;
}

/** `user delete`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = deleteVerb<UserDeleteOptions, AnswerOf<"deleteUser">>({
  noun: "user",
  summary: "delete a collaborator (MANAGEMENT); refused while they own data unless --reassign-to",
  flags: [{
    ...REASSIGN,
    arg: "user_id",
    help: "move their clients, contracts and events to this collaborator (same role)",
  }],
  examples: ["user delete 4", "user delete 4 --reassign-to 5 --yes"],
  options: (input, base) => ({ ...base, reassignTo: optionalFlag<number>(text(input, REASSIGN.flag), "id", REASSIGN) }),
  remove: (crm, o, dryRun) => crm.call("deleteUser", { id: o.id, reassign_to: o.reassignTo, dry_run: dryRun }),
  consequences: moved,
});
