/**
 * How the contract describes a field beyond its type, and the building blocks
 * its records are made of.
 *
 * Each field of a record is declared once, with {@link field}: its zod schema
 * (the `--json` shape), its description (which zod carries into the OpenAPI
 * document) and its {@link FieldMeta} — the column title, how it prints, and
 * how the command line sets it (flag, help, prompt). The CLI's flags, prompts,
 * help and columns are read from here; so are the storage hints the
 * repositories and backups need (`cents`). Texts meant for people (labels,
 * help, prompts) all sit in {@link FieldMeta}, one place per field.
 *
 * The metadata lives in a registry of its own ({@link FIELDS}), not in zod's
 * global one, so that it never leaks into the OpenAPI document.
 * @module
 */
import * as z from "zod";
import { formatMoney } from "../domain/money.ts";
import { type Role, ROLES } from "../domain/roles.ts";
import { booleanField, idField as idRule, limitField, offsetField } from "../domain/schemas/fields.ts";

/** How a value prints in a table, CSV or TSV (`role`: its name in the reader's language in tables, the value elsewhere). */
export type Show = "text" | "number" | "money" | "bool" | "date" | "role";

/** How a value typed on the command line is read. */
export type ValueKind = "text" | "id" | "whole" | "money" | "bool" | "role" | "date";

/** Where the answers of a pick-one prompt come from. */
export type ChoiceSource = "sales" | "support" | "roles" | "clients" | "signed_contracts";

/** How the command line sets a field (`create`, `update` and the verbs that name it). */
export interface FieldInput {
  /** The flag named in messages; default: `--` and the field's name with dashes (`--full-name`). */
  flag?: string;
  /** Other flags for the same field, e.g. `--total-amount` for `--total`. */
  aliases?: readonly string[];
  /** Name of the value in help, e.g. `amount`. */
  arg: string;
  /** Help text of the flag. */
  help: string;
  /** Help text of `update`, when it differs (`phone number (empty clears it)`). */
  updateHelp?: string;
  /** How the typed text is read (default: as the field prints: ids as ids, amounts as amounts …). */
  kind?: ValueKind;
  /** The question asked on a terminal when a required value is missing. */
  prompt: string;
  /** Whether `create` needs it: always (`true`), or when a collaborator of this role creates. */
  required?: true | Role;
  /** `false`: `create` does not take it. */
  create?: false;
  /** `false`: `update` does not take it. */
  update?: false;
  /** Pick the answer from a list instead of typing it. */
  choices?: ChoiceSource;
}

/** How a list's filter is typed on the command line (its flag is `--` and its name with dashes). */
export interface FilterInput {
  /** Name of its value in help; none for a yes/no switch. */
  arg?: string;
  /** How the typed text is read (default: as typed). */
  kind?: ValueKind;
  /** The words it accepts (any case, plural too). */
  words?: readonly string[];
}

/** What the contract says of a field besides its type and description. */
export interface FieldMeta {
  /** Column title in tables, CSV and TSV headers; none for a filter. */
  label?: string;
  /** How it prints (default `text`). */
  show?: Show;
  /** A table's text when the value is empty, e.g. `(unassigned)`. */
  blank?: string;
  /** Stored as integer cents in the column `<name>_cents` (the record has the decimal text). */
  cents?: true;
  /** How the command line sets it; absent: it is never typed in. */
  input?: FieldInput;
  /** A list's filter: how its flag is typed (its description is the flag's help). */
  filter?: FilterInput;
}

/** The registry of {@link FieldMeta}, by field schema. */
export const FIELDS: z.core.$ZodRegistry<FieldMeta> = z.registry<FieldMeta>();

/** What the contract says of a record besides its fields. */
export interface RecordMeta {
  /** Singular, lower case, as messages say it: `client`, `audit entry`. */
  noun: string;
  /** The columns of a list, in order. */
  list: readonly string[];
  /** The rows a record's detail shows after the list's columns. */
  more: readonly string[];
  /**
   * The list's columns a narrow terminal hides first, in this order, when
   * shortening text is not enough (the others then go from the right).
   */
  narrow?: readonly string[];
  /** The order of the flags and prompts, when it is not the record's (fields not named follow in its order). */
  ask?: readonly string[];
}

