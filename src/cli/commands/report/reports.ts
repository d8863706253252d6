/**
 * `epic-events report pipeline|revenue|events|workload`: one verb per
 * report, made here from the columns each shows. On a terminal a report is
 * a table with a horizontal bar chart of its main figure (Unicode blocks
 * scaled to the terminal's width; `#` under `NO_COLOR` or `TERM=dumb`);
 * `--json`, `--format csv` and `tsv` give the numbers alone (CSV's header:
 * the JSON keys).
 * @module
 */
import { t } from "../../../i18n/mod.ts";
import type { AnswerOf, Crm } from "../../../port/crm.ts";
import { bars, barStyle, barWidth } from "../../output/charts.ts";
import { type Cell, csvLine, type Format, humanMoney, jsonText, renderTable, tsvLine } from "../../output/formats.ts";
import {
  type Deps,
  outputFormat,
  resolveFormat,
  TABLE_ENV,
  text,
  type Verb,
  type VerbInput,
} from "../../verbs/verb.ts";

/** The reports, by name. */
type ReportName = "pipeline" | "revenue" | "events" | "workload";

/** The rows of report `N`. */
type RowOf<N extends ReportName> = AnswerOf<`${N}Report`> extends readonly (infer R)[] ? R : never;

/** Options of a report: its range (revenue, events) and the output format. */
export interface ReportOptions {
  from?: string;
  to?: string;
  format?: Format;
}

/** One column of a report's table. */
interface ReportColumn<R> {
  title: string;
  value(row: R): string | number;
  money?: true;
}

/** How one report is fetched and shown. */
interface ReportView<N extends ReportName> {
  ranged: boolean;
  examples: readonly string[];
  fetch(crm: Crm, options: ReportOptions, timeZone: string | undefined): Promise<RowOf<N>[]>;
  columns: readonly ReportColumn<RowOf<N>>[];
  /** The keys of a row (`--json`), in order: the header of its CSV. */
  keys: readonly (keyof RowOf<N> & string)[];
  /** The figure the bars show, and its title. */
  bar: { title: string; value(row: RowOf<N>): number };
}

/** A column title, in the reader's language. */
const col = (name: string) => t(`dayone.report.col.${name}`);

const cents = (amount: string) => Number(amount);

function range(options: ReportOptions, timeZone: string | undefined) {
  return {
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(timeZone !== undefined ? { time_zone: timeZone } : {}),
  };
}

/** How each report is shown (titles in the reader's language: made when a report runs or its help shows). */
const views = (): { [N in ReportName]: ReportView<N> } => ({
  pipeline: {
    ranged: false,
    examples: ["report pipeline", "report pipeline --format csv"], // i18n-ignore: command lines
    fetch: (crm) => crm.call("pipelineReport", {}),
    columns: [
      { title: col("sales_contact"), value: (r) => r.sales_contact_name },
      { title: col("state"), value: (r) => t(`dayone.report.state.${r.state}`) },
      { title: col("contracts"), value: (r) => r.contracts },
      { title: col("total"), value: (r) => r.total_amount, money: true },
      { title: col("due"), value: (r) => r.amount_due, money: true },
    ],
    keys: ["sales_contact_id", "sales_contact_name", "state", "contracts", "total_amount", "amount_due"],
    bar: { title: "", value: (r) => cents(r.total_amount) },
  },
  revenue: {
    ranged: true,
    examples: ["report revenue", "report revenue --from 2026-01 --to 2026-06 --json"], // i18n-ignore: command lines
    fetch: (crm, options, timeZone) => crm.call("revenueReport", range(options, timeZone)),
    columns: [
      { title: col("month"), value: (r) => r.month },
      { title: col("contracts"), value: (r) => r.contracts },
      { title: col("total"), value: (r) => r.total_amount, money: true },
      { title: col("due"), value: (r) => r.amount_due, money: true },
    ],
    keys: ["month", "contracts", "total_amount", "amount_due"],
    bar: { title: col("signed"), value: (r) => cents(r.total_amount) },
  },
  events: {
    ranged: true,
    examples: ["report events", "report events --from 2026-09 --to 2027-08 --format csv"], // i18n-ignore: command lines
    fetch: (crm, options, timeZone) => crm.call("eventsReport", range(options, timeZone)),
    columns: [
      { title: col("month"), value: (r) => r.month },
      { title: col("events"), value: (r) => r.events },
      { title: col("attendees"), value: (r) => r.attendees },
      { title: col("upcoming_unassigned"), value: (r) => r.unassigned_upcoming },
    ],
    keys: ["month", "events", "attendees", "unassigned_upcoming"],
    bar: { title: col("events"), value: (r) => r.events },
  },
  workload: {
    ranged: false,
    examples: ["report workload", "report workload --json"], // i18n-ignore: command lines
    fetch: (crm) => crm.call("workloadReport", {}),
    columns: [
      { title: col("support_contact"), value: (r) => r.support_contact_name },
      { title: col("events_30d"), value: (r) => r.events_30d },
      { title: col("attendees_30d"), value: (r) => r.attendees_30d },
      { title: col("events_90d"), value: (r) => r.events_90d },
      { title: col("attendees_90d"), value: (r) => r.attendees_90d },
    ],
    keys: [
      "support_contact_id",
      "support_contact_name",
      "events_30d",
      "attendees_30d",
      "events_90d",
      "attendees_90d",
    ],
    bar: { title: col("events_90d"), value: (r) => r.events_90d },
  },
});

