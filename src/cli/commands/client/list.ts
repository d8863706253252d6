/** `epic-events client list [--mine] [--search TEXT]`: its filters are the contract's (`listClients`). @module */
import { CLIENT } from "../../entities/client.ts";
import { listVerb, type ListVerbOptions } from "../../verbs/standard.ts";

/** Options of `client list`. */
export type ClientListOptions = ListVerbOptions<"listClients">;

/** `client list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(CLIENT, "listClients", {
  summary: "cli.client.list.summary",
  examples: "cli.client.list.examples",
});
