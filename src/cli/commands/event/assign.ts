/** `epic-events event assign ID --support USER_ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { completeFields, fieldFlags, type FieldValues, readFields } from "../../entities/fields.ts";
import { EVENT, EVENT_DETAIL } from "../../entities/event.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../output/record.ts";
import type { EventRecord, InputOf } from "../../../port/crm.ts";
import { idArg } from "../../verbs/standard.ts";

const FIELDS = ["support_contact_id"] as const;

/** Options of `event assign`. */
export interface EventAssignOptions extends RecordOptions {
  fields: FieldValues<Omit<InputOf<"assignEvent">, "id">>;
}

/** What `event assign --help` shows. */
export const spec: VerbSpec = {
  name: "assign",
  summary: "cli.event.assign.summary",
  args: [idArg("event")],
  flags: fieldFlags(EVENT, FIELDS),
  examples: "cli.event.assign.examples",
  env: TABLE_ENV,
};

/** Reads `<id>` and `--support`. */
export function parse(input: VerbInput): EventAssignOptions {
  return { ...parseRecord(input), fields: readFields(EVENT, FIELDS, input) };
}

/** Asks for the support contact when missing (on a terminal), assigns and prints the event. */
export async function run(options: EventAssignOptions, deps: Deps): Promise<void> {
  const assignment = await completeFields<EventRecord, Omit<InputOf<"assignEvent">, "id">>(
    EVENT,
    options.fields,
    deps,
    FIELDS,
  );
  const event = await deps.crm.call("assignEvent", { id: options.id, ...assignment });
  await showRecord(deps, EVENT_DETAIL, options.format, event);
}
