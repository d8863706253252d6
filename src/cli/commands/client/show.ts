/** `epic-events client show ID`. @module */
import { CLIENT } from "../../entities/client.ts";
import { showVerb } from "../../verbs/standard.ts";

/** `client show`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = showVerb(CLIENT);
