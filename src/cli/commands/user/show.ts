/** `epic-events user show ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { USER_DETAIL } from "../../entities/user.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../record.ts";

/** What `user show --help` shows. */
export const spec: VerbSpec = {
  name: "show",
  summary: "show one collaborator",
  args: [{ name: "id", help: "user id" }],
  flags: [],
  examples: ["user show 2", "user show 2 --json"],
  env: TABLE_ENV,
};

/** Reads `<id>`. */
export function parse(input: VerbInput): RecordOptions {
  return parseRecord(input);
}

/** Prints the collaborator. */
export async function run(options: RecordOptions, deps: Deps): Promise<void> {
  await showRecord(deps, USER_DETAIL, options.format, await deps.crm.getUser(options.id));
}
