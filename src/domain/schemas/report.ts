/**
 * Schemas of `report pipeline|revenue|events|workload`: what a caller gives
 * (the report's name, its range of months and the zone months are in) and
 * the rows each report answers with — the JSON scripts rely on: stable
 * keys, counts as numbers, money as `"1500.00"` strings, months as
 * `YYYY-MM`.
 * @module
 */
import * as z from "zod";
import { reason } from "../messages.ts";

/** Every report, in the order help lists them. */
export const REPORT_NAMES = ["pipeline", "revenue", "events", "workload"] as const;

/** The name of a report. */
export type ReportName = typeof REPORT_NAMES[number];

/** The states of a contract in `report pipeline`, in display order. */
export const PIPELINE_STATES = ["unsigned", "signed_unpaid", "paid"] as const;

/** A contract's state: not signed; signed with an amount due; signed and paid in full. */
export type PipelineState = typeof PIPELINE_STATES[number];

const monthOrDate = z
  .string({ error: reason("errors.report.month_or_date") })
  .describe("a month (`2026-06`) or a date (`2026-06-15`, `2026-06-15T10:00:00Z`): its month");

/**
 * The input of every report: `report` (one of {@link REPORT_NAMES}) and,
 * for `revenue` and `events`, the months to cover, `from` and `to`
 * inclusive (each a month `YYYY-MM` or a date, standing for its month; read
 * in `time_zone`), and `time_zone`, the IANA zone months are in (default:
 * the caller's `TZ`). The dates' own rules (`domain/dates.ts`) are checked
 * by the service, which knows the zone. Unknown keys are refused.
 */
export const reportInputSchema = z.strictObject({
  report: z.enum(REPORT_NAMES, { error: reason("errors.reason.one_of", { values: REPORT_NAMES.join(", ") }) }),
  from: monthOrDate.optional(),
  to: monthOrDate.optional(),
  time_zone: z.string({ error: reason("errors.report.zone") }).optional()
    .describe("IANA zone of the months, e.g. Europe/Paris; default: the caller's TZ"),
});

/** What a caller gives a report. */
export type ReportInput = z.input<typeof reportInputSchema>;

const id = z.number().int().min(1);
const count = z.number().int().min(0);
const money = z.string().regex(/^\d+\.\d{2}$/).describe('exact decimal with two digits, e.g. "1500.00"');
const month = z.string().regex(/^\d{4}-\d{2}$/).describe("a month, YYYY-MM, in the report's time zone");

/**
 * A row of `report pipeline`: one per sales contact and state (all three
 * states for every sales contact listed, zero when they have none): their
 * contracts in that state, the total of those contracts and what is still due.
 */
export const pipelineRowSchema = z.strictObject({
  sales_contact_id: id,
  sales_contact_name: z.string(),
  state: z.enum(PIPELINE_STATES),
  contracts: count,
  total_amount: money,
  amount_due: money,
});

/** A row of `report revenue`: one per month of the range, months without a signature included (zeros). */
export const revenueRowSchema = z.strictObject({
  month,
  contracts: count.describe("contracts signed that month (and still signed)"),
  total_amount: money.describe("their total"),
  amount_due: money.describe("what is still due on them now"),
});

/** A row of `report events`: one per month of the range (by start), months without events included (zeros). */
export const eventsRowSchema = z.strictObject({
  month,
  events: count.describe("events starting that month"),
  attendees: count.describe("their attendees"),
  unassigned_upcoming: count.describe("of them, those not ended yet and without a support contact"),
});

/** A row of `report workload`: one per support contact. */
export const workloadRowSchema = z.strictObject({
  support_contact_id: id,
  support_contact_name: z.string(),
  events_30d: count.describe("events not ended yet that start within 30 days"),
  attendees_30d: count,
  events_90d: count.describe("events not ended yet that start within 90 days"),
  attendees_90d: count,
});

/** A row of `report pipeline`. */
export type PipelineRow = z.output<typeof pipelineRowSchema>;
/** A row of `report revenue`. */
export type RevenueRow = z.output<typeof revenueRowSchema>;
/** A row of `report events`. */
export type EventsRow = z.output<typeof eventsRowSchema>;
/** A row of `report workload`. */
export type WorkloadRow = z.output<typeof workloadRowSchema>;

/** The rows of each report. */
export interface ReportRows {
  pipeline: PipelineRow[];
  revenue: RevenueRow[];
  events: EventsRow[];
  workload: WorkloadRow[];
}

/** The row schema of each report (for the API's documents and the tests). */
export const REPORT_ROW_SCHEMAS = {
  pipeline: pipelineRowSchema,
  revenue: revenueRowSchema,
  events: eventsRowSchema,
  workload: workloadRowSchema,
} as const;
