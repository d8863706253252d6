/** `epic-events user list [--role ROLE]`. @module */
import type { UserQuery } from "../../../port/crm.ts";
import { USER } from "../../entities/user.ts";
import { listVerb, type ListVerbOptions } from "../../verbs.ts";

/** Options of `user list`. */
export type UserListOptions = ListVerbOptions<UserQuery>;

/** `user list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(USER, {
  summary: "list collaborators, by id",
  filters: [{ flag: "--role", key: "role", arg: "role", kind: "role", help: "only this role (any case)" }],
  fetch: (crm, query: UserQuery) => crm.listUsers(query),
  examples: ["user list", "user list --role sales", "user list --format csv > team.csv"],
});
