/** `epic-events event list [--mine] [--unassigned] [--upcoming] [--contract ID]`. @module */
import { type Deps, isSet, TABLE_ENV, text, type VerbInput, type VerbSpec } from "../../command.ts";
import { EVENT_LIST } from "../../entities/event.ts";
import { LIST_FLAGS, type ListOptions, parseList, printList } from "../../list.ts";
import { optionalFlag } from "../../values.ts";

/** Options of `event list`. */
export interface EventListOptions extends ListOptions {
  mine: boolean;
  unassigned: boolean;
  upcoming: boolean;
  contractId?: number;
}

/** What `event list --help` shows. */
export const spec: VerbSpec = {
  name: "list",
  summary: "list events, by id (filters combine)",
  flags: [
    { flag: "--mine", help: "SUPPORT and MANAGEMENT: events I support; SALES: events of my clients" },
    { flag: "--unassigned", help: "only events without a support contact" },
    { flag: "--upcoming", help: "only events that have not ended yet" },
    { flag: "--contract", arg: "id", help: "only this contract's events", field: "contract_id" },
    ...LIST_FLAGS,
  ],
  examples: ["event list --mine --upcoming", "event list --unassigned", "TZ=Europe/Paris event list --contract 7"],
  env: TABLE_ENV,
};

/** Reads the flags of `event list`. */
export function parse(input: VerbInput): EventListOptions {
  return {
    ...parseList(input),
    mine: isSet(input, "--mine"),
    unassigned: isSet(input, "--unassigned"),
    upcoming: isSet(input, "--upcoming"),
    contractId: optionalFlag<number>(text(input, "--contract"), "id", { flag: "--contract", field: "contract_id" }),
  };
}

/** Prints the events asked for. */
export async function run(options: EventListOptions, deps: Deps): Promise<void> {
  const { mine, unassigned, upcoming, contractId } = options;
  await printList(
    deps,
    EVENT_LIST,
    options,
    (page) => deps.crm.listEvents({ mine, unassigned, upcoming, contractId, ...page }),
  );
}
