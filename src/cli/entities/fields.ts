/**
 * Each entity's fields, as the contract declares them (`src/contract/`): JSON
 * name, flag and aliases, help text, whether a create needs it, how it is
 * prompted for, its column title and how it prints. From them come the
 * flags of `create` and `update`, the mapping of flags to the port's input,
 * the prompts for what is missing on a terminal (each answer checked as it is
 * typed, by the use case's own schema), and the table, CSV and TSV columns.
 * @module
 */
import type * as z from "zod";
import {
  displayShapeOf,
  type FieldMeta,
  fieldMetaOf,
  recordMetaOf,
  type RecordSchema,
  type ValueKind,
} from "../../contract/meta.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import type { Crm, Me } from "../../port/crm.ts";
import { CHOICES } from "./choices.ts";
import { type Choice, type Deps, type FlagDef, missingOptions, type VerbInput } from "../verbs/verb.ts";
import type { Cell } from "../output/formats.ts";
import type { Column, Show } from "../output/print.ts";
import { readValue, valueOf } from "../input/values.ts";
import { t } from "../../i18n/mod.ts";

/** How a field is set from the command line (the contract's, with its defaults filled in). */
export interface FieldInput {
  /** The flag named in messages, e.g. `--total`. */
  flag: string;
  /** Other flags for the same field, e.g. `--total-amount`. */
  aliases?: readonly string[];
  /** Name of the value in help, e.g. `amount`. */
  arg: string;
  /** Message key of its help text (`cli.field.<noun>.<name>.help`). */
  help: string;
  /** How the typed text is read. */
  kind: ValueKind;
  /** Whether `create` needs it: always, or for some collaborators only (see `requiredNote`). */
  required?: boolean | ((me: Me) => boolean);
  /** The role it is required for, in help: `MANAGEMENT`. */
  requiredNote?: string;
  /** Whether `create` takes it (default true). */
  create?: boolean;
  /** Whether `update` takes it (default true); a message key replaces the help text there. */
  update?: boolean | string;
  /** Message key of the question asked on a terminal when it is missing. */
  prompt: string;
  /** The answers to pick from, instead of typing one. */
  choices?: (crm: Crm, me: Me) => Promise<Choice<string | number>[]>;
}

/** One field of an entity: a column, something a flag sets, or both. */
export interface Field<R> {
  /** JSON name (or, for a display-only value, its key in `display`). */
  name: string;
  /** Column title of CSV and TSV (the contract's label); without one the field is no column. */
  title?: string;
  /** Message key of the header tables show. */
  heading?: string;
  /** How it prints (default `text`). */
  show?: Show;
  /** Its value (default: `record[name]`, else `record.display[name]`). */
  value?: (record: R) => Cell;
  /** A table's text instead of the value's. */
  human?: (record: R) => Cell;
  /** Message key of a table's text when empty. */
  blank?: string;
  /** How a flag sets it. */
  input?: FieldInput;
}

/** How an entity's records are read and written through the port. */
export interface EntityPort<R, N, C> {
  get(crm: Crm, id: number): Promise<R>;
  create?(crm: Crm, input: N): Promise<R>;
  update?(crm: Crm, id: number, changes: Partial<C>): Promise<R>;
}

/**
 * An entity: its fields (in prompt order), which columns its views show, and
 * its port calls; `N` is the input of a create, `C` the changes of an update.
 */
export interface Entity<R, N = never, C = never> {
  /** Singular, lower case: `client`. */
  noun: string;
  fields: readonly Field<R>[];
  /** Names of the columns of a list, in order. */
  list: readonly string[];
  /** Names of the rows a record's detail shows after the list's columns. */
  more: readonly string[];
  /** Names of the list's columns a narrow terminal hides first, in order. */
  narrow?: readonly string[];
  /** Its calls of the port. */
  port?: EntityPort<R, N, C>;
  /**
   * Checks one typed value at a prompt as the use case will (lengths,
   * emails …): the reason it is refused, or undefined.
   */
  check?: (field: string, value: string, timeZone?: string) => string | undefined;
}