/** The registry of {@link RecordMeta}, by record schema. */
export const RECORDS: z.core.$ZodRegistry<RecordMeta> = z.registry<RecordMeta>();

/** `schema` described (OpenAPI) and registered with its field metadata (CLI, storage). */
export function field<S extends z.ZodType>(schema: S, description: string, meta: FieldMeta): S {
  const described = schema.describe(description);
  FIELDS.add(described, meta);
  return described;
}

/** A list's filter `schema`: `help` is both its flag's help and its description in the API. */
export function filter<S extends z.ZodType>(schema: S, help: string, input: FilterInput = {}): S {
  return field(schema, help, { filter: input });
}

/** The description of a field schema, or undefined. */
export function descriptionOf(schema: z.core.$ZodType): string | undefined {
  return z.globalRegistry.get(schema)?.description;
}

/** The metadata of a field schema (through `.optional()`), or undefined. */
export function fieldMetaOf(schema: z.core.$ZodType): FieldMeta | undefined {
  const meta = FIELDS.get(schema);
  if (meta !== undefined) return meta;
  if (schema instanceof z.ZodOptional) return fieldMetaOf(schema.unwrap());
  return undefined;
}

// ---------------------------------------------------------------------------
// Building blocks of the records (the JSON a command prints, the API answers)

/** A positive integer id. */
export const ID = z.number().int().min(1);
/** A count, 0 or more. */
export const COUNT = z.number().int().min(0);
/** An instant: ISO 8601 in UTC, with `Z`. */
export const INSTANT = z.iso.datetime({ offset: false }).describe("ISO 8601 instant in UTC, with Z");
/** An exact amount: a decimal string with two digits. */
export const MONEY = z.string().regex(/^-?\d+\.\d{2}$/).describe('exact decimal with two digits, e.g. "1500.00"');
/** A role. */
export const ROLE = z.enum(ROLES);

/** An id field (prints as a number; typed as an id). */
export function idField(description: string, meta: FieldMeta): z.ZodNumber {
  return field(ID, description, { show: "number", ...meta });
}

/** An instant field (prints as a date; typed in as a date, local or ISO 8601, when `input` says how). */
export function instantField(description: string, label: string, input?: FieldInput): typeof INSTANT {
  return field(INSTANT, description, { label, show: "date", input });
}

/** An amount field, stored in cents (prints as money; typed as an amount). */
export function moneyField(description: string, meta: FieldMeta): typeof MONEY {
  return field(MONEY, description, { show: "money", cents: true, ...meta });
}

/** The name a table shows beside an id (under `display`, never in `--json`). */
export function displayName(description: string, meta: FieldMeta): z.ZodOptional<z.ZodString> {
  return field(z.string(), description, meta).optional();
}

/**
 * A record: a strict object of `shape` (its fields in the order of a
 * detail), registered with its noun and the columns of its views.
 */
export function record<S extends z.ZodRawShape>(shape: S, meta: RecordMeta): z.ZodObject<S, z.core.$strict> {
  const schema = z.strictObject(shape);
  RECORDS.add(schema, meta);
  return schema;
}

/** The metadata of a record schema. */
export function recordMetaOf(schema: z.ZodType): RecordMeta {
  const meta = RECORDS.get(schema);
  if (meta === undefined) throw new Error("not a record of the contract");
  return meta;
}

/** The names tables show beside ids, by key of a record's `display`. */
const DISPLAY_NAMES = {
  client_name: displayName("The client's full name.", { label: "CLIENT" }),
  sales_contact_name: displayName("`First Last` of the sales contact.", { label: "SALES CONTACT" }),
  support_contact_name: field(
    z.string().nullable(),
    "`First Last` of the support contact, or null when unassigned.",
    { label: "SUPPORT", blank: "(unassigned)" },
  ).optional(),
};

