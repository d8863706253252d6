/** `epic-events client list [--mine] [--search TEXT]`. @module */
import { type Deps, isSet, TABLE_ENV, text, type VerbInput, type VerbSpec } from "../../command.ts";
import { CLIENT_LIST } from "../../entities/client.ts";
import { LIST_FLAGS, type ListOptions, parseList, printList } from "../../list.ts";

/** Options of `client list`. */
export interface ClientListOptions extends ListOptions {
  mine: boolean;
  search?: string;
}

/** What `client list --help` shows. */
export const spec: VerbSpec = {
  name: "list",
  summary: "list clients, by id (filters combine)",
  flags: [
    { flag: "--mine", help: "only my clients (I am their sales contact)" },
    { flag: "--search", arg: "text", help: "only clients whose name, email or company contains TEXT (any case)" },
    ...LIST_FLAGS,
  ],
  examples: ["client list --mine", "client list --search acme", "client list --format csv > clients.csv"],
  env: TABLE_ENV,
};

/** Reads the flags of `client list`. */
export function parse(input: VerbInput): ClientListOptions {
  return { ...parseList(input), mine: isSet(input, "--mine"), search: text(input, "--search") };
}

/** Prints the clients asked for. */
export async function run(options: ClientListOptions, deps: Deps): Promise<void> {
  await printList(
    deps,
    CLIENT_LIST,
    options,
    (page) => deps.crm.listClients({ mine: options.mine, search: options.search, ...page }),
  );
}
