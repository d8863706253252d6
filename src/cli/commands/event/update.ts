/** `epic-events event update ID`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { EVENT } from "../../entities/event.ts";
import { type UpdateOptions, updateVerb } from "../../verbs/standard.ts";

/** Options of `event update`. */
export type EventUpdateOptions = UpdateOptions<Omit<InputOf<"updateEvent">, "id">>;

/** `event update`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = updateVerb(EVENT, {
  summary: "update an event (only the given fields change)",
  examples: ['event update 12 --location "Lyon" --attendees 120', 'event update 12 --notes ""  # clears the notes'],
});
