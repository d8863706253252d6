/** `epic-events event show ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { EVENT_DETAIL } from "../../entities/event.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../record.ts";

/** What `event show --help` shows. */
export const spec: VerbSpec = {
  name: "show",
  summary: "show one event",
  args: [{ name: "id", help: "event id" }],
  flags: [],
  examples: ["event show 12", "TZ=America/New_York event show 12"],
  env: TABLE_ENV,
};

/** Reads `<id>`. */
export function parse(input: VerbInput): RecordOptions {
  return parseRecord(input);
}

/** Prints the event. */
export async function run(options: RecordOptions, deps: Deps): Promise<void> {
  await showRecord(deps, EVENT_DETAIL, options.format, await deps.crm.getEvent(options.id));
}
