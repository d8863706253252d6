/** `epic-events user list [--role ROLE]`: its filters are the contract's (`listUsers`). @module */
import { USER } from "../../entities/user.ts";
import { listVerb, type ListVerbOptions } from "../../verbs/standard.ts";

/** Options of `user list`. */
export type UserListOptions = ListVerbOptions<"listUsers">;

/** `user list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(USER, "listUsers", {
  summary: "cli.user.list.summary",
  examples: "cli.user.list.examples",
});
