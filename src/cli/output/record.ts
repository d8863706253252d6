/**
 * Shared pieces of the commands that print one record (`show`, `create`,
 * `update`, `sign`, `assign`) and of human messages, which go to stderr:
 * stdout carries only data, so `contract sign 3 | head -1` is the record's
 * first field.
 * @module
 */
import { type Deps, outputFormat, resolveFormat, type VerbInput } from "../verbs/verb.ts";
import type { Format } from "./formats.ts";
import { type Column, type PrintDeps, printRecord } from "./print.ts";
import { idArgument } from "../input/values.ts";

/** The options of a command on one record: its id and the output format. */
export interface RecordOptions {
  id: number;
  format?: Format;
}

/** Reads `<id>` and the output format. */
export function parseRecord(input: VerbInput): RecordOptions {
  return { id: idArgument(input.args[0]), format: outputFormat(input) };
}

/** Prints `record` in the format asked for (a table on a terminal, TSV when piped). */
export function showRecord<R>(
  deps: PrintDeps,
  columns: readonly Column<R>[],
  format: Format | undefined,
  record: R,
): Promise<void> {
  return printRecord(deps, columns, resolveFormat(format, deps.io), record);
}

/** A human message: one line on stderr (never data, whatever the format). */
export function tell(deps: Pick<Deps, "io">, text: string): void {
  deps.io.writeErr(text + "\n");
}
