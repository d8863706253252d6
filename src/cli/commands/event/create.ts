/** `epic-events event create --contract ID …`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { EVENT } from "../../entities/event.ts";
import { type CreateOptions, createVerb } from "../../verbs/standard.ts";

/** Options of `event create`. */
export type EventCreateOptions = CreateOptions<InputOf<"createEvent">>;

/** `event create`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = createVerb(EVENT, {
  summary: "create an event for a signed contract (SALES: of your own clients)",
  examples: [
    'event create --contract 7 --name "Launch party" --client-contact "Kate, +33 6 12 34 56 78" ' +
    '--start-date "2027-06-04 18:00" --end-date "2027-06-05 02:00" --location Paris --attendees 75',
    "event create  # on a terminal: asks for each missing field",
  ],
});
