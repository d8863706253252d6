/** `epic-events whoami`. @module */
import type { Me } from "../../../port/crm.ts";
import { type Deps, outputFormat, TABLE_ENV, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import type { Format } from "../../output/formats.ts";
import type { Column } from "../../output/print.ts";
import { showRecord } from "../../output/record.ts";

/** Rows of who is logged in (`whoami`, and `login` with `--json` or `--format`). */
export const ME_COLUMNS: readonly Column<Me>[] = [
  { title: "ID", show: "number", value: (m) => m.id },
  { title: "EMAIL", show: "text", value: (m) => m.email },
  { title: "NAME", show: "text", value: (m) => `${m.first_name} ${m.last_name}` },
  { title: "ROLE", show: "role", value: (m) => m.role },
  { title: "EXPIRES AT", show: "date", value: (m) => m.expires_at },
];

/** Options of `whoami`. */
export interface WhoamiOptions {
  format?: Format;
}

/** What `whoami --help` shows. */
export const spec: VerbSpec = {
  name: "whoami",
  summary: "show who is logged in and when the session expires",
  flags: [],
  examples: ["whoami", "whoami --json", "whoami --format csv"],
  env: [...TABLE_ENV, "EPIC_EVENTS_SERVER"],
};

/** Reads the output format. */
export function parse(input: VerbInput): WhoamiOptions {
  return { format: outputFormat(input) };
}

/** Prints the logged-in collaborator (exit 3 when nobody is), and the server in server mode. */
export async function run(options: WhoamiOptions, deps: Deps): Promise<void> {
  const me = await deps.crm.whoami();
  const server = deps.servers?.current();
  if (server === undefined) return await showRecord(deps, ME_COLUMNS, options.format, me);
  const columns: readonly Column<Me & { server: string }>[] = [
    ...ME_COLUMNS,
    { title: "SERVER", show: "text", value: (m) => m.server },
  ];
  await showRecord(deps, columns, options.format, { ...me, server });
}
