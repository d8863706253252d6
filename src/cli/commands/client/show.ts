/** `epic-events client show ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { CLIENT_DETAIL } from "../../entities/client.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../record.ts";

/** What `client show --help` shows. */
export const spec: VerbSpec = {
  name: "show",
  summary: "show one client",
  args: [{ name: "id", help: "client id" }],
  flags: [],
  examples: ["client show 3", "client show 3 --json"],
  env: TABLE_ENV,
};

/** Reads `<id>`. */
export function parse(input: VerbInput): RecordOptions {
  return parseRecord(input);
}

/** Prints the client. */
export async function run(options: RecordOptions, deps: Deps): Promise<void> {
  await showRecord(deps, CLIENT_DETAIL, options.format, await deps.crm.getClient(options.id));
}
