/**
 * The one shape of every `delete`: checks, then confirmation, then the
 * delete, then what happened. On a terminal without `--yes`, a dry run of the
 * delete first checks existence, permission and dependents, so the question
 * is only asked when the delete would succeed; without a terminal `--yes` is
 * required (exit 2). With `--json` (or `--format json`) the result is printed
 * on stdout; otherwise one line on stderr says what was deleted.
 * @module
 */
import { InvalidInputError } from "../../domain/errors.ts";
import { type Deps, type FlagDef, isSet, type VerbInput } from "./verb.ts";
import { jsonText } from "../output/formats.ts";
import { parseRecord, type RecordOptions, tell } from "../output/record.ts";
import { t } from "../../i18n/mod.ts";

/** `-y, --yes`. */
export const YES_FLAG: FlagDef = {
  flag: "--yes",
  short: "-y",
  help: "cli.delete.yes",
};

/** Options every delete has. */
export interface DeleteOptions extends RecordOptions {
  yes: boolean;
}

/** Reads `<id>`, `--yes` and the output format. */
export function parseDelete(input: VerbInput): DeleteOptions {
  return { ...parseRecord(input), yes: isSet(input, "--yes") };
}

/** How one delete is done and told. */
export interface DeleteSteps<T> {
  /** What is deleted, e.g. `client 3`, in the language in use. */
  what: string;
  /** The delete; `dryRun` runs its checks and changes nothing. */
  remove(dryRun: boolean): Promise<T>;
  /** The question, knowing what the delete would do. */
  question(preview: T): string;
  /** The line that says what was deleted. */
  done(result: T): string;
  /** The JSON of the result. */
  json(result: T): unknown;
}

/** Checks, confirms, deletes and tells. */
export async function confirmAndDelete<T>(deps: Deps, options: DeleteOptions, steps: DeleteSteps<T>): Promise<void> {
  if (!options.yes) {
    if (!deps.prompter.interactive) {
      throw new InvalidInputError(t("cli.delete.refused", { what: steps.what }), "yes");
    }
    const preview = await steps.remove(true);
    if (!await deps.prompter.confirm(steps.question(preview))) {
      tell(deps, t("cli.delete.cancelled"));
      return;
    }
  }
  const result = await steps.remove(false);
  if (options.format === "json") deps.io.writeOut(jsonText(steps.json(result)));
  else tell(deps, steps.done(result));
}