/** A display name's key. */
export type DisplayName = keyof typeof DISPLAY_NAMES;

/**
 * A record's `display`: the names of `names`, looked up for tables (never
 * part of the resource: `--json` leaves it out, the API sends it only with
 * `?display=true`).
 */
export function display<K extends DisplayName>(
  ...names: K[]
): z.ZodOptional<z.ZodObject<Pick<typeof DISPLAY_NAMES, K>, z.core.$strict>> {
  const shape: Partial<Pick<typeof DISPLAY_NAMES, K>> = {};
  for (const name of names) shape[name] = DISPLAY_NAMES[name];
  return z.strictObject(shape as Pick<typeof DISPLAY_NAMES, K>)
    .describe("names for tables; only with ?display=true, never part of the resource").optional();
}

/**
 * Paging of every list, and whether its rows carry their `display` names
 * (the port's default; the API's is false): names that are not asked for
 * are not looked up.
 */
export const PAGE = {
  limit: filter(limitField.optional(), "at most N rows", { arg: "n", kind: "whole" }),
  offset: filter(offsetField.optional(), "skip the first N rows", { arg: "n", kind: "whole" }),
  display: filter(
    booleanField.optional(),
    "add the names tables show (client, sales and support contact) under display",
  ),
};

/** `{id}` of a path: the record an operation is about. */
export const BY_ID = z.strictObject({ id: idRule.describe("the id of the record") });

/** `dry_run` of every delete. */
export const DRY_RUN = booleanField.optional().describe("run every check of the delete and change nothing");

/** `cascade` of the deletes that may take dependents along. */
export const CASCADE = booleanField.optional().describe("also delete what depends on it");

// ---------------------------------------------------------------------------
// From stored rows to records

/** A record schema of the contract. */
export type RecordSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/** The fields of a record's `display` (none when it has no display names). */
export function displayShapeOf(schema: RecordSchema): z.core.$ZodShape {
  const display = schema.shape.display;
  if (!(display instanceof z.ZodOptional)) return {};
  const inner = display.unwrap();
  return inner instanceof z.ZodObject ? inner.shape : {};
}

/** The keys of a record's `display` (none when it has no display names). */
export function displayNamesOf(schema: RecordSchema): string[] {
  return Object.keys(displayShapeOf(schema));
}

/** The record's fields stored in cents, each as `[name, column]`: `["total_amount", "total_amount_cents"]`. */
export function centsFieldsOf(schema: RecordSchema): [string, string][] {
  return Object.entries(schema.shape)
    .filter(([, field]) => fieldMetaOf(field as z.ZodType)?.cents)
    .map(([name]) => [name, `${name}_cents`]);
}

/**
 * The record of a stored row: each field of `schema` from the column of the
 * same name (an amount from its `_cents` column, formatted as `"1500.00"`,
 * null staying null),
 * and `display` when the row carries its names (a list asked without them
 * has none). Other columns of the row are left out.
 *
 * A row that is its record already — exactly the record's columns, in its
 * order, none in cents (a client of a list without display names) — is
 * returned itself rather than copied (one object less per row of a page):
 * neither is changed afterwards.
 */
export function toRecord<S extends RecordSchema>(schema: S, row: object): z.output<S> {
  const { fields, names, plain } = RECORD_LAYOUTS.get(schema) ?? layoutOf(schema);
  const source = row as Record<string, unknown>;
  if (plain && isExactly(source, fields)) return row as z.output<S>;
  const out: Record<string, unknown> = {};
  for (const [name, column] of fields) {
    const stored = source[column ?? name];
    out[name] = column === undefined || stored === null ? stored : formatMoney(Number(stored));
  }
  if (names.length > 0 && source[names[0]] !== undefined) {
    out.display = Object.fromEntries(names.map((name) => [name, source[name]]));
  }
  return out as z.output<S>;
}

/**
 * What {@link toRecord} reads of a schema, looked up once per schema (the
 * field metadata lookups cost more than the copy itself, row after row).
 */
