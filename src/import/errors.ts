/**
 * What is wrong with an import file: the problems of its lines, each naming
 * the line and, when there is one, the field.
 * @module
 */
import { english, type ErrorCode, InvalidInputError, type Message, msg } from "../domain/errors.ts";

/** One problem of one line of an import file. */
export interface LineError {
  /** The physical line (1-based) where the record starts. */
  line: number;
  /** The field at fault (its JSON name), when there is one. */
  field?: string;
  /** The kind of problem, as the same row given to a single command would get it. */
  code: ErrorCode;
  /** What is wrong, starting with the field when there is one: `email: must be a valid email address` (English). */
  message: string;
  /** The same as a message of the catalogs, to say it in the reader's language; absent when only `message` exists. */
  text?: Message;
}

/** `line 17: email: must be a valid email address`. */
export function lineErrorText(error: LineError): string {
  return `line ${error.line}: ${error.message}`;
}

/**
 * A problem that ends the reading of the file (exit 2): not UTF-8, a header
 * that does not match, a quote that never closes, a line too long.
 */
export class ImportFileError extends InvalidInputError {
  /** The line at fault. */
  readonly line: number;
  /** The problem without the line number, in English. */
  readonly reason: string;
  /** The problem without the line number, as a message (said in the reader's language). */
  readonly reasonText: Message;

  /** The problem `reason` of line `line`, about column `field` when there is one. */
  constructor(line: number, reason: Message, field?: string) {
    super(msg("errors.import_file.line", { line, reason }), field);
    this.name = "ImportFileError";
    this.line = line;
    this.reason = english(reason);
    this.reasonText = reason;
  }

  /** As one of the file's line errors. */
  toLineError(): LineError {
    return { line: this.line, field: this.field, code: this.code, message: this.reason, text: this.reasonText };
  }
}
