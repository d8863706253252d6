/**
 * The rows of a backup, checked like the program's own input before any is
 * restored (and by `backup verify`, the restore drill): a row is refused
 * unless every value passes the rule of its field in the entity schemas of
 * `src/domain/schemas/` (roles, text without control characters, lengths,
 * emails, phones, amounts and `amount_due ≤ total`, dates and end after
 * start, ids, counts, booleans) *and* is already in the form the program
 * stores (trimmed, emails in lower case, roles in upper case, timestamps in
 * UTC ISO 8601 with milliseconds). The columns no input sets are checked by
 * the same field rules (ids, timestamps, counts), password hashes by their
 * bcrypt form, the audit trail by its entities and actions; rows come in
 * strictly increasing ids, as a backup writes them.
 *
 * A refusal is a {@link BackupFormatError} naming the file, the table, the
 * line and the column, never the value (a backup holds personal data).
 * @module
 */
import * as z from "zod";
import type { BackupHeader, BackupRow } from "../backup/format.ts";
import { BackupFormatError } from "../backup/format.ts";
import { InvalidInputError } from "../domain/errors.ts";
import { formatMoney } from "../domain/money.ts";
import {
  auditFilterSchema,
  clientCreateSchema,
  contractCreateSchema,
  eventCreateSchema,
  fieldSchema,
  parseInput,
  userCreateSchema,
} from "../domain/schemas/mod.ts";
import { booleanField, countField, dateField, idField, textField } from "../domain/schemas/fields.ts";
import { BACKUP_TABLES } from "../repositories/backup.ts";

/** How a stored column is given to an entity's input schema. */
interface InputField {
  /** The stored column (`total_amount_cents`). */
  column: string;
  /** The stored value as it would be typed (cents → `"1500.50"`). */
  toInput?: (value: unknown) => unknown;
}

/** The rules of one table. */
interface TableRules {
  /** The entity's create schema and the stored columns its fields come from. */
  input?: { schema: z.ZodType; fields: Readonly<Record<string, InputField>> };
  /** The other columns: each stored value must pass its field rule unchanged. */
  columns: z.ZodObject;
}

const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const AUDIT_ACTION = /^[a-z][a-z_]*(\.[a-z_]+)*$/;
// deno-lint-ignore no-control-regex
const C0_CONTROL = /[\u0000-\u001f]/;
const STORED_FORM = "is not in the form the program stores (trimmed, emails in lower case, roles in upper case)";
const TIMESTAMP_FORM = "must be a UTC timestamp such as 2025-06-01T09:00:00.000Z";

const timestamp = dateField("UTC");
const passwordHash = z.string().regex(BCRYPT_HASH, { error: "must be a bcrypt hash ($2b$12$ and 53 characters)" });
const auditAction = textField(1, 40).regex(AUDIT_ACTION, { error: "must be an action such as client.created" });
const auditChanges = z.string().refine((text) => {
  if (C0_CONTROL.test(text)) return false;
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}, { error: "must be the JSON text of an object" });

/** Cents as an amount is typed (`150050` → `"1500.50"`), or as it is when it is not whole cents. */
function amountOf(value: unknown): unknown {
  return typeof value === "number" && Number.isSafeInteger(value) ? formatMoney(value) : value;
}

const sameNames = (columns: string[]) => Object.fromEntries(columns.map((c) => [c, { column: c }]));

const RULES: Readonly<Record<string, TableRules>> = {
  users: {
    input: {
      schema: userCreateSchema,
      fields: sameNames(["first_name", "last_name", "email", "phone", "role"]),
    },
    columns: z.strictObject({
      id: idField,
      password_hash: passwordHash,
      created_at: timestamp,
      updated_at: timestamp,
      session_epoch: countField,
    }).partial(),
  },
  clients: {
    input: {
      schema: clientCreateSchema,
      fields: sameNames(["full_name", "email", "phone", "company_name", "sales_contact_id"]),
    },
    columns: z.strictObject({ id: idField, created_at: timestamp, last_updated: timestamp }).partial(),
  },
  contracts: {
    input: {
      schema: contractCreateSchema,
      fields: {
        ...sameNames(["client_id", "sales_contact_id"]),
        total_amount: { column: "total_amount_cents", toInput: amountOf },
        amount_due: { column: "amount_due_cents", toInput: amountOf },
      },
    },
    columns: z.strictObject({ id: idField, created_at: timestamp, signed_status: booleanField }).partial(),
  },
  events: {
    input: {
      schema: eventCreateSchema("UTC"),
      fields: sameNames([
        "name",
        "contract_id",
        "client_contact",
        "start_date",
        "end_date",
        "location",
        "attendees",
        "notes",
        "support_contact_id",
      ]),
    },
    columns: z.strictObject({ id: idField, client_id: idField }).partial(),
  },
  audit_log: {
    columns: z.strictObject({
      id: idField,
      occurred_at: timestamp,
      actor_id: idField.nullable(),
      action: auditAction,
      entity: fieldSchema(auditFilterSchema("UTC"), "entity"),
      entity_id: idField.nullable(),
      changes: auditChanges.nullable(),
    }).partial(),
  },
};

