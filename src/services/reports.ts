/**
 * `report pipeline|revenue|events|workload`: the business at a glance, one
 * aggregate query each (`repositories/reports.ts`), scoped by the caller's
 * role. Every collaborator may read every record (PRODUCT.md §2), so the
 * scope is about relevance, not secrecy:
 *
 * | report   | MANAGEMENT | SALES (their clients) | SUPPORT (their events) |
 * | -------- | ---------- | --------------------- | ---------------------- |
 * | pipeline | every contract, one line per SALES collaborator (those without contracts too) | the contracts of the clients whose sales contact they are, their own lines only | the contracts of the events they support, by those contracts' owners |
 * | revenue  | every signed contract | those of their clients | those of the events they support |
 * | events   | every event | the events of their clients | the events they support (so none is unassigned) |
 * | workload | every SUPPORT collaborator (those without events too) | the support contacts of their clients' events | their own line |
 *
 * A contract's owner is its client's sales contact — who may update and
 * sign it, and whose `contract list --mine` lists it — so a SALES
 * collaborator's pipeline adds up their `contract list --mine`.
 *
 * Months are calendar months in the report's time zone (`time_zone`, else
 * the caller's `TZ`, else the process's zone): an event starting at
 * 00:30 on 1 June in Paris is June there, May in UTC. A contract counts in
 * `revenue` in the month it was signed (`signed_at`, migration 0007); an
 * event in `events` in the month it starts. "Upcoming" means not ended yet,
 * as `event list --upcoming`. Money is summed in integer cents by the
 * database and printed as `"1500.00"`.
 * @module
 */
import { ownEventsOf } from "../domain/policy.ts";
import { InvalidInputError } from "../domain/errors.ts";
import { formatMoney } from "../domain/money.ts";
import { monthOf, resolveTimeZone, startOfMonth, tryParseDate } from "../domain/dates.ts";
import {
  type EventsRow,
  parseInput,
  PIPELINE_STATES,
  type PipelineRow,
  type ReportInput,
  reportInputSchema,
  type ReportName,
  type ReportRows,
  type RevenueRow,
  type WorkloadRow,
} from "../domain/schemas/mod.ts";
import {
  eventFigures,
  pipelineFigures,
  type ReportScope,
  revenueFigures,
  workloadFigures,
} from "../repositories/reports.ts";
import type { InputOf } from "../contract/operations.ts";
import type { Actor, ServiceContext } from "./context.ts";
import { requireActor } from "./session.ts";
import { msg } from "../domain/messages.ts";

export type { EventsRow, PipelineRow, ReportInput, ReportName, ReportRows, RevenueRow, WorkloadRow };

/** Months `revenue` covers when neither `from` nor `to` is given: this one and the 11 before. */
export const REVENUE_MONTHS = 12;
/** Months `events` covers by default: the 11 before this one, this one, and the 12 after. */
export const EVENT_MONTHS_BEFORE = 11;
/** See {@link EVENT_MONTHS_BEFORE}. */
export const EVENT_MONTHS_AFTER = 12;
/** The longest range of months a report covers (SQLite allows 500 terms of a `UNION ALL`). */
export const MAX_MONTHS = 120;
/** The windows of `workload`, in days from now. */
export const WORKLOAD_DAYS = [30, 90] as const;

const DAY_MS = 86_400_000;

/** Whose rows the caller's reports count. */
export function reportScope(actor: Actor): ReportScope {
  // A manager's reports count everything; anyone else's, their own events (and the contracts behind them).
  if (actor.role === "MANAGEMENT") return { kind: "all" };
  return ownEventsOf(actor.role) === "of_their_clients"
    ? { kind: "clients_of", userId: actor.id }
    : { kind: "supported_by", userId: actor.id };
}

