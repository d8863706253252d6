/** `epic-events client create`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { CLIENT } from "../../entities/client.ts";
import { type CreateOptions, createVerb } from "../../verbs/standard.ts";

/** Options of `client create`. */
export type ClientCreateOptions = CreateOptions<InputOf<"createClient">>;

/** `client create`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = createVerb(CLIENT, {
  summary: "create a client (SALES: it is yours; MANAGEMENT: name its sales contact)",
  examples: [
    'client create --full-name "Kevin Casey" --email kevin@startup.io --phone "+678 123 456 78" --company-name "Cool Startup LLC"',
    "client create  # on a terminal: asks for each missing field",
  ],
});
