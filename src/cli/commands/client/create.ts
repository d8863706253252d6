/** `epic-events client create`. @module */
import { type Deps, outputFormat, TABLE_ENV, type VerbInput, type VerbSpec } from "../../command.ts";
import { completeFields, fieldFlags, type FieldValues, readFields } from "../../entity.ts";
import { CLIENT, CLIENT_DETAIL } from "../../entities/client.ts";
import type { Format } from "../../format.ts";
import { showRecord } from "../../record.ts";
import type { ClientRecord, NewClient } from "../../../port/crm.ts";

/** Options of `client create`. */
export interface ClientCreateOptions {
  fields: FieldValues<NewClient>;
  format?: Format;
}

/** What `client create --help` shows. */
export const spec: VerbSpec = {
  name: "create",
  summary: "create a client (SALES: it is yours; MANAGEMENT: name its sales contact)",
  flags: fieldFlags(CLIENT, "create"),
  examples: [
    'client create --full-name "Kevin Casey" --email kevin@startup.io --phone "+678 123 456 78" --company-name "Cool Startup LLC"',
    "client create  # on a terminal: asks for each missing field",
  ],
  env: TABLE_ENV,
};

/** Reads the flags of `client create`. */
export function parse(input: VerbInput): ClientCreateOptions {
  return { fields: readFields(CLIENT, "create", input), format: outputFormat(input) };
}

/** Asks for what is missing (on a terminal), creates the client and prints it. */
export async function run(options: ClientCreateOptions, deps: Deps): Promise<void> {
  const input = await completeFields<ClientRecord, NewClient>(CLIENT, options.fields, deps);
  await showRecord(deps, CLIENT_DETAIL, options.format, await deps.crm.createClient(input));
}
