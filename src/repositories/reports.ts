/**
 * SQL of `report pipeline|revenue|events|workload`: one aggregate query per
 * report, the same text on both backends, so that no row of a contract or an
 * event ever reaches JavaScript — only the figures (a few dozen rows).
 *
 * Months are given as their boundaries (instants, computed by the service in
 * the report's time zone), bound as parameters: a row falls in the month
 * whose boundaries surround it. No dialect needs a month function (SQLite
 * has none that knows time zones), and every month is one index range.
 * Each query is planned for its values at every run (`customPlan`): how
 * many rows a range or a scope holds decides the plan.
 *
 * Counts and sums come back as numbers or, from PostgreSQL, as the decimal
 * strings postgres.js gives for `bigint` and `numeric`: {@link toCount} and
 * {@link toCents} read both exactly.
 * @module
 */
import type { Queryable, SqlValue } from "../db/database.ts";
import type { ListQuery } from "./sql.ts";
import type { PipelineState } from "../domain/schemas/report.ts";

/** Whose rows a report counts (decided by the service from the caller's role). */
export type ReportScope =
  /** Everything (MANAGEMENT). */
  | { kind: "all" }
  /** The contracts and events of the clients whose sales contact is `userId` (SALES). */
  | { kind: "clients_of"; userId: number }
  /** The events `userId` supports, and the contracts of those events (SUPPORT). */
  | { kind: "supported_by"; userId: number };

/** One (sales contact, state) of `report pipeline`, as read. */
export interface PipelineFigures {
  sales_contact_id: number;
  sales_contact_name: string;
  /** Null for a sales contact without contracts in scope. */
  state: PipelineState | null;
  contracts: number;
  total_cents: bigint;
  due_cents: bigint;
}

/** One month of `report revenue`, as read. */
export interface RevenueFigures {
  /** Index of the month in the boundaries given. */
  bucket: number;
  contracts: number;
  total_cents: bigint;
  due_cents: bigint;
}

/** One month of `report events`, as read. */
export interface EventFigures {
  bucket: number;
  events: number;
  attendees: number;
  unassigned_upcoming: number;
}

/** One support contact of `report workload`, as read. */
export interface WorkloadFigures {
  support_contact_id: number;
  support_contact_name: string;
  events_30d: number;
  attendees_30d: number;
  events_90d: number;
  attendees_90d: number;
}

/** A count as read from either driver (PostgreSQL: `bigint` as a string). */
export function toCount(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === "bigint" ? Number(value) : typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw new RangeError(`not a count: ${String(value)}`);
  return n;
}

/** A sum of cents as read from either driver (PostgreSQL: `numeric` as a decimal string), exactly. */
export function toCents(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw new RangeError(`not a whole number of cents: ${String(value)}`);
}

/** `$n` for `value`, pushed on `params`. */
function bind(params: SqlValue[], value: SqlValue): string {
  params.push(value);
  return `$${params.length}`;
}

/**
 * The rows a report reads, as a common table expression named `alias`: the
 * `columns` of `table`'s rows in `scope` (`where`: the scope's condition on
 * the table, alias `t`). In the `all` scope it is `NOT MATERIALIZED`, so
 * each use of it is planned on the table itself (a range of an index);
 * otherwise `MATERIALIZED`: the caller's few thousand rows are read once,
 * through the index of their owner, and every month then reads them, not
 * the table again.
 */
function scoped(
  alias: string,
  from: { table: string; columns: string; where: string | undefined },
): string {
  const how = from.where === undefined ? "NOT MATERIALIZED" : "MATERIALIZED";
  return `WITH ${alias} AS ${how} (SELECT ${from.columns} FROM ${from.table} t${
    from.where === undefined ? "" : ` WHERE ${from.where}`
  })`;
}

/** The condition on contracts `t` of a scope (undefined: all of them). */
function contractScope(scope: ReportScope, params: SqlValue[]): string | undefined {
  switch (scope.kind) {
    case "all":
      return undefined;
    case "clients_of":
      return `t.client_sales_contact_id = ${bind(params, scope.userId)}`;
    case "supported_by":
      return `t.id IN (SELECT s.contract_id FROM events s WHERE s.support_contact_id = ${bind(params, scope.userId)})`;
  }
}

/** The condition on events `t` of a scope (undefined: all of them). */
function eventScope(scope: ReportScope, params: SqlValue[]): string | undefined {
  switch (scope.kind) {
    case "all":
      return undefined;
    case "clients_of":
      return `t.client_sales_contact_id = ${bind(params, scope.userId)}`;
    case "supported_by":
      return `t.support_contact_id = ${bind(params, scope.userId)}`;
  }
}

