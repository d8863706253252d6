/** `epic-events client list [--mine] [--search TEXT]`. @module */
import type { ClientQuery } from "../../../port/crm.ts";
import { CLIENT } from "../../entities/client.ts";
import { listVerb, type ListVerbOptions } from "../../verbs.ts";

/** Options of `client list`. */
export type ClientListOptions = ListVerbOptions<ClientQuery>;

/** `client list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = listVerb(CLIENT, {
  summary: "list clients, by id (filters combine)",
  filters: [
    { flag: "--mine", key: "mine", help: "only my clients (I am their sales contact)" },
    {
      flag: "--search",
      key: "search",
      arg: "text",
      help: "only clients whose name, email or company has TEXT (any case)",
    },
  ],
  fetch: (crm, query: ClientQuery) => crm.listClients(query),
  examples: ["client list --mine", "client list --search acme", "client list --format csv > clients.csv"],
});
