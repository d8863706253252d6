/**
 * The one-line error every command ends with on stderr (`--json`: the error
 * object). Lists and records print through `print.ts`, `record.ts` and
 * `list.ts`.
 *
 * The message is in the language in use (`--lang`, `EPIC_EVENTS_LANG`, the
 * locale); everything else is not: the `error: ` prefix a script may match,
 * and in JSON the keys, the stable `code` and the `field`. Only the JSON
 * error's `message` changes with the language.
 * @module
 */
import type { Io } from "../app/io.ts";
import type { AppError } from "../../domain/errors.ts";
import { errorText } from "../../i18n/errors.ts";

/** How the current command prints. */
export interface OutputMode {
  json: boolean;
}

/** Prints an error as one line on stderr (JSON shape with `--json`). */
export function printError(io: Io, mode: OutputMode, error: AppError): void {
  if (mode.json) {
    const body: Record<string, string> = { code: error.code, message: errorText(error) };
    if (error.field) body.field = error.field;
    io.writeErr(JSON.stringify({ error: body }) + "\n");
  } else {
    io.writeErr(`error: ${errorText(error).replace(/\r?\n/g, " ")}\n`);
  }
}