/** The stored form of an output value, to compare with the stored value. */
function stored(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Parses `input` with `schema`; the message names the stored column of the
 * field at fault (`amount_due_cents: must not exceed total_amount`).
 * @returns the parsed output, or the reason it is refused
 */
function check(
  schema: z.ZodType,
  input: Record<string, unknown>,
  columnOf: (field: string) => string,
): { output: Record<string, unknown> } | { reason: string } {
  try {
    return { output: parseInput(schema, input) as Record<string, unknown> };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const field = error.field;
    if (field === undefined || !error.message.startsWith(`${field}: `)) return { reason: error.message };
    return { reason: `${columnOf(field)}: ${error.message.slice(field.length + 2)}` };
  }
}

/** Why a row of `table` is refused, or undefined when it passes. */
function rowProblem(rules: TableRules, row: Record<string, unknown>): string | undefined {
  const compare: Array<[column: string, output: unknown]> = [];
  if (rules.input) {
    const fields = Object.entries(rules.input.fields);
    const input = Object.fromEntries(fields.map(([field, f]) => [field, (f.toInput ?? ((v) => v))(row[f.column])]));
    const result = check(rules.input.schema, input, (field) => rules.input!.fields[field]?.column ?? field);
    if ("reason" in result) return result.reason;
    for (const [field, f] of fields) compare.push([f.column, result.output[field]]);
  }
  const others = Object.fromEntries(Object.keys(rules.columns.shape).filter((c) => c in row).map((c) => [c, row[c]]));
  const result = check(rules.columns, others, (c) => c);
  if ("reason" in result) return result.reason;
  for (const column of Object.keys(others)) compare.push([column, result.output[column]]);
  for (const [column, output] of compare) {
    const value = row[column];
    if (stored(output) === value) continue;
    const isTime = output instanceof Date;
    if (isTime || typeof value === "string" && typeof output === "string") {
      return `${column}: ${isTime ? TIMESTAMP_FORM : STORED_FORM}`;
    }
    if (column.endsWith("_cents")) return `${column}: must be a whole number of cents, 0 or more`;
    return `${column}: must be ${typeof output === "boolean" ? "true or false" : "a whole number"}`;
  }
  return undefined;
}

/** Checks the rows of one backup, batch after batch (one checker per read of the file). */
export type RowChecker = (batch: readonly BackupRow[]) => void;

/**
 * A checker of the rows of the backup at `path` with this header. Rows of
 * tables that are not data (`SESSION_TABLES`, held by older backups and never
 * restored) and of tables this program does not know (refused before any
 * restore) are not checked.
 *
 * @throws {BackupFormatError} `FILE: table users, line 5: role: must be one of MANAGEMENT, SALES, SUPPORT`
 */
export function rowChecker(path: string, header: BackupHeader): RowChecker {
  const columns = new Map(header.tables.map((t) => [t.name, t.columns]));
  const keys = new Map(BACKUP_TABLES.map((t) => [t.name, t.key]));
  const last = new Map<string, number>();
  return (batch) => {
    for (const { table, row, line } of batch) {
      if (!keys.has(table)) continue;
      const rules = RULES[table];
      if (!rules) throw new Error(`backup rows: no rules for table ${table} (add them in src/services/backup_rows.ts)`);
      const refuse = (what: string): never => {
        throw new BackupFormatError(`${path}: table ${table}, line ${line}: ${what}`);
      };
      const expected = columns.get(table)!;
      const names = Object.keys(row);
      if (names.length !== expected.length || names.some((n) => !expected.includes(n))) {
        refuse("the row does not have the header's columns");
      }
      const problem = rowProblem(rules, row);
      if (problem !== undefined) refuse(problem);
      const key = keys.get(table)!;
      const id = row[key] as number;
      if (id <= (last.get(table) ?? 0)) {
        refuse(`${key}: not after the previous row's (a backup writes rows in ${key} order)`);
      }
      last.set(table, id);
    }
  };
}
