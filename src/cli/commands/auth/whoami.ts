/** `epic-events whoami`. @module */
import type { Me } from "../../../port/crm.ts";
import { type Deps, outputFormat, resolveFormat, TABLE_ENV, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { t } from "../../../i18n/mod.ts";
import type { Format } from "../../output/formats.ts";
import type { Column } from "../../output/print.ts";
import { showRecord } from "../../output/record.ts";

/** Rows of who is logged in (`whoami`, and `login` with `--json` or `--format`). */
export const ME_COLUMNS: readonly Column<Me>[] = [
  { title: "ID", heading: "cli.whoami.id", show: "number", value: (m) => m.id },
  { title: "EMAIL", heading: "cli.whoami.email", show: "text", value: (m) => m.email },
  { title: "NAME", heading: "cli.whoami.name", show: "text", value: (m) => `${m.first_name} ${m.last_name}` },
  { title: "ROLE", heading: "cli.whoami.role", show: "role", value: (m) => m.role },
  // i18n-ignore: the CSV/TSV header (machine output); tables show the heading
  { title: "EXPIRES AT", heading: "cli.whoami.expires_at", show: "date", value: (m) => m.expires_at },
];

/**
 * The row of the language in use: tables only (people read it), never in
 * JSON, CSV or TSV, which do not change with the language.
 */
const LANGUAGE: Column<unknown> = {
  title: "LANGUAGE",
  heading: "cli.whoami.language",
  show: "text",
  value: () => t("cli.whoami.language_name"),
};

/** Options of `whoami`. */
export interface WhoamiOptions {
  format?: Format;
}

/** What `whoami --help` shows. */
export const spec: VerbSpec = {
  name: "whoami",
  summary: "cli.auth.whoami.summary",
  flags: [],
  examples: "cli.auth.whoami.examples",
  env: [...TABLE_ENV, "EPIC_EVENTS_SERVER"],
};

/** Reads the output format. */
export function parse(input: VerbInput): WhoamiOptions {
  return { format: outputFormat(input) };
}

/**
 * Prints the logged-in collaborator (exit 3 when nobody is), the server in
 * server mode, and (in a table) the language messages are shown in.
 */
export async function run(options: WhoamiOptions, deps: Deps): Promise<void> {
  const me = await deps.crm.whoami();
  const server = deps.servers?.current();
  const language = resolveFormat(options.format, deps.io) === "table" ? [LANGUAGE] : [];
  if (server === undefined) return await showRecord(deps, [...ME_COLUMNS, ...language], options.format, me);
  const columns: readonly Column<Me & { server: string }>[] = [
    ...ME_COLUMNS,
    { title: "SERVER", heading: "cli.whoami.server", show: "text", value: (m) => m.server },
    ...language,
  ];
  await showRecord(deps, columns, options.format, { ...me, server });
}
