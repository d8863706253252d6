/** `epic-events event show ID`. @module */
import { EVENT } from "../../entities/event.ts";
import { showVerb } from "../../verbs/standard.ts";

/** `event show`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = showVerb(EVENT);
