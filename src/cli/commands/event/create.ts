/** `epic-events event create --contract ID …`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { EVENT } from "../../entities/event.ts";
import { type CreateOptions, createVerb } from "../../verbs/standard.ts";

/** Options of `event create`. */
export type EventCreateOptions = CreateOptions<InputOf<"createEvent">>;

/** `event create`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = createVerb(EVENT, {
  summary: "cli.event.create.summary",
  examples: "cli.event.create.examples",
});
