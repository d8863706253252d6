/** `epic-events contract delete ID [--cascade] [--yes]`. @module */
import { CRM_ENV, type Deps, isSet, type VerbInput, type VerbSpec } from "../../command.ts";
import { confirmAndDelete, type DeleteOptions, parseDelete, YES_FLAG } from "../../delete.ts";
import type { ContractDeletion } from "../../../port/crm.ts";

/** Options of `contract delete`. */
export interface ContractDeleteOptions extends DeleteOptions {
  cascade: boolean;
}

/** What `contract delete --help` shows. */
export const spec: VerbSpec = {
  name: "delete",
  summary: "delete a contract (MANAGEMENT)",
  args: [{ name: "id", help: "contract id" }],
  flags: [{ flag: "--cascade", help: "also delete its events" }, YES_FLAG],
  examples: ["contract delete 7", "contract delete 7 --cascade --yes"],
  env: CRM_ENV,
};

/** Reads `<id>`, `--cascade` and `--yes`. */
export function parse(input: VerbInput): ContractDeleteOptions {
  return { ...parseDelete(input), cascade: isSet(input, "--cascade") };
}

function withEvents(d: ContractDeletion, verb: string): string {
  return d.deleted_events > 0 ? ` ${verb} ${d.deleted_events} event(s)` : "";
}

/** Checks, confirms and deletes the contract. */
export async function run(options: ContractDeleteOptions, deps: Deps): Promise<void> {
  await confirmAndDelete(deps, options, {
    what: `contract ${options.id}`,
    remove: (dryRun) => deps.crm.deleteContract(options.id, { cascade: options.cascade, dryRun }),
    question: (d) => `Delete contract ${options.id}${withEvents(d, "and its")}? This cannot be undone.`,
    done: (d) => `Deleted contract ${options.id}${withEvents(d, "with")}.`,
    json: (d) => ({ deleted: true, ...d }),
  });
}