interface RecordLayout {
  /** Each field but `display`, with its `_cents` column when it is an amount. */
  fields: [string, string | undefined][];
  names: string[];
  /** No field is stored in cents: a row of exactly the fields' columns is the record. */
  plain: boolean;
}

/** Whether `row`'s own keys are exactly the fields' names, in their order. */
function isExactly(row: Record<string, unknown>, fields: readonly [string, string | undefined][]): boolean {
  let i = 0;
  for (const key in row) {
    if (i === fields.length || key !== fields[i][0]) return false;
    i++;
  }
  return i === fields.length;
}

const RECORD_LAYOUTS = new WeakMap<RecordSchema, RecordLayout>();

function layoutOf(schema: RecordSchema): RecordLayout {
  const cents = new Map(centsFieldsOf(schema));
  const layout: RecordLayout = {
    fields: Object.keys(schema.shape).filter((name) => name !== "display").map((name) => [name, cents.get(name)]),
    names: displayNamesOf(schema),
    plain: cents.size === 0,
  };
  RECORD_LAYOUTS.set(schema, layout);
  return layout;
}

/** `values` with its keys in the order of the record's fields (then any others): how rows and audit entries list them. */
export function inRecordOrder<T extends object>(schema: RecordSchema, values: T): T {
  const order = Object.keys(schema.shape);
  const rank = (key: string) => order.includes(key) ? order.indexOf(key) : order.length;
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => rank(a) - rank(b))) as T;
}

/** The columns of a record's fields, as a select list: `c.id, c.full_name, …` (amounts: their `_cents` column). */
export function columnsOf(schema: RecordSchema, alias: string): string {
  const cents = new Map(centsFieldsOf(schema));
  return Object.keys(schema.shape).filter((name) => name !== "display")
    .map((name) => `${alias}.${cents.get(name) ?? name}`).join(", ");
}

/** How a column's values are stored and written to a backup. */
export type StoredKind = "integer" | "text" | "timestamp" | "boolean";

/** The stored kind of each way a field prints: numbers and amounts (in cents) are integers, dates timestamps. */
const STORED_KIND: Readonly<Record<Show, StoredKind>> = {
  text: "text",
  number: "integer",
  money: "integer",
  bool: "boolean",
  date: "timestamp",
  role: "text",
};

/**
 * The columns of a record's fields and how each is stored, in the record's
 * order: `{ id: "integer", …, total_amount_cents: "integer", … }`.
 */
export function storedColumnsOf(schema: RecordSchema): Record<string, StoredKind> {
  const cents = new Map(centsFieldsOf(schema));
  const columns: Record<string, StoredKind> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    if (name === "display") continue;
    columns[cents.get(name) ?? name] = STORED_KIND[fieldMetaOf(field)?.show ?? "text"];
  }
  return columns;
}

/** How a field prints in JSON: a number, text, an ISO instant, a boolean, or an amount kept in cents (`"1500.00"`). */
export type JsonKind = StoredKind | "cents";

/**
 * The record's fields in their order (but `display`), each with its column,
 * how it prints in JSON and whether it may be null: `{ name: "total_amount",
 * column: "total_amount_cents", kind: "cents", nullable: false }`.
 */
export function jsonColumnsOf(
  schema: RecordSchema,
): { name: string; column: string; kind: JsonKind; nullable: boolean }[] {
  const cents = new Map(centsFieldsOf(schema));
  return Object.entries(schema.shape).filter(([name]) => name !== "display").map(([name, field]) => {
    const column = cents.get(name);
    return {
      name,
      column: column ?? name,
      kind: column ? "cents" : STORED_KIND[fieldMetaOf(field)?.show ?? "text"],
      nullable: (field as z.ZodType).safeParse(null).success,
    };
  });
}

/** An error's kind, as `error.code` of the JSON error object and `code` of an import's line error. */
export const ERROR_CODE = z.enum([
  "internal",
  "invalid_input",
  "not_authenticated",
  "permission_denied",
  "not_found",
  "conflict",
  "unavailable",
]);
