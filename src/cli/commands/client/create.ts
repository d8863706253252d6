/** `epic-events client create`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { CLIENT } from "../../entities/client.ts";
import { type CreateOptions, createVerb } from "../../verbs/standard.ts";

/** Options of `client create`. */
export type ClientCreateOptions = CreateOptions<InputOf<"createClient">>;

/** `client create`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = createVerb(CLIENT, {
  summary: "cli.client.create.summary",
  examples: "cli.client.create.examples",
});
