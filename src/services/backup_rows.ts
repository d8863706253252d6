/**
 * The rows of a backup, checked like the program's own input before any is
 * restored (and by `backup verify`, the restore drill): a row is refused
 * unless every value passes the rule of its field in the entity schemas of
 * `src/contract/` (roles, text without control characters, lengths,
 * emails, phones, amounts and `amount_due ≤ total`, dates and end after
 * start, ids, counts, booleans) *and* is already in the form the program
 * stores (trimmed, emails in lower case, roles in upper case, timestamps in
 * UTC ISO 8601 with milliseconds). The columns no input sets are checked by
 * the same field rules (ids, timestamps, counts), password hashes by their
 * bcrypt form, the audit trail by its entities and actions; rows come in
 * strictly increasing ids, as a backup writes them.
 *
 * The columns of the records are checked by the rules of the records'
 * fields (`recordColumns`): a field added to a record is checked without an
 * edit here.
 *
 * A refusal is a {@link BackupFormatError} naming the file, the table, the
 * line and the column, never the value (a backup holds personal data).
 * @module
 */
import * as z from "zod";
import type { BackupHeader, BackupRow } from "../backup/format.ts";
import { BackupFormatError } from "../backup/format.ts";
import { formatMoney } from "../domain/money.ts";
import { type Message, msg, reason } from "../domain/messages.ts";
import { auditListSchema, auditRecord } from "../contract/audit.ts";
import { clientCreateSchema, clientRecord } from "../contract/clients.ts";
import { amountDueWithinTotal, contractCreateSchema, contractRecord } from "../contract/contracts.ts";
import { endAfterStart, eventCreateSchema, eventRecord } from "../contract/events.ts";
import { centsFieldsOf, fieldMetaOf, type RecordSchema } from "../contract/meta.ts";
import { userCreateSchema, userRecord } from "../contract/users.ts";
import { fieldReason, fieldSchema } from "../domain/schemas/mod.ts";
import { booleanField, countField, dateField, idField, textField } from "../domain/schemas/fields.ts";
import { BACKUP_TABLES } from "../repositories/backup.ts";

/** The rules of one table: a field rule per stored column, and the invariants across columns. */
interface TableRules {
  /**
   * Each stored value must pass its column's rule unchanged (a column absent
   * at an older schema version is not checked). Checked one column at a time:
   * parsing the whole object costs half as much again.
   */
  columns: z.ZodObject;
  /** Invariants of a parsed row: the reason one fails (naming its column), or undefined. */
  invariants?: (row: Record<string, unknown>) => Message | undefined;
}

const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const AUDIT_ACTION = /^[a-z][a-z_]*(\.[a-z_]+)*$/;
// deno-lint-ignore no-control-regex
const C0_CONTROL = /[\u0000-\u001f]/;

const timestamp = dateField("UTC");
const passwordHash = z.string().regex(BCRYPT_HASH, { error: reason("errors.restore.bcrypt") });
const auditAction = textField(1, 40).regex(AUDIT_ACTION, { error: reason("errors.restore.action") });
const auditChanges = z.string().refine((text) => {
  if (C0_CONTROL.test(text)) return false;
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}, { error: reason("errors.restore.json_object") });

/** Cents as an amount is typed (`150050` → `"1500.50"`), or as it is when it is not whole cents. */
function amountOf(value: unknown): unknown {
  return typeof value === "number" && Number.isSafeInteger(value) ? formatMoney(value) : value;
}

/**
 * The rules of the stored columns of a record of the contract: a field that
 * its input schema `input` takes has that field's rule (an amount, stored in
 * cents, read back as typed), any other the rule of its kind (ids, dates,
 * yes/no; nullable when the record's field is); `extra` gives the rules of
 * the columns the record does not show, and overrides. The input schema's
 * object-level refinements are applied as `invariants`: parsing the refined
 * object costs twice as much.
 */
function recordColumns(
  record: RecordSchema,
  input: z.ZodType | undefined,
  extra: Readonly<Record<string, z.ZodType>> = {},
): z.ZodObject {
  const cents = new Map(centsFieldsOf(record));
  const rules: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(record.shape)) {
    if (name === "display") continue;
    const column = cents.get(name) ?? name;
    const taken = input !== undefined && fieldSchemaOrNone(input, name);
    let rule = taken || ruleOfKind(fieldMetaOf(field)?.show, field);
    if (cents.has(name)) rule = z.preprocess(amountOf, rule);
    rules[column] = rule;
  }
  return z.strictObject({ ...rules, ...extra });
}

