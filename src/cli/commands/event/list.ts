/** `epic-events event list [--mine] [--unassigned] [--upcoming] [--contract ID]`: its filters are the contract's (`listEvents`). @module */
import { EVENT } from "../../entities/event.ts";
import { listVerb, type ListVerbOptions } from "../../verbs/standard.ts";

/** Options of `event list`. */
export type EventListOptions = ListVerbOptions<"listEvents">;

/** `event list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(EVENT, "listEvents", {
  summary: "cli.event.list.summary",
  examples: "cli.event.list.examples",
});
