/** `epic-events client delete ID [--cascade] [--yes]`. @module */
import { CRM_ENV, type Deps, isSet, type VerbInput, type VerbSpec } from "../../command.ts";
import { confirmAndDelete, type DeleteOptions, parseDelete, YES_FLAG } from "../../delete.ts";
import type { ClientDeletion } from "../../../port/crm.ts";

/** Options of `client delete`. */
export interface ClientDeleteOptions extends DeleteOptions {
  cascade: boolean;
}

/** What `client delete --help` shows. */
export const spec: VerbSpec = {
  name: "delete",
  summary: "delete a client (MANAGEMENT)",
  args: [{ name: "id", help: "client id" }],
  flags: [{ flag: "--cascade", help: "also delete its contracts and their events" }, YES_FLAG],
  examples: ["client delete 3", "client delete 3 --cascade --yes"],
  env: CRM_ENV,
};

/** Reads `<id>`, `--cascade` and `--yes`. */
export function parse(input: VerbInput): ClientDeleteOptions {
  return { ...parseDelete(input), cascade: isSet(input, "--cascade") };
}

function withDependents(d: ClientDeletion, verb: string): string {
  return d.deleted_contracts + d.deleted_events > 0
    ? ` ${verb} ${d.deleted_contracts} contract(s) and ${d.deleted_events} event(s)`
    : "";
}

/** Checks, confirms and deletes the client. */
export async function run(options: ClientDeleteOptions, deps: Deps): Promise<void> {
  await confirmAndDelete(deps, options, {
    what: `client ${options.id}`,
    remove: (dryRun) => deps.crm.deleteClient(options.id, { cascade: options.cascade, dryRun }),
    question: (d) => `Delete client ${options.id}${withDependents(d, "and its")}? This cannot be undone.`,
    done: (d) => `Deleted client ${options.id}${withDependents(d, "with")}.`,
    json: (d) => ({ deleted: true, ...d }),
  });
}
