/**
 * SQL of backups: which tables and columns a backup holds, reading them in
 * keyset pages (inside the caller's snapshot), and writing them back.
 *
 * Every table of the schema must be listed in {@link BACKUP_TABLES}: a
 * backup refuses a database holding a table or column it does not know,
 * rather than leaving it out silently. The columns of a table that holds a
 * record of the contract are the record's (`storedColumnsOf`: a new field of
 * a record is backed up without an edit here), plus those the record does
 * not show; a new table, or a column no record has, is added here. Values are written exactly and portably: integers (ids, cents)
 * as JSON integers, timestamps as the UTC ISO 8601 strings the repositories
 * produce, booleans as `true`/`false` on both backends.
 * @module
 */
import { auditRecord } from "../contract/audit.ts";
import { clientRecord } from "../contract/clients.ts";
import { contractRecord } from "../contract/contracts.ts";
import { eventRecord } from "../contract/events.ts";
import { storedColumnsOf, type StoredKind } from "../contract/meta.ts";
import { userRecord } from "../contract/users.ts";
import type { Queryable, Row, SqlValue } from "../db/database.ts";
import { AppError } from "../domain/errors.ts";
import { lockTables as lockTablesOf } from "./sql.ts";

/** How a column's values are written to and read from a backup. */
export type ColumnKind = StoredKind;

/** One table a backup holds. */
export interface TableSpec {
  /** Table name. */
  name: string;
  /** The unique column rows are read in the order of (keyset pages). */
  key: string;
  /** Every column, in the order rows are written. */
  columns: Readonly<Record<string, ColumnKind>>;
  /** Whether `key` is an auto-increment id whose sequence a restore moves past the highest id. */
  identity: boolean;
  /**
   * Columns of derived data that a backup leaves out: triggers fill them as
   * the rows are restored (and the migration that adds them fills them from
   * the rows of an older backup).
   */
  derived?: readonly string[];
}

/**
 * Every table of data, parents before children (rows are restored in this
 * order, so foreign keys hold at each insert). `schema_migrations` is not
 * data (a restore rebuilds it by migrating), nor are the state of sessions
 * and of the login throttle ({@link SESSION_TABLES}).
 */
export const BACKUP_TABLES: readonly TableSpec[] = [
  {
    name: "users",
    key: "id",
    identity: true,
    columns: { ...storedColumnsOf(userRecord), password_hash: "text", session_epoch: "integer" },
  },
  {
    name: "clients",
    key: "id",
    identity: true,
    columns: storedColumnsOf(clientRecord),
  },
  {
    name: "contracts",
    key: "id",
    identity: true,
    columns: { ...storedColumnsOf(contractRecord), signed_at: "timestamp" },
    // A copy of the client's sales contact (migration 0005), kept by triggers.
    derived: ["client_sales_contact_id"],
  },
  {
    name: "events",
    key: "id",
    identity: true,
    columns: { ...storedColumnsOf(eventRecord), updated_at: "timestamp" },
    // A copy of the client's sales contact (migration 0005), kept by triggers.
    derived: ["client_sales_contact_id"],
  },
  {
    name: "audit_log",
    key: "id",
    identity: true,
    columns: storedColumnsOf(auditRecord),
  },
];

/**
 * The state of sessions and of the login throttle: the database's identity
 * (migration 0004, put in every token), revoked tokens and login attempts,
 * and the calendar feed keys (read-only credentials of migration 0007).
 * Never backed up, and skipped in the backups of older programs that held
 * them: a restore gives the database a new identity, so that no token issued
 * before it works after it, starts with a clean throttle, and ends every
 * calendar subscription (a key reset before the backup must not come back;
 * `calendar reset` gives a new URL).
 */
export const SESSION_TABLES: readonly string[] = [
  "database_identity",
  "revoked_tokens",
  "login_attempts",
  "calendar_feeds",
];

/**
 * Tables that are not data (never backed up): `schema_migrations` (a restore
 * rebuilds it by migrating), the {@link SESSION_TABLES}, and the derived
 * tables of migration 0005, which its triggers fill again as a restore loads
 * the rows (and which the migration itself fills from the rows of an older
 * backup): `id_days` and, on SQLite, the FTS5 trigram index of client search
 * with its shadow tables.
 */
export const NOT_BACKED_UP: readonly string[] = [
  "schema_migrations",
  ...SESSION_TABLES,
  "id_days",
  "clients_search",
  "clients_search_config",
  "clients_search_content",
  "clients_search_data",
  "clients_search_docsize",
  "clients_search_idx",
];

/**
 * A table or column of the database that {@link BACKUP_TABLES} does not
 * cover: a bug of the program (or a table added by hand), reported as an
 * internal error whose message names it.
 */
export class UncoveredSchemaError extends AppError {
  constructor(what: string) {
    super("internal", `${what} is not covered by backups (add it to BACKUP_TABLES in src/repositories/backup.ts)`);
    this.name = "UncoveredSchemaError";
  }
}

/** One table as it exists in a database: its spec and its present columns. */
export interface TablePlan {
  spec: TableSpec;
  /** The spec's columns present in this database, in the spec's order. */
  columns: string[];
}

/** Names of every table of the database (current schema on PostgreSQL). */
export async function listTables(db: Queryable): Promise<string[]> {
  return (await db.query<{ name: string }>(db.sql.listTablesSql)).map((r) => r.name);
}

