/** `epic-events event update ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { fieldFlags, type FieldValues, readFields, updateValues } from "../../entity.ts";
import { EVENT, EVENT_DETAIL } from "../../entities/event.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../record.ts";
import type { EventChanges } from "../../../port/crm.ts";

/** Options of `event update`. */
export interface EventUpdateOptions extends RecordOptions {
  fields: FieldValues<EventChanges>;
}

/** What `event update --help` shows. */
export const spec: VerbSpec = {
  name: "update",
  summary: "update an event (only the given fields change)",
  args: [{ name: "id", help: "event id" }],
  flags: fieldFlags(EVENT, "update"),
  examples: ['event update 12 --location "Lyon" --attendees 120', 'event update 12 --notes ""  # clears the notes'],
  env: TABLE_ENV,
};

/** Reads `<id>` and the fields to change. */
export function parse(input: VerbInput): EventUpdateOptions {
  return { ...parseRecord(input), fields: readFields(EVENT, "update", input) };
}

/** Updates the event and prints it. */
export async function run(options: EventUpdateOptions, deps: Deps): Promise<void> {
  const changes = updateValues(EVENT, options.fields, deps);
  await showRecord(deps, EVENT_DETAIL, options.format, await deps.crm.updateEvent(options.id, changes));
}
