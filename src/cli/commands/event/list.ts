/** `epic-events event list [--mine] [--unassigned] [--upcoming] [--contract ID]`. @module */
import type { EventQuery } from "../../../port/crm.ts";
import { EVENT } from "../../entities/event.ts";
import { listVerb, type ListVerbOptions } from "../../verbs.ts";

/** Options of `event list`. */
export type EventListOptions = ListVerbOptions<EventQuery>;

/** `event list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(EVENT, {
  summary: "list events, by id (filters combine)",
  filters: [
    { flag: "--mine", key: "mine", help: "SUPPORT and MANAGEMENT: events I support; SALES: events of my clients" },
    { flag: "--unassigned", key: "unassigned", help: "only events without a support contact" },
    { flag: "--upcoming", key: "upcoming", help: "only events that have not ended yet" },
    {
      flag: "--contract",
      key: "contractId",
      arg: "id",
      kind: "id",
      field: "contract_id",
      help: "only this contract's",
    },
  ],
  fetch: (crm, query: EventQuery) => crm.listEvents(query),
  examples: ["event list --mine --upcoming", "event list --unassigned", "event list --contract 7 --format csv"],
});
