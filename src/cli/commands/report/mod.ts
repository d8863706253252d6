/** `epic-events report pipeline|revenue|events|workload`. @module */
import type { Command } from "@commander-js/extra-typings";
import { NOUN_DESCRIPTIONS } from "../nouns.ts";
import type { LoadDeps } from "../../verbs/verb.ts";
import { addNoun } from "../../verbs/standard.ts";
import { reportVerb } from "./reports.ts";

/** Adds `report` and its verbs to `program`. */
export function registerReport(program: Command, deps: LoadDeps): void {
  const verbs = [reportVerb("pipeline"), reportVerb("revenue"), reportVerb("events"), reportVerb("workload")];
  addNoun(program, { name: "report", description: NOUN_DESCRIPTIONS.report }, verbs, deps);
}