/** An entity whose records are read (and, with `N`/`C`, created and updated) through the port. */
export type PortEntity<R, N = never, C = never> = Entity<R, N, C> & { port: EntityPort<R, N, C> };

/** `--full-name` for `full_name`: the JSON name with dashes. */
export function flagOf(name: string): string {
  return `--${name.replaceAll("_", "-")}`;
}

/** How a value is typed in when the contract does not say: as it prints. */
const KIND_OF_SHOW: Readonly<Record<Show, ValueKind>> = {
  text: "text",
  number: "id",
  money: "money",
  bool: "bool",
  date: "date",
  role: "role",
};

/**
 * The message keys of a field's texts for people: the contract keeps its
 * English words for the API (OpenAPI), the CLI says them in the language in
 * use — `cli.field.<noun>.<name>.label` (a table's header), `.blank`,
 * `.help`, `.update` (help of `update`, when it differs) and `.prompt`.
 */
export function fieldKey(noun: string, name: string, text: "label" | "blank" | "help" | "update" | "prompt"): string {
  return `cli.field.${noun.replaceAll(" ", "_")}.${name}.${text}`;
}

function fieldOf<R>(noun: string, name: string, meta: FieldMeta): Field<R> {
  const show = meta.show ?? "text";
  const spec = meta.input;
  const role = typeof spec?.required === "string" ? spec.required : undefined;
  const key = (text: Parameters<typeof fieldKey>[2]) => fieldKey(noun, name, text);
  return {
    name,
    title: meta.label,
    heading: meta.label && key("label"),
    show,
    blank: meta.blank && key("blank"),
    input: spec && {
      flag: spec.flag ?? flagOf(name),
      aliases: spec.aliases,
      arg: spec.arg,
      help: key("help"),
      kind: spec.kind ?? KIND_OF_SHOW[show],
      required: role ? (me) => me.role === role : spec.required === true,
      requiredNote: role,
      create: spec.create !== false,
      update: spec.update === false ? false : spec.updateHelp ? key("update") : true,
      prompt: key("prompt"),
      choices: spec.choices && CHOICES[spec.choices],
    },
  };
}

/**
 * The entity of a record of the contract: its fields (the record's, then the
 * names of its `display`) with their flags, prompts and columns, as the
 * contract declares them; `overrides` change how some of them print.
 */
export function entityOf<R, N = never, C = never>(
  record: RecordSchema,
  options: {
    port?: EntityPort<R, N, C>;
    check?: Entity<R, N, C>["check"];
    overrides?: Readonly<Record<string, Pick<Field<R>, "value" | "human">>>;
  } = {},
): Entity<R, N, C> {
  const meta = recordMetaOf(record);
  const fields: Field<R>[] = [];
  const add = (name: string, schema: z.core.$ZodType) => {
    const fieldMeta = fieldMetaOf(schema);
    if (fieldMeta) fields.push({ ...fieldOf<R>(meta.noun, name, fieldMeta), ...options.overrides?.[name] });
  };
  const names = Object.keys(record.shape).filter((name) => name !== "display");
  const ask = meta.ask ?? [];
  for (const name of [...ask, ...names.filter((n) => !ask.includes(n))]) add(name, record.shape[name]);
  for (const [name, schema] of Object.entries(displayShapeOf(record))) add(name, schema);
  return {
    noun: meta.noun,
    fields,
    list: meta.list,
    more: meta.more,
    narrow: meta.narrow,
    port: options.port,
    check: options.check,
  };
}

/** Values read from flags, by JSON name, and which flag gave each. */
export interface FieldValues<I> {
  values: Partial<I>;
  /** The flag typed for each value (an alias when one was used). */
  flags: Readonly<Record<string, string>>;
}

