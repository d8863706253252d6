/** `epic-events contract show ID`. @module */
import { CONTRACT } from "../../entities/contract.ts";
import { showVerb } from "../../verbs/standard.ts";

/** `contract show`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = showVerb(CONTRACT);
