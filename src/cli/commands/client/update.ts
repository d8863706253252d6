/** `epic-events client update ID`. @module */
import type { InputOf } from "../../../port/crm.ts";
import { CLIENT } from "../../entities/client.ts";
import { type UpdateOptions, updateVerb } from "../../verbs/standard.ts";

/** Options of `client update`. */
export type ClientUpdateOptions = UpdateOptions<Omit<InputOf<"updateClient">, "id">>;

/** `client update`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run } = updateVerb(CLIENT, {
  summary: "update a client (only the given fields change)",
  examples: ['client update 3 --phone "+33 1 23 45 67 89"', "client update 3 --sales-contact-id 4"],
});