/**
 * One aggregate per month, `UNION ALL`: `select(range)` is the aggregate of
 * the rows whose `column` falls in the month, given the month's condition;
 * each month's row carries its index (`bucket`). Every month is one range
 * of an index in `column` order, summed as it is read: no sort and no
 * grouping of the rows (a `GROUP BY` on a computed month cost SQLite a
 * temporary B-tree of every row, 3× slower at a million events).
 */
function perMonth(
  column: string,
  bounds: readonly string[],
  params: SqlValue[],
  select: (range: string) => string,
): string {
  if (bounds.length < 2) throw new RangeError("a report needs at least one month");
  const marks = bounds.map((bound) => bind(params, bound));
  return marks.slice(0, -1).map((start, i) =>
    `SELECT ${i} AS bucket, ${select(`${column} >= ${start} AND ${column} < ${marks[i + 1]}`)}`
  ).join("\nUNION ALL\n");
}

/**
 * The query of `report pipeline`: contracts by owner (the client's sales
 * contact, who may update and sign them) and state, with every SALES
 * collaborator in the `all` scope (those without contracts too), the caller
 * alone in `clients_of`, and the owners of the contracts of the caller's
 * events in `supported_by`.
 */
export function pipelineQuery(scope: ReportScope): ListQuery {
  const params: SqlValue[] = [];
  const inScope = contractScope(scope, params);
  const who = scope.kind === "all"
    ? "u.role = 'SALES' OR a.owner IS NOT NULL"
    : scope.kind === "clients_of"
    ? `u.id = ${bind(params, scope.userId)}`
    : "a.owner IS NOT NULL";
  const sql = `SELECT u.id AS sales_contact_id, u.first_name || ' ' || u.last_name AS sales_contact_name,
  a.state, a.contracts, a.total_cents, a.due_cents
FROM users u LEFT JOIN (
  SELECT t.client_sales_contact_id AS owner,
    CASE WHEN NOT t.signed_status THEN 'unsigned' WHEN t.amount_due_cents > 0 THEN 'signed_unpaid' ELSE 'paid' END
      AS state,
    count(*) AS contracts, sum(t.total_amount_cents) AS total_cents, sum(t.amount_due_cents) AS due_cents
  FROM contracts t${inScope === undefined ? "" : ` WHERE ${inScope}`}
  GROUP BY 1, 2
) a ON a.owner = u.id
WHERE ${who}
ORDER BY u.id, a.state`;
  return { sql, params, customPlan: true };
}

/** `report pipeline`'s figures (see {@link pipelineQuery}). */
export async function pipelineFigures(db: Queryable, scope: ReportScope): Promise<PipelineFigures[]> {
  const { sql, params, customPlan } = pipelineQuery(scope);
  const rows = await db.query<Record<string, unknown>>(sql, params, { customPlan });
  return rows.map((r) => ({
    sales_contact_id: toCount(r.sales_contact_id),
    sales_contact_name: String(r.sales_contact_name),
    state: (r.state ?? null) as PipelineState | null,
    contracts: toCount(r.contracts),
    total_cents: toCents(r.total_cents),
    due_cents: toCents(r.due_cents),
  }));
}

/**
 * The query of `report revenue`: the contracts signed in each month of
 * `bounds` (by `signed_at`), their count, total and what is still due.
 */
export function revenueQuery(scope: ReportScope, bounds: readonly string[]): ListQuery {
  const params: SqlValue[] = [];
  const source = scoped("k", {
    table: "contracts",
    columns: "t.signed_at, t.total_amount_cents, t.amount_due_cents",
    where: contractScope(scope, params),
  });
  const months = perMonth(
    "k.signed_at",
    bounds,
    params,
    (range) =>
      `count(*) AS contracts, sum(k.total_amount_cents) AS total_cents, sum(k.amount_due_cents) AS due_cents
FROM k WHERE ${range}`,
  );
  return { sql: `${source}\n${months}`, params, customPlan: true };
}

/** `report revenue`'s figures (see {@link revenueQuery}). */
export async function revenueFigures(
  db: Queryable,
  scope: ReportScope,
  bounds: readonly string[],
): Promise<RevenueFigures[]> {
  const { sql, params, customPlan } = revenueQuery(scope, bounds);
  const rows = await db.query<Record<string, unknown>>(sql, params, { customPlan });
  return rows.map((r) => ({
    bucket: toCount(r.bucket),
    contracts: toCount(r.contracts),
    total_cents: toCents(r.total_cents),
    due_cents: toCents(r.due_cents),
  }));
}

