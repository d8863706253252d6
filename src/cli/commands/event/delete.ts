/** `epic-events event delete ID [--yes]`. @module */
import { CRM_ENV, type Deps, type VerbInput, type VerbSpec } from "../../command.ts";
import { confirmAndDelete, type DeleteOptions, parseDelete, YES_FLAG } from "../../delete.ts";

/** What `event delete --help` shows. */
export const spec: VerbSpec = {
  name: "delete",
  summary: "delete an event (MANAGEMENT)",
  args: [{ name: "id", help: "event id" }],
  flags: [YES_FLAG],
  examples: ["event delete 12", "event delete 12 --yes --json"],
  env: CRM_ENV,
};

/** Reads `<id>` and `--yes`. */
export function parse(input: VerbInput): DeleteOptions {
  return parseDelete(input);
}

/** Checks, confirms and deletes the event. */
export async function run(options: DeleteOptions, deps: Deps): Promise<void> {
  await confirmAndDelete(deps, options, {
    what: `event ${options.id}`,
    remove: (dryRun) => deps.crm.deleteEvent(options.id, { dryRun }),
    question: () => `Delete event ${options.id}? This cannot be undone.`,
    done: () => `Deleted event ${options.id}.`,
    json: (d) => ({ deleted: true, ...d }),
  });
}
