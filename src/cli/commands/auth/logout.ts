/** `epic-events logout [--all]`. @module */
import type { LogoutResult } from "../../../port/crm.ts";
import { CRM_ENV, type Deps, isSet, outputFormat, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { jsonText } from "../../output/formats.ts";
import { tell } from "../../output/record.ts";
import { t } from "../../../i18n/mod.ts";

/** Options of `logout`. */
export interface LogoutOptions {
  all: boolean;
  json: boolean;
}

/** What `logout --help` shows. */
export const spec: VerbSpec = {
  name: "logout",
  summary: "cli.auth.logout.summary",
  flags: [{ flag: "--all", help: "cli.logout.all" }],
  examples: "cli.auth.logout.examples",
  env: CRM_ENV,
};

/** Reads `--all` and whether to print JSON. */
export function parse(input: VerbInput): LogoutOptions {
  return { all: isSet(input, "--all"), json: outputFormat(input) === "json" };
}

function message(result: LogoutResult, all: boolean): string {
  if (all) return t("cli.logout.done_all");
  if (!result.found) return t("cli.logout.not_logged_in");
  return t(result.revoked ? "cli.logout.done" : "cli.logout.done_expired");
}

/** Ends the session (or all of them) and says so: on stderr, or as JSON on stdout. */
export async function run(options: LogoutOptions, deps: Deps): Promise<void> {
  const result = options.all ? await deps.crm.logoutAll() : await deps.crm.logout();
  if (options.json) {
    deps.io.writeOut(jsonText({ logged_out: true, revoked: result.revoked, ...(options.all ? { all: true } : {}) }));
  } else {
    tell(deps, message(result, options.all));
  }
}
