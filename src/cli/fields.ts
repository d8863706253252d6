/**
 * Turns flags into a service input: missing required fields are prompted for
 * on a terminal, and off a terminal they are one error listing every missing
 * flag (exit 2). Nothing ever waits for input without a terminal.
 * @module
 */
import type { z } from "zod";
import { InvalidInputError } from "../domain/errors.ts";
import { fieldError } from "../domain/schemas/mod.ts";

export { parseId } from "../domain/schemas/mod.ts";
import { promptPassword, promptSelect, promptText } from "./prompts.ts";
import type { Runtime } from "./runtime.ts";

/** One field a command may ask for. */
export interface FieldSpec {
  /** JSON name, e.g. `first_name`. */
  field: string;
  /** Flag, e.g. `--first-name`. */
  flag: string;
  /** Prompt label. */
  label: string;
  /** Choices for a select prompt (values are what the service receives). */
  choices?: () => Promise<ReadonlyArray<{ name: string; value: string | number }>>;
}

/** A prompt validator from one field of a zod object schema. */
export function fieldValidator(schema: z.ZodType, field: string): (value: string) => string | true {
  return (value: string) => fieldError(schema, field, value) ?? true;
}

/**
 * Fills `values` (keyed by JSON name) with every `required` field: prompts on
 * a terminal, or throws one error naming every missing flag.
 */
export async function requireFields(
  rt: Runtime,
  values: Record<string, unknown>,
  required: readonly FieldSpec[],
  schema?: z.ZodType,
): Promise<Record<string, unknown>> {
  const missing = required.filter((spec) => values[spec.field] === undefined);
  if (missing.length === 0) return values;
  if (!rt.interactive) {
    throw new InvalidInputError(
      `missing required option${missing.length > 1 ? "s" : ""}: ${missing.map((s) => s.flag).join(", ")}`,
      missing[0].field,
    );
  }
  const out = { ...values };
  for (const spec of missing) {
    if (spec.choices) {
      out[spec.field] = await promptSelect(rt, spec.label, await spec.choices());
    } else {
      out[spec.field] = await promptText(rt, spec.label, {
        validate: schema ? fieldValidator(schema, spec.field) : undefined,
      });
    }
  }
  return out;
}

/** What a password read from stdin or a terminal that is not UTF-8 looks like after decoding. */
const REPLACEMENT_CHARACTER = "\uFFFD";

function notUtf8(source: "stdin" | "terminal"): InvalidInputError {
  return new InvalidInputError(
    source === "stdin"
      ? "password: standard input is not valid UTF-8 text (check the file's encoding)"
      : "password: the terminal sent text that is not valid UTF-8 (check its encoding)",
    "password",
  );
}

/**
 * Reads a password: from stdin with `--password-stdin`, else a masked prompt
 * on a terminal (asked twice when `confirm`), else exit 2. A password that is
 * not valid UTF-8 is refused (exit 2), never stored with U+FFFD in its place.
 */
export async function readPassword(
  rt: Runtime,
  options: { fromStdin?: boolean; confirm?: boolean; label?: string; validate?: (value: string) => string | true },
): Promise<string> {
  if (options.fromStdin) {
    let text: string;
    try {
      text = await rt.io.readStdin();
    } catch (error) {
      if (error instanceof InvalidInputError && error.field === "stdin") throw notUtf8("stdin");
      throw error;
    }
    const password = text.replace(/\r?\n$/, "");
    if (password === "") throw new InvalidInputError("password: nothing was read from stdin", "password");
    if (password.includes(REPLACEMENT_CHARACTER)) throw notUtf8("stdin");
    return password;
  }
  if (!rt.interactive) {
    throw new InvalidInputError(
      "password: give it with --password-stdin (passwords are never accepted as flag values)",
      "password",
    );
  }
  const password = await promptPassword(rt, options.label ?? "Password", {
    confirm: options.confirm,
    validate: options.validate,
  });
  // The terminal's bytes were decoded leniently: a bad byte shows up as U+FFFD.
  if (password.includes(REPLACEMENT_CHARACTER)) throw notUtf8("terminal");
  return password;
}

/** Parses `--limit`/`--offset` (non-negative integers). */
export function parseCount(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value.trim())) {
    throw new InvalidInputError(`${field}: expected a non-negative integer, got "${value}"`, field);
  }
  return Number(value);
}