/** `YYYY-MM` plus `n` months (`n` may be negative). */
export function addMonths(month: string, n: number): string {
  const [year, m] = month.split("-").map((part) => Number.parseInt(part, 10));
  const index = year * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String(index % 12 + 1).padStart(2, "0")}`;
}

/** Months from `from` to `to`, both included (0 when `to` is before `from`). */
function monthsBetween(from: string, to: string): number {
  const index = (month: string) => {
    const [year, m] = month.split("-").map((part) => Number.parseInt(part, 10));
    return year * 12 + m - 1;
  };
  return index(to) - index(from) + 1;
}

/** The month a `--from`/`--to` value names: `YYYY-MM` itself, or the month of a date, in `timeZone`. */
function monthOfFlag(text: string, field: "from" | "to", timeZone: string): string {
  const trimmed = text.trim();
  const month = /^(\d{4})-(\d{2})$/.exec(trimmed);
  const result = tryParseDate(month ? `${trimmed}-01` : trimmed, { timeZone });
  if (!result.ok) {
    const why = month ? msg("errors.report.invalid_month", { month: trimmed }) : result.reason;
    throw new InvalidInputError(msg("errors.report.bad_month_flag", { field, reason: why }), field);
  }
  return month ? trimmed : monthOf(result.date, timeZone);
}

/** A report's months: their labels, and the instants bounding them (one more than the months). */
export interface MonthRange {
  months: string[];
  bounds: string[];
  timeZone: string;
}

/**
 * The months a report covers: `from` to `to` inclusive, each a month or a
 * date standing for its month, in `timeZone`. Without `to`, the
 * `length`-month range starting at `from`; without `from`, the one ending at
 * `to`; without either, `defaultFrom`…`defaultTo`.
 *
 * @throws {InvalidInputError} naming `--from` or `--to`: not a month or
 *   date; `--to` before `--from`; more than {@link MAX_MONTHS} months
 */
export function monthRange(
  input: { from?: string; to?: string },
  options: { timeZone: string; defaultFrom: string; defaultTo: string },
): MonthRange {
  const { timeZone } = options;
  const length = monthsBetween(options.defaultFrom, options.defaultTo);
  const given = {
    from: input.from === undefined ? undefined : monthOfFlag(input.from, "from", timeZone),
    to: input.to === undefined ? undefined : monthOfFlag(input.to, "to", timeZone),
  };
  const from = given.from ?? (given.to ? addMonths(given.to, 1 - length) : options.defaultFrom);
  const to = given.to ?? (given.from ? addMonths(given.from, length - 1) : options.defaultTo);
  const count = monthsBetween(from, to);
  if (count < 1) throw new InvalidInputError(msg("errors.report.to_before_from", { to, from }), "to");
  if (count > MAX_MONTHS) {
    throw new InvalidInputError(msg("errors.report.too_many_months", { max: MAX_MONTHS, from, to, count }), "to");
  }
  const months = Array.from({ length: count }, (_, i) => addMonths(from, i));
  const bounds = [...months, addMonths(to, 1)].map((month) => startOfMonth(month, timeZone).toISOString());
  return { months, bounds, timeZone };
}

function pipelineRows(figures: Awaited<ReturnType<typeof pipelineFigures>>): PipelineRow[] {
  const rows: PipelineRow[] = [];
  let i = 0;
  while (i < figures.length) {
    const { sales_contact_id, sales_contact_name } = figures[i];
    const byState = new Map<string, (typeof figures)[number]>();
    for (; i < figures.length && figures[i].sales_contact_id === sales_contact_id; i++) {
      if (figures[i].state !== null) byState.set(figures[i].state!, figures[i]);
    }
    for (const state of PIPELINE_STATES) {
      const f = byState.get(state);
      rows.push({
        sales_contact_id,
        sales_contact_name,
        state,
        contracts: f?.contracts ?? 0,
        total_amount: formatMoney(f?.total_cents ?? 0n),
        amount_due: formatMoney(f?.due_cents ?? 0n),
      });
    }
  }
  return rows;
}

/** The caller's time zone for a report: `time_zone`, else the context's (`TZ`), else the process's. */
function reportZone(ctx: ServiceContext, input: { time_zone?: string }): string {
  if (input.time_zone === undefined) return resolveTimeZone(ctx.timeZone);
  try {
    return resolveTimeZone(input.time_zone);
  } catch {
    throw new InvalidInputError(
      msg("errors.date.unknown_zone", { field: "time_zone", zone: input.time_zone }),
      "time_zone",
    );
  }
}

/**
 * Runs a report for the caller (see the module documentation for what each
 * counts, by role) and returns its rows.
 *
 * @throws {InvalidInputError} an unknown report (`report`), a bad or
 *   inverted range (`--from`, `--to`), an unknown zone (`time_zone`)
 * @throws {NotAuthenticatedError} without a caller
 */
export async function runReport<N extends ReportName>(
  ctx: ServiceContext,
  input: ReportInput & { report: N },
): Promise<ReportRows[N]> {
  const actor = requireActor(ctx);
  const data = parseInput(reportInputSchema, input);
  const scope = reportScope(actor);
  const now = ctx.now();
  if (data.report === "pipeline" || data.report === "workload") {
    const flag = data.from !== undefined ? "from" : data.to !== undefined ? "to" : undefined;
    if (flag) {
      throw new InvalidInputError(msg("errors.report.no_range", { field: flag, report: data.report }), flag);
    }
  }
  switch (data.report) {
    case "pipeline":
      return pipelineRows(await pipelineFigures(ctx.db, scope)) as ReportRows[N];
    case "revenue": {
      const timeZone = reportZone(ctx, data);
      const current = monthOf(now, timeZone);
      const range = monthRange(data, {
        timeZone,
        defaultFrom: addMonths(current, 1 - REVENUE_MONTHS),
        defaultTo: current,
      });
      const figures = await revenueFigures(ctx.db, scope, range.bounds);
      const byMonth = new Map(figures.map((f) => [f.bucket, f]));
      return range.months.map((month, i): RevenueRow => ({
        month,
        contracts: byMonth.get(i)?.contracts ?? 0,
        total_amount: formatMoney(byMonth.get(i)?.total_cents ?? 0n),
        amount_due: formatMoney(byMonth.get(i)?.due_cents ?? 0n),
      })) as ReportRows[N];
    }
    case "events": {
      const timeZone = reportZone(ctx, data);
      const current = monthOf(now, timeZone);
      const range = monthRange(data, {
        timeZone,
        defaultFrom: addMonths(current, -EVENT_MONTHS_BEFORE),
        defaultTo: addMonths(current, EVENT_MONTHS_AFTER),
      });
      const figures = await eventFigures(ctx.db, scope, { bounds: range.bounds, now: now.toISOString() });
      const byMonth = new Map(figures.map((f) => [f.bucket, f]));
      return range.months.map((month, i): EventsRow => ({
        month,
        events: byMonth.get(i)?.events ?? 0,
        attendees: byMonth.get(i)?.attendees ?? 0,
        unassigned_upcoming: byMonth.get(i)?.unassigned_upcoming ?? 0,
      })) as ReportRows[N];
    }
    case "workload": {
      const [short, long] = WORKLOAD_DAYS;
      const figures = await workloadFigures(ctx.db, scope, {
        now: now.toISOString(),
        in30: new Date(now.getTime() + short * DAY_MS).toISOString(),
        in90: new Date(now.getTime() + long * DAY_MS).toISOString(),
      });
      return figures satisfies WorkloadRow[] as ReportRows[N];
    }
  }
}

/** `report pipeline` (see {@link runReport}). */
export function pipelineReport(ctx: ServiceContext): Promise<PipelineRow[]> {
  return runReport(ctx, { report: "pipeline" });
}

/** `report revenue --from --to` (see {@link runReport}). */
export function revenueReport(ctx: ServiceContext, input: InputOf<"revenueReport">): Promise<RevenueRow[]> {
  return runReport(ctx, { ...input, report: "revenue" });
}

/** `report events --from --to` (see {@link runReport}). */
export function eventsReport(ctx: ServiceContext, input: InputOf<"eventsReport">): Promise<EventsRow[]> {
  return runReport(ctx, { ...input, report: "events" });
}

/** `report workload` (see {@link runReport}). */
export function workloadReport(ctx: ServiceContext): Promise<WorkloadRow[]> {
  return runReport(ctx, { report: "workload" });
}