/** Which fields a command takes: those of `create`, of `update`, or the ones named (all required). */
export type Which = "create" | "update" | readonly string[];

type InputField<R> = Field<R> & { input: FieldInput };

function takes<R>(field: InputField<R>, which: Which): boolean {
  if (typeof which !== "string") return which.includes(field.name);
  return which === "create" ? field.input.create !== false : field.input.update !== false;
}

function inputs<R>(entity: Entity<R, unknown, unknown>, which: Which): InputField<R>[] {
  return entity.fields.filter((f): f is InputField<R> => !!f.input && takes(f as InputField<R>, which));
}

function isRequired(spec: FieldInput, which: Which): boolean | ((me: Me) => boolean) {
  if (typeof which !== "string") return true;
  return which === "create" ? spec.required ?? false : false;
}

/** The flags of `create`, `update` or the named fields (aliases after their flag), required ones marked. */
export function fieldFlags<R>(entity: Entity<R, unknown, unknown>, which: Which): FlagDef[] {
  return inputs(entity, which).flatMap(({ name, input }) => {
    const help = which === "update" && typeof input.update === "string" ? input.update : input.help;
    const needed = isRequired(input, which);
    const required = needed ? (typeof needed === "function" ? input.requiredNote ?? true : true) : undefined;
    return [
      { flag: input.flag, arg: input.arg, help, required, field: name },
      ...(input.aliases ?? []).map((alias) => ({
        flag: alias,
        arg: input.arg,
        help: "cli.help.same_as",
        helpValues: { flag: input.flag },
        field: name,
      })),
    ];
  });
}

/**
 * Reads the fields of `create` or `update` from the flags: ids, numbers,
 * amounts, yes/no and roles are checked here (naming the flag typed); dates
 * stay as typed until {@link resolveDates} knows the time zone.
 *
 * @throws {InvalidInputError} for a value that cannot be read, or a field given twice
 */
export function readFields<R, I>(entity: Entity<R, unknown, unknown>, which: Which, input: VerbInput): FieldValues<I> {
  const values: Record<string, unknown> = {};
  const flags: Record<string, string> = {};
  for (const { name, input: spec } of inputs(entity, which)) {
    const given = [spec.flag, ...(spec.aliases ?? [])].filter((flag) => typeof input.flags[flag] === "string");
    if (given.length === 0) continue;
    if (given.length > 1) {
      throw new InvalidInputError(t("cli.fields.twice", { flag: given[1], other: given[0] }), name);
    }
    const [flag] = given;
    const typed = input.flags[flag] as string;
    values[name] = spec.kind === "date" ? typed : valueOf(readValue(spec.kind, typed), flag, name);
    flags[name] = flag;
  }
  return { values: values as Partial<I>, flags };
}

/**
 * Turns dates typed in local time into ISO 8601 instants (in `timeZone`).
 *
 * @throws {InvalidInputError} naming the flag for a date that cannot be read
 */
export function resolveDates<R, I>(
  entity: Entity<R, unknown, unknown>,
  read: FieldValues<I>,
  timeZone: string | undefined,
): Partial<I> {
  const values: Record<string, unknown> = { ...read.values };
  for (const field of entity.fields) {
    const value = values[field.name];
    if (field.input?.kind !== "date" || typeof value !== "string") continue;
    values[field.name] = valueOf(
      readValue("date", value, timeZone),
      read.flags[field.name] ?? field.input.flag,
      field.name,
    );
  }
  return values as Partial<I>;
}

/** `--a, --b or --c`: the flags an update may take, for "nothing to update". */
export function updateFlagList<R>(entity: Entity<R, unknown, unknown>, extra: readonly string[] = []): string {
  const flags = [...inputs(entity, "update").map((f) => f.input.flag), ...extra];
  if (flags.length < 2) return flags.join("");
  return t("cli.fields.or", { first: flags.slice(0, -1).join(", "), last: flags[flags.length - 1] });
}

