/** `epic-events client update ID`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { CLIENT } from "../../entities/client.ts";
import { type UpdateOptions, updateVerb } from "../../verbs/standard.ts";

/** Options of `client update`. */
export type ClientUpdateOptions = UpdateOptions<Omit<InputOf<"updateClient">, "id">>;

/** `client update`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = updateVerb(CLIENT, {
  summary: "cli.client.update.summary",
  examples: "cli.client.update.examples",
});