/** The table of a report: its columns, then the bars of its main figure, fitted to the terminal. */
export async function reportTable<R>(
  deps: Pick<Deps, "io">,
  columns: readonly ReportColumn<R>[],
  bar: { title: string; value(row: R): number },
  rows: readonly R[],
): Promise<string> {
  const { io } = deps;
  const cells: Cell[][] = rows.map((row) =>
    columns.map((c) => c.money ? humanMoney(String(c.value(row))) : c.value(row))
  );
  // Each column: its widest cell, its padding and its border (cli-table3: 1 + 1 each side).
  const used = columns.reduce(
    (sum, column, i) => sum + Math.max(column.title.length, ...cells.map((r) => String(r[i]).length)) + 3,
    4,
  );
  const width = barWidth(Number(io.env.COLUMNS) || 80, used, { min: 10, max: 40 });
  const drawn = bars(rows.map(bar.value), { width, style: barStyle(io.env) });
  return await renderTable(
    io,
    [...columns.map((c) => c.title), bar.title],
    cells.map((row, i) => [...row, drawn[i].trimEnd()]),
  );
}

/** Prints `rows` in `format`: numbers alone (JSON, CSV, TSV) or a table with bars. */
async function printReport<N extends ReportName>(
  deps: Deps,
  view: ReportView<N>,
  format: Format,
  rows: RowOf<N>[],
): Promise<void> {
  const { io } = deps;
  if (format === "json") {
    io.writeOut(jsonText(rows));
    return;
  }
  if (format === "table") {
    io.writeOut(await reportTable(deps, view.columns, view.bar, rows));
    return;
  }
  const keys = view.keys;
  const line = format === "csv" ? csvLine : tsvLine;
  let out = format === "csv" ? line(keys) : "";
  for (const row of rows) out += line(keys.map((k) => (row as Record<string, Cell>)[k]));
  io.writeOut(out);
}

/** The verb `report <name>`. */
export function reportVerb<N extends ReportName>(name: N): Verb<ReportOptions> {
  const view = views()[name] as ReportView<N>;
  return {
    spec: {
      name,
      summary: t(`dayone.report.${name}`),
      flags: view.ranged
        ? [
          { flag: "--from", arg: "month", help: t("dayone.report.flag_from"), field: "from" },
          { flag: "--to", arg: "month", help: t("dayone.report.flag_to"), field: "to" },
        ]
        : [],
      examples: view.examples,
      env: TABLE_ENV,
    },
    parse: (input: VerbInput) => ({
      from: view.ranged ? text(input, "--from") : undefined,
      to: view.ranged ? text(input, "--to") : undefined,
      format: outputFormat(input),
    }),
    run: async (options, deps) => {
      // Months are the reader's: their zone goes with the request (a server's own may differ).
      const zone = deps.clock.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      const rows = await view.fetch(deps.crm, options, zone);
      await printReport(deps, view, resolveFormat(options.format, deps.io), rows);
    },
  };
}