/**
 * The changes of an `update`, dates as instants.
 *
 * @throws {InvalidInputError} `nothing to update: give at least one of --a, --b or --c` when none is given
 */
export function updateValues<R, I>(
  entity: Entity<R, unknown, unknown>,
  read: FieldValues<I>,
  deps: Pick<Deps, "clock">,
): Partial<I> {
  if (Object.keys(read.values).length === 0) {
    throw new InvalidInputError(t("cli.fields.nothing_to_update", { flags: updateFlagList(entity) }));
  }
  return resolveDates(entity, read, deps.clock.timeZone);
}

/** A prompt's validator for one field: read as its kind, then checked as the use case will. */
function validator<R>(entity: Entity<R, unknown, unknown>, field: InputField<R>, timeZone: string | undefined) {
  return (answer: string): string | true => {
    const reading = readValue(field.input.kind, answer, timeZone);
    if (!reading.ok) return reading.reason;
    return entity.check?.(field.name, answer, timeZone) ?? true;
  };
}

/**
 * Completes the fields of a `create` (or the named ones): every required
 * field missing from the flags is asked for on a terminal, in declaration
 * order, each answer checked as it is typed; without a terminal, one error
 * names every missing flag (exit 2). Dates end up as ISO 8601 instants.
 */
export async function completeFields<R, I>(
  entity: Entity<R, unknown, unknown>,
  read: FieldValues<I>,
  deps: Deps,
  which: Which = "create",
): Promise<I> {
  const values: Record<string, unknown> = { ...resolveDates(entity, read, deps.clock.timeZone) };
  let me: Promise<Me> | undefined;
  const whoami = () => me ??= deps.crm.whoami();
  const missing: InputField<R>[] = [];
  for (const field of inputs(entity, which)) {
    if (values[field.name] !== undefined) continue;
    const needed = isRequired(field.input, which);
    if (typeof needed === "function" ? needed(await whoami()) : needed) missing.push(field);
  }
  if (missing.length === 0) return values as I;
  if (!deps.prompter.interactive) {
    throw new InvalidInputError(missingOptions(missing.map((f) => f.input.flag)), missing[0].name);
  }
  // Who is asking is known before the first question: no prompts for someone not logged in.
  const asker = await whoami();
  for (const field of missing) {
    const { input } = field;
    if (input.choices) {
      values[field.name] = await deps.prompter.select(t(input.prompt), await input.choices(deps.crm, asker));
    } else {
      const answer = await deps.prompter.text(t(input.prompt), {
        validate: validator(entity, field, deps.clock.timeZone),
      });
      values[field.name] = valueOf(readValue(input.kind, answer, deps.clock.timeZone), input.flag, field.name);
    }
  }
  return values as I;
}

function defaultValue<R>(name: string): (record: R) => Cell {
  return (record) => {
    const r = record as Record<string, unknown> & { display?: Record<string, unknown> };
    return (name in r ? r[name] : r.display?.[name]) as Cell;
  };
}

/** The columns of a view of `entity`: a list's, or a record's `detail` (the list's and `more`). */
export function columns<R>(entity: Entity<R, unknown, unknown>, view: "list" | "detail"): Column<R>[] {
  const names = view === "list" ? entity.list : [...entity.list, ...entity.more];
  return names.map((name) => {
    const field = entity.fields.find((f) => f.name === name);
    // i18n-ignore: a programming error, caught by the tests
    if (!field?.title) throw new Error(`${entity.noun}: no column "${name}"`);
    const narrow = view === "list" ? entity.narrow?.indexOf(name) ?? -1 : -1;
    return {
      title: field.title,
      heading: field.heading,
      show: field.show ?? "text",
      value: field.value ?? defaultValue<R>(name),
      human: field.human,
      blank: field.blank,
      ...(narrow >= 0 ? { hideFirst: narrow } : {}),
    };
  });
}
