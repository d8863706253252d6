/** `epic-events event update ID`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { EVENT } from "../../entities/event.ts";
import { type UpdateOptions, updateVerb } from "../../verbs/standard.ts";

/** Options of `event update`. */
export type EventUpdateOptions = UpdateOptions<Omit<InputOf<"updateEvent">, "id">>;

/** `event update`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = updateVerb(EVENT, {
  summary: "cli.event.update.summary",
  examples: "cli.event.update.examples",
});
