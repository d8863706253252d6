/**
 * The one-line error every command ends with on stderr (`--json`: the error
 * object). Lists and records print through `print.ts`, `record.ts` and
 * `list.ts`.
 * @module
 */
import type { Io } from "../app/io.ts";
import { AppError } from "../../domain/errors.ts";

/** How the current command prints. */
export interface OutputMode {
  json: boolean;
}

/** Prints an error as one line on stderr (JSON shape with `--json`). */
export function printError(io: Io, mode: OutputMode, error: AppError): void {
  if (mode.json) {
    const body: Record<string, string> = { code: error.code, message: error.message };
    if (error.field) body.field = error.field;
    io.writeErr(JSON.stringify({ error: body }) + "\n");
  } else {
    io.writeErr(`error: ${error.message.replace(/\r?\n/g, " ")}\n`);
  }
}