/**
 * The query of `report events`: the events starting in each month of
 * `bounds`, their attendees, and how many of them have not ended at `now`
 * and have no support contact.
 */
export function eventsQuery(scope: ReportScope, bounds: readonly string[], now: string): ListQuery {
  const params: SqlValue[] = [];
  const source = scoped("e", {
    table: "events",
    columns: "t.start_date, t.attendees, t.end_date, t.support_contact_id",
    where: eventScope(scope, params),
  });
  const at = bind(params, now);
  const months = perMonth("e.start_date", bounds, params, (range) =>
    `count(*) AS events, sum(e.attendees) AS attendees,
  sum(CASE WHEN e.support_contact_id IS NULL AND e.end_date > ${at} THEN 1 ELSE 0 END) AS unassigned_upcoming
FROM e WHERE ${range}`);
  return { sql: `${source}\n${months}`, params, customPlan: true };
}

/** `report events`'s figures (see {@link eventsQuery}). */
export async function eventFigures(
  db: Queryable,
  scope: ReportScope,
  options: { bounds: readonly string[]; now: string },
): Promise<EventFigures[]> {
  const { sql, params, customPlan } = eventsQuery(scope, options.bounds, options.now);
  const rows = await db.query<Record<string, unknown>>(sql, params, { customPlan });
  return rows.map((r) => ({
    bucket: toCount(r.bucket),
    events: toCount(r.events),
    attendees: toCount(r.attendees),
    unassigned_upcoming: toCount(r.unassigned_upcoming),
  }));
}

/** The instants `report workload` counts from and to. */
export interface WorkloadWindow {
  /** Events that have not ended at this instant… */
  now: string;
  /** …and start before this one (now + 30 days)… */
  in30: string;
  /** …or this one (now + 90 days). */
  in90: string;
}

/**
 * The query of `report workload`: per support contact, the events not ended
 * at `now` that start within 30 and within 90 days, and their attendees;
 * every SUPPORT collaborator in the `all` scope (those without events too),
 * the support contacts of the caller's clients' events in `clients_of`, and
 * the caller alone in `supported_by`.
 */
export function workloadQuery(scope: ReportScope, window: WorkloadWindow): ListQuery {
  const params: SqlValue[] = [];
  const now = bind(params, window.now);
  const in30 = bind(params, window.in30);
  const in90 = bind(params, window.in90);
  const inScope = eventScope(scope, params);
  const who = scope.kind === "all"
    ? "u.role = 'SUPPORT' OR w.support IS NOT NULL"
    : scope.kind === "clients_of"
    ? "w.support IS NOT NULL"
    : `u.id = ${bind(params, scope.userId)}`;
  // The events of the window are read first, on their own (MATERIALIZED), so
  // that they come from the index in end order (covering): grouped in the
  // same query, SQLite read every assigned event through the index in
  // support contact order instead (40× slower at a million events).
  const sql = `WITH upcoming AS MATERIALIZED (
  SELECT t.support_contact_id, t.start_date, t.attendees FROM events t
  WHERE t.end_date > ${now} AND t.start_date < ${in90}${inScope === undefined ? "" : ` AND ${inScope}`}
)
SELECT u.id AS support_contact_id, u.first_name || ' ' || u.last_name AS support_contact_name,
  w.events_30d, w.attendees_30d, w.events_90d, w.attendees_90d
FROM users u LEFT JOIN (
  SELECT p.support_contact_id AS support,
    sum(CASE WHEN p.start_date < ${in30} THEN 1 ELSE 0 END) AS events_30d,
    sum(CASE WHEN p.start_date < ${in30} THEN p.attendees ELSE 0 END) AS attendees_30d,
    count(*) AS events_90d, sum(p.attendees) AS attendees_90d
  FROM upcoming p WHERE p.support_contact_id IS NOT NULL
  GROUP BY 1
) w ON w.support = u.id
WHERE ${who}
ORDER BY u.id`;
  return { sql, params, customPlan: true };
}

/** `report workload`'s figures (see {@link workloadQuery}). */
export async function workloadFigures(
  db: Queryable,
  scope: ReportScope,
  window: WorkloadWindow,
): Promise<WorkloadFigures[]> {
  const { sql, params, customPlan } = workloadQuery(scope, window);
  const rows = await db.query<Record<string, unknown>>(sql, params, { customPlan });
  return rows.map((r) => ({
    support_contact_id: toCount(r.support_contact_id),
    support_contact_name: String(r.support_contact_name),
    events_30d: toCount(r.events_30d),
    attendees_30d: toCount(r.attendees_30d),
    events_90d: toCount(r.events_90d),
    attendees_90d: toCount(r.attendees_90d),
  }));
}
