/** `epic-events user delete ID [--reassign-to USER_ID] [--yes]`. @module */
import { CRM_ENV, type Deps, text, type VerbInput, type VerbSpec } from "../../command.ts";
import { confirmAndDelete, type DeleteOptions, parseDelete, YES_FLAG } from "../../delete.ts";
import { optionalFlag } from "../../values.ts";
import type { UserDeletion } from "../../../port/crm.ts";

/** Options of `user delete`. */
export interface UserDeleteOptions extends DeleteOptions {
  reassignTo?: number;
}

/** What `user delete --help` shows. */
export const spec: VerbSpec = {
  name: "delete",
  summary: "delete a collaborator (MANAGEMENT); refused while they own data unless --reassign-to",
  args: [{ name: "id", help: "user id" }],
  flags: [
    {
      flag: "--reassign-to",
      arg: "user_id",
      help: "move their clients, contracts and events to this collaborator (same role)",
      field: "reassign_to",
    },
    YES_FLAG,
  ],
  examples: ["user delete 4", "user delete 4 --reassign-to 5 --yes"],
  env: CRM_ENV,
};

/** Reads `<id>`, `--reassign-to` and `--yes`. */
export function parse(input: VerbInput): UserDeleteOptions {
  return {
    ...parseDelete(input),
    reassignTo: optionalFlag<number>(text(input, "--reassign-to"), "id", {
      flag: "--reassign-to",
      field: "reassign_to",
    }),
  };
}

function moved(d: UserDeletion, verb: string): string {
  const { clients, contracts, events } = d.reassigned;
  return d.reassigned_to === null
    ? ""
    : `${verb} ${clients} client(s), ${contracts} contract(s) and ${events} event(s) to user ${d.reassigned_to}`;
}

/** Checks, confirms and deletes the collaborator. */
export async function run(options: UserDeleteOptions, deps: Deps): Promise<void> {
  await confirmAndDelete(deps, options, {
    what: `user ${options.id}`,
    remove: (dryRun) => deps.crm.deleteUser(options.id, { reassignTo: options.reassignTo, dryRun }),
    question: (d) => `Delete user ${options.id}${moved(d, " and move their")}? This cannot be undone.`,
    done: (d) => `Deleted user ${options.id}${moved(d, "; moved")}.`,
    json: (d) => ({ deleted: true, ...d }),
  });
}
