/** `epic-events client update ID`. @module */
import { type Deps, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { fieldFlags, type FieldValues, readFields, updateValues } from "../../entity.ts";
import { CLIENT, CLIENT_DETAIL } from "../../entities/client.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../record.ts";
import type { ClientChanges } from "../../../port/crm.ts";

/** Options of `client update`. */
export interface ClientUpdateOptions extends RecordOptions {
  fields: FieldValues<ClientChanges>;
}

/** What `client update --help` shows. */
export const spec: VerbSpec = {
  name: "update",
  summary: "update a client (only the given fields change)",
  args: [{ name: "id", help: "client id" }],
  flags: fieldFlags(CLIENT, "update"),
  examples: ['client update 3 --phone "+33 1 23 45 67 89"', "client update 3 --sales-contact-id 4"],
  env: TABLE_ENV,
};

/** Reads `<id>` and the fields to change. */
export function parse(input: VerbInput): ClientUpdateOptions {
  return { ...parseRecord(input), fields: readFields(CLIENT, "update", input) };
}

/** Updates the client and prints it. */
export async function run(options: ClientUpdateOptions, deps: Deps): Promise<void> {
  const changes = updateValues(CLIENT, options.fields, deps);
  await showRecord(deps, CLIENT_DETAIL, options.format, await deps.crm.updateClient(options.id, changes));
}
