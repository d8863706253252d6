/** `epic-events user list [--role ROLE]`. @module */
import type { Role } from "../../../domain/roles.ts";
import { type Deps, TABLE_ENV, text, type VerbInput, type VerbSpec } from "../../command.ts";
import { USER_LIST } from "../../entities/user.ts";
import { LIST_FLAGS, type ListOptions, parseList, printList } from "../../list.ts";
import { optionalFlag } from "../../values.ts";

/** Options of `user list`. */
export interface UserListOptions extends ListOptions {
  role?: Role;
}

/** What `user list --help` shows. */
export const spec: VerbSpec = {
  name: "list",
  summary: "list collaborators, by id",
  flags: [
    { flag: "--role", arg: "role", help: "only this role: MANAGEMENT, SALES or SUPPORT (any case)", field: "role" },
    ...LIST_FLAGS,
  ],
  examples: ["user list", "user list --role sales", "user list --format csv > team.csv"],
  env: TABLE_ENV,
};

/** Reads the flags of `user list`. */
export function parse(input: VerbInput): UserListOptions {
  return {
    ...parseList(input),
    role: optionalFlag<Role>(text(input, "--role"), "role", { flag: "--role", field: "role" }),
  };
}

/** Prints the collaborators asked for. */
export async function run(options: UserListOptions, deps: Deps): Promise<void> {
  await printList(deps, USER_LIST, options, (page) => deps.crm.listUsers({ role: options.role, ...page }));
}