/** Names of the columns of `table`, in their order. */
export async function listColumns(db: Queryable, table: string): Promise<string[]> {
  return (await db.query<{ name: string }>(db.sql.listColumnsSql, [table])).map((r) => r.name);
}

/**
 * The tables of this database that a backup holds, in restore order; throws
 * {@link UncoveredSchemaError} for a table or column no spec covers.
 */
export async function planTables(db: Queryable): Promise<TablePlan[]> {
  const present = new Set(await listTables(db));
  const known = new Set([...BACKUP_TABLES.map((t) => t.name), ...NOT_BACKED_UP]);
  for (const name of present) {
    if (!known.has(name)) throw new UncoveredSchemaError(`Table ${name}`);
  }
  const plans: TablePlan[] = [];
  for (const spec of BACKUP_TABLES) {
    if (!present.has(spec.name)) continue; // not created yet at this schema version
    const columns = await listColumns(db, spec.name);
    for (const column of columns) {
      if (!(column in spec.columns) && !spec.derived?.includes(column)) {
        throw new UncoveredSchemaError(`Column ${spec.name}.${column}`);
      }
    }
    plans.push({ spec, columns: Object.keys(spec.columns).filter((c) => columns.includes(c)) });
  }
  return plans;
}

/** Versions in `schema_migrations`, oldest first (empty when there is no such table). */
export async function appliedVersions(db: Queryable): Promise<string[]> {
  if (!(await listTables(db)).includes("schema_migrations")) return [];
  const rows = await db.query<{ version: string }>("SELECT version FROM schema_migrations ORDER BY version");
  return rows.map((r) => r.version);
}

/** Number of rows of each table. */
export async function countRows(db: Queryable, tables: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) {
    const row = await db.one<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
    counts.set(table, Number(row?.n ?? 0));
  }
  return counts;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A database value as written to a backup. */
function toBackupValue(kind: ColumnKind, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "integer": {
      const n = typeof value === "bigint" ? Number(value) : typeof value === "string" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isSafeInteger(n)) throw new Error(`${where}: not a safe integer`);
      return n;
    }
    case "boolean":
      return value === true || value === 1 || value === 1n;
    case "timestamp":
      if (value instanceof Date) return value.toISOString();
      // SQLite keeps the text it was given: write the one UTC form the repositories produce.
      if (typeof value === "string" && ISO_WITH_ZONE.test(value)) {
        const time = new Date(value);
        if (!Number.isNaN(time.getTime())) return time.toISOString();
      }
      return String(value);
    case "text":
      return typeof value === "string" ? value : String(value);
  }
}

/** A backup value as bound to an insert; throws naming the column when it has the wrong type. */
export function fromBackupValue(kind: ColumnKind, value: unknown, where: string): SqlValue {
  if (value === null) return null;
  const ok = kind === "integer"
    ? typeof value === "number" && Number.isSafeInteger(value)
    : kind === "boolean"
    ? typeof value === "boolean"
    : typeof value === "string";
  if (!ok) throw new TypeError(`${where}: expected ${kind === "timestamp" ? "a timestamp string" : kind}`);
  return value as SqlValue;
}

/**
 * Reads every row of a table in key order, `pageSize` at a time (keyset
 * pages: no table is ever loaded whole). Run it inside a snapshot.
 */
export async function* readTable(
  db: Queryable,
  plan: TablePlan,
  options: { pageSize?: number } = {},
): AsyncGenerator<Row[]> {
  const { spec, columns } = plan;
  const pageSize = options.pageSize ?? 1000;
  const textKey = spec.columns[spec.key] === "text";
  const keyExpr = textKey ? db.sql.byteOrder(spec.key) : spec.key;
  const select = `SELECT ${columns.join(", ")} FROM ${spec.name}`;
  let last: SqlValue | undefined;
  for (;;) {
    const rows = last === undefined
      ? await db.query(`${select} ORDER BY ${keyExpr} LIMIT $1`, [pageSize])
      : await db.query(`${select} WHERE ${keyExpr} > $1 ORDER BY ${keyExpr} LIMIT $2`, [last, pageSize]);
    if (rows.length === 0) return;
    const page: Row[] = rows.map((raw) => {
      const row: Row = {};
      for (const column of columns) {
        row[column] = toBackupValue(spec.columns[column], raw[column], `${spec.name}.${column}`);
      }
      return row;
    });
    yield page;
    if (rows.length < pageSize) return;
    last = rows[rows.length - 1][spec.key] as SqlValue;
  }
}

/** Inserts rows (already converted with {@link fromBackupValue}), many per statement. */
export async function insertRows(
  db: Queryable,
  table: TableSpec,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  await db.insertMany(table.name, columns, rows);
}

/**
 * Moves the id sequence of a table past its highest id (PostgreSQL identity
 * columns; SQLite's AUTOINCREMENT follows inserted ids by itself).
 */
export async function resetIdentity(db: Queryable, table: TableSpec): Promise<void> {
  const sql = table.identity ? db.sql.resetIdentity(table.name, table.key) : undefined;
  if (sql) await db.query(sql);
}

/**
 * Locks tables against every other reader and writer until the transaction
 * ends (PostgreSQL; an SQLite write transaction already excludes writers).
 */
export function lockTables(db: Queryable, tables: readonly string[]): Promise<void> {
  return lockTablesOf(db, tables, "exclusive");
}
