/** `epic-events user show ID`. @module */
import { USER } from "../../entities/user.ts";
import { showVerb } from "../../verbs/standard.ts";

/** `user show`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = showVerb(USER);
