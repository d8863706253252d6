/** `epic-events event create --contract ID …`. @module */
import { type Deps, outputFormat, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { completeFields, fieldFlags, type FieldValues, readFields } from "../../entity.ts";
import { EVENT, EVENT_DETAIL } from "../../entities/event.ts";
import type { Format } from "../../format.ts";
import { showRecord } from "../../record.ts";
import type { EventRecord, NewEvent } from "../../../port/crm.ts";

/** Options of `event create`. */
export interface EventCreateOptions {
  fields: FieldValues<NewEvent>;
  format?: Format;
}

/** What `event create --help` shows. */
export const spec: VerbSpec = {
  name: "create",
  summary: "create an event for a signed contract (SALES: of your own clients)",
  flags: fieldFlags(EVENT, "create"),
  examples: [
    'event create --contract 7 --name "Launch party" --client-contact "Kate, +33 6 12 34 56 78" ' +
    '--start-date "2027-06-04 18:00" --end-date "2027-06-05 02:00" --location Paris --attendees 75',
    "event create  # on a terminal: asks for each missing field",
  ],
  env: TABLE_ENV,
};

/** Reads the flags of `event create`. */
export function parse(input: VerbInput): EventCreateOptions {
  return { fields: readFields(EVENT, "create", input), format: outputFormat(input) };
}

/** Asks for what is missing (on a terminal), creates the event and prints it. */
export async function run(options: EventCreateOptions, deps: Deps): Promise<void> {
  const input = await completeFields<EventRecord, NewEvent>(EVENT, options.fields, deps);
  await showRecord(deps, EVENT_DETAIL, options.format, await deps.crm.createEvent(input));
}
