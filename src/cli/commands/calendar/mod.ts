/** `epic-events calendar url|reset`. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import type { LoadDeps } from "../../verbs/verb.ts";
import { addNoun } from "../../verbs/standard.ts";
import { feedVerb } from "./feed.ts";

/** Adds `calendar` and its verbs to `program`. */
export function registerCalendar(program: Command, deps: LoadDeps): void {
  addNoun(
    program,
    { name: "calendar", description: NOUN_DESCRIPTIONS.calendar },
    [feedVerb("url"), feedVerb("reset")],
    deps,
  );
}
