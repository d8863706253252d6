/** `epic-events logout [--all]`. @module */
import type { LogoutResult } from "../../../port/crm.ts";
import { CRM_ENV, type Deps, isSet, outputFormat, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { jsonText } from "../../output/formats.ts";
import { tell } from "../../output/record.ts";

/** Options of `logout`. */
export interface LogoutOptions {
  all: boolean;
  json: boolean;
}

/** What `logout --help` shows. */
export const spec: VerbSpec = {
  name: "logout",
  summary: "end the session: the token is revoked and the local copy deleted (always, even if revoking fails)",
  flags: [{ flag: "--all", help: "end every session of mine, on every machine" }],
  examples: ["logout", "logout --all"],
  env: CRM_ENV,
};

/** Reads `--all` and whether to print JSON. */
export function parse(input: VerbInput): LogoutOptions {
  return { all: isSet(input, "--all"), json: outputFormat(input) === "json" };
}

function message(result: LogoutResult, all: boolean): string {
  if (all) return "Logged out of every session.";
  if (!result.found) return "Not logged in.";
  return result.revoked ? "Logged out." : "Logged out (the session had already ended).";
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