/** The rule of an input schema's field, or undefined when it takes no such field. */
function fieldSchemaOrNone(input: z.ZodType, name: string): z.ZodType | undefined {
  try {
    return fieldSchema(input, name);
  } catch {
    return undefined;
  }
}

/** The rule of a column no input sets, from how its field prints (nullable when the field is). */
function ruleOfKind(show: string | undefined, field: z.core.$ZodType): z.ZodType {
  const rule = show === "number" ? idField : show === "date" ? timestamp : show === "bool" ? booleanField : z.string();
  return z.safeParse(field, null).success ? rule.nullable() : rule;
}

const RULES: Readonly<Record<string, TableRules>> = {
  users: {
    columns: recordColumns(userRecord, userCreateSchema, { password_hash: passwordHash, session_epoch: countField }),
  },
  clients: { columns: recordColumns(clientRecord, clientCreateSchema) },
  contracts: {
    columns: recordColumns(contractRecord, contractCreateSchema, { signed_at: timestamp.nullable() }),
    invariants: (row) =>
      amountDueWithinTotal({
          total_amount: row.total_amount_cents as number | undefined,
          amount_due: row.amount_due_cents as number | undefined,
        })
        ? undefined
        : msg("errors.input.field", {
          field: "amount_due_cents",
          reason: msg("errors.contract.amount_due_above_total"),
        }),
  },
  events: {
    columns: recordColumns(eventRecord, eventCreateSchema("UTC"), { updated_at: timestamp.nullable() }),
    invariants: (row) =>
      endAfterStart(row as { start_date?: Date; end_date?: Date })
        ? undefined
        : msg("errors.input.field", { field: "end_date", reason: msg("errors.event.end_before_start") }),
  },
  audit_log: {
    columns: recordColumns(auditRecord, undefined, {
      action: auditAction,
      entity: fieldSchema(auditListSchema("UTC"), "entity"),
      changes: auditChanges.nullable(),
    }),
  },
};

/** A timestamp as `Date.prototype.toISOString` writes it (what the program stores). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Whether a stored value is the output of its rule unchanged. A date that
 * parsed (a valid instant, years 1000–9999) is its own `toISOString()` when it
 * has that exact shape, which is much faster to check.
 */
function unchanged(parsed: unknown, value: unknown): boolean {
  return parsed instanceof Date ? typeof value === "string" && ISO_UTC.test(value) : parsed === value;
}

/** Why a row is refused, or undefined when it passes (its columns already match the header's). */
function rowProblem(rules: TableRules, row: Record<string, unknown>): Message | undefined {
  const refused = (field: string, reason: Message | string): Message => msg("errors.input.field", { field, reason });
  const shape = rules.columns.shape as Record<string, z.ZodType>;
  const output: Record<string, unknown> = {};
  for (const column in row) {
    const value = row[column];
    const rule = shape[column];
    if (rule === undefined) return refused(column, msg("errors.restore.not_a_column"));
    const result = rule.safeParse(value);
    // The message the program's own input gets for this value.
    if (!result.success) {
      return refused(column, fieldReason(rules.columns, column, value) ?? msg("errors.restore.refused"));
    }
    const parsed = result.data;
    if (!unchanged(parsed, value)) {
      const isTime = parsed instanceof Date;
      if (isTime || typeof value === "string" && typeof parsed === "string") {
        return refused(column, msg(isTime ? "errors.restore.timestamp_form" : "errors.restore.stored_form"));
      }
      if (column.endsWith("_cents")) return refused(column, msg("errors.restore.cents"));
      return refused(column, msg(typeof parsed === "boolean" ? "errors.reason.boolean" : "errors.restore.whole"));
    }
    output[column] = parsed;
  }
  return rules.invariants?.(output);
}

/** `id: not after the previous row's (a backup writes rows in id order)`. */
function refusedOrder(key: string): Message {
  return msg("errors.input.field", { field: key, reason: msg("errors.restore.order", { key }) });
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
      // i18n-ignore: a bug of the program
      if (!rules) throw new Error(`backup rows: no rules for table ${table} (add them in src/services/backup_rows.ts)`);
      const refuse = (what: Message): never => {
        throw new BackupFormatError(msg("errors.restore.row", { path, table, line, what }));
      };
      const expected = columns.get(table)!;
      const names = Object.keys(row);
      if (names.length !== expected.length || names.some((n) => !expected.includes(n))) {
        refuse(msg("errors.restore.columns"));
      }
      const problem = rowProblem(rules, row);
      if (problem !== undefined) refuse(problem);
      const key = keys.get(table)!;
      const id = row[key] as number;
      if (id <= (last.get(table) ?? 0)) {
        refuse(refusedOrder(key));
      }
      last.set(table, id);
    }
  };
}
