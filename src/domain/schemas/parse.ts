/**
 * Validation with the entity schemas: every refusal becomes one
 * {@link InvalidInputError} naming the field at fault (exit 2).
 * @module
 */
import * as z from "zod";
import { InvalidInputError } from "../errors.ts";
import { english, type Message, msg, reason, reasonOf } from "../messages.ts";
import { idField, REQUIRED } from "./fields.ts";

/** Fallback messages for issues a schema gives no message of its own. */
function fallbackMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "unrecognized_keys") return reason("errors.reason.unknown_field", { count: issue.keys.length });
  if (issue.code === "invalid_type" && issue.expected === "object") return reason("errors.reason.object");
  if (issue.input === undefined) return REQUIRED;
  if (issue.input === null) return reason("errors.reason.not_null");
  if (issue.code === "invalid_type") return reason("errors.reason.type", { type: issue.expected });
  return undefined;
}

/** The reason of an issue, as a message (zod's own messages, in English, are kept as they are). */
function issueReason(issue: z.core.$ZodIssue): Message | string {
  return reasonOf(issue.message);
}

/** The field an issue is about: its path, or the unknown keys it names. */
function fieldOf(issue: z.core.$ZodIssue): string | undefined {
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys.join(", ")] : issue.path;
  return path.length === 0 ? undefined : path.map(String).join(".");
}

/** The refusal of one issue: `field: reason`, naming the field (the first unknown key for unknown keys). */
function issueError(issue: z.core.$ZodIssue): InvalidInputError {
  const field = fieldOf(issue);
  const name = issue.code === "unrecognized_keys" ? issue.keys[0] : field;
  const why = issueReason(issue);
  if (field === undefined) return new InvalidInputError(why, name);
  return new InvalidInputError(msg("errors.input.field", { field, reason: why }), name);
}

/**
 * Validates `input` against `schema` and returns the parsed output.
 *
 * @throws {InvalidInputError} for the first issue, with message
 *   `field: reason` (e.g. `email: must be a valid email address`) and `field`
 *   set; an unknown key gives `compnay_name: unknown field`; an issue about
 *   the whole object (e.g. nothing to update) has no field
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { error: fallbackMessage });
  if (result.success) return result.data;
  throw issueError(result.error.issues[0]);
}

/**
 * Validates `input` against `schema` as {@link parseInput} does, but gives
 * every refusal instead of throwing the first: one per field at fault (its
 * first issue), in the schema's order, each as `parseInput` would throw it.
 * For imports, whose errors are reported per line and field.
 */
export function inputIssues<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: InvalidInputError[] } {
  const result = schema.safeParse(input, { error: fallbackMessage });
  if (result.success) return { ok: true, data: result.data };
  const errors: InvalidInputError[] = [];
  const fields = new Set<string | undefined>();
  for (const issue of result.error.issues) {
    const error = issueError(issue);
    if (fields.has(error.field)) continue;
    fields.add(error.field);
    errors.push(error);
  }
  return { ok: false, errors };
}

/**
 * Parses a positional id argument (`show ID`).
 *
 * @throws {InvalidInputError} `id: must be a positive integer id`
 */
export function parseId(value: unknown, field = "id"): number {
  return parseInput(z.strictObject({ [field]: idField }), { [field]: value })[field];
}

/** The object shape behind a schema, through refinements and transforms. */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  if (schema instanceof z.ZodPipe) return shapeOf(schema.in as z.ZodType);
  return undefined;
}

/**
 * The schema of one field of an object schema (through refinements and
 * transforms), to check a value of that field on its own elsewhere (a
 * restored row).
 *
 * @throws {Error} when the schema has no such field
 */
export function fieldSchema(schema: z.ZodType, field: string): z.ZodType {
  const found = shapeOf(schema)?.[field];
  if (found === undefined) throw new Error(`schema has no field "${field}"`); // i18n-ignore: a bug of the program
  return found;
}

/**
 * Validates one field of an object schema on its own, for validation at a
 * prompt; cross-field rules are not applied.
 *
 * @returns the reason the value is refused (without the field name), in
 *   English, or `undefined` when it is valid ({@link fieldReason} gives it
 *   as a message, to say in the reader's language)
 * @throws {Error} when the schema has no such field
 */
export function fieldError(schema: z.ZodType, field: string, value: unknown): string | undefined {
  const why = fieldReason(schema, field, value);
  return why === undefined || typeof why === "string" ? why : english(why);
}

/**
 * As {@link fieldError}, but the reason as a message of the `errors.*`
 * catalog (render it with `messageText` of `src/i18n/errors.ts`), or text
 * when zod said it itself.
 */
export function fieldReason(schema: z.ZodType, field: string, value: unknown): Message | string | undefined {
  const result = fieldSchema(schema, field).safeParse(value, { error: fallbackMessage });
  return result.success ? undefined : issueReason(result.error.issues[0]);
}
