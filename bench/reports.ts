/**
 * The reports' benchmark (issue 19): each report, for each role, above the
 * empty database at a million events, on SQLite and PostgreSQL, with the
 * plan of every query. The figure that counts is the time the report's one
 * query and its service take at a million events minus the same on the
 * empty database (migrated, collaborators only): what the data costs.
 *
 *     deno task bench:reports                      # both backends, 1M events
 *     deno task bench:reports -- --events 10000 --backend sqlite --runs 9
 *
 * Data comes from tools/seed.ts (deterministic; `--fresh` seeds anew,
 * otherwise a database of the right size is reused): SQLite files in
 * `--data-dir` (default $TMPDIR/epic-events-bench-reports), PostgreSQL
 * databases `epic_reports_<events>` on `--postgres-url` (default
 * EPIC_EVENTS_TEST_POSTGRES_URL). After a seed, PostgreSQL is vacuumed, as
 * autovacuum would do soon after: index-only scans need its visibility map.
 * Each time is the median of `--runs` calls after one warm-up, in-process
 * (the report is one query: a process's start-up is `bench/run.ts`'s
 * business). Prints a markdown report on stdout.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { connect } from "../src/db/connect.ts";
import type { Database } from "../src/db/database.ts";
import { parseDatabaseUrl } from "../src/config.ts";
import type { Role } from "../src/domain/roles.ts";
import { REPORT_NAMES, type ReportName } from "../src/domain/schemas/report.ts";
import {
  eventsQuery,
  pipelineQuery,
  type ReportScope,
  revenueQuery,
  workloadQuery,
} from "../src/repositories/reports.ts";
import { NULL_REPORTER } from "../src/services/context.ts";
import { monthRange, reportScope, runReport } from "../src/services/reports.ts";
import { defaultStaff, seed } from "../tools/seed.ts";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: {
    events: { type: "string", default: "1000000" },
    backend: { type: "string", default: "sqlite,postgres" },
    runs: { type: "string", default: "7" },
    "data-dir": { type: "string", default: join(Deno.env.get("TMPDIR") ?? "/tmp", "epic-events-bench-reports") },
    "postgres-url": { type: "string", default: Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL") ?? "" },
    fresh: { type: "boolean", default: false },
  },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const NOW = new Date();
const ROLES: Role[] = ["MANAGEMENT", "SALES", "SUPPORT"];

async function open(url: string): Promise<Database> {
  return await connect(parseDatabaseUrl(url, Deno.cwd(), Deno.cwd()));
}

async function count(db: Database, table: string): Promise<number> {
  return Number((await db.one<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0);
}

/** A database of `events` events (0: collaborators only), seeded unless one of that size is there. */
async function prepare(backend: string, events: number): Promise<string> {
  let url: string;
  if (backend === "sqlite") {
    await Deno.mkdir(values["data-dir"]!, { recursive: true });
    const file = join(values["data-dir"]!, `reports-${events}.db`);
    if (values.fresh) await Deno.remove(file).catch(() => {});
    url = `sqlite://${file}`;
  } else {
    const name = `epic_reports_${events}`;
    const admin = await open(values["postgres-url"]!);
    const exists = await admin.one("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists && values.fresh) await admin.execute(`DROP DATABASE ${name}`);
    if (!exists || values.fresh) await admin.execute(`CREATE DATABASE ${name}`);
    await admin.close();
    const u = new URL(values["postgres-url"]!);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const db = await open(url);
  try {
    const clients = Math.max(10, events / 10);
    const have = await count(db, "events").catch(() => -1);
    if (have !== events || (events === 0 && await count(db, "users").catch(() => 0) === 0)) {
      console.error(`seeding ${backend} with ${events} events…`);
      // The empty database has the full one's collaborators: the same users to join.
      const staff = defaultStaff(EVENTS / 10, EVENTS);
      await seed(db, { clients: events === 0 ? 0 : clients, events, bcryptRounds: 4, reset: true, ...staff });
      if (backend === "postgres") await db.execute("VACUUM (ANALYZE) users, clients, contracts, events");
    }
  } finally {
    await db.close();
  }
  return url;
}

/** The first collaborator of a role (the seed's `sales1`, `support1`…). */
async function someone(db: Database, role: Role) {
  const row = await db.one<{ id: number; email: string }>(
    "SELECT id, email FROM users WHERE role = $1 ORDER BY id LIMIT 1",
    [role],
  );
  return { id: Number(row!.id), email: row!.email, role };
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** The query a report runs for a scope (as the service builds it), for its plan. */
function queryOf(name: ReportName, scope: ReportScope) {
  const zone = "UTC";
  const month = NOW.toISOString().slice(0, 7);
  switch (name) {
    case "pipeline":
      return pipelineQuery(scope);
    case "revenue":
      return revenueQuery(
        scope,
        monthRange({}, { timeZone: zone, defaultFrom: shift(month, -11), defaultTo: month }).bounds,
      );
    case "events":
      return eventsQuery(
        scope,
        monthRange({}, { timeZone: zone, defaultFrom: shift(month, -11), defaultTo: shift(month, 12) }).bounds,
        NOW.toISOString(),
      );
    case "workload":
      return workloadQuery(scope, {
        now: NOW.toISOString(),
        in30: new Date(NOW.getTime() + 30 * 86_400_000).toISOString(),
        in90: new Date(NOW.getTime() + 90 * 86_400_000).toISOString(),
      });
  }
}

function shift(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  const i = y * 12 + m - 1 + n;
  return `${Math.floor(i / 12)}-${String(i % 12 + 1).padStart(2, "0")}`;
}

/** The plan in one line: SQLite's steps; PostgreSQL's scans (node type and relation/index). */
async function plan(db: Database, name: ReportName, scope: ReportScope): Promise<string> {
  const { sql, params } = queryOf(name, scope);
  if (db.dialect === "sqlite") {
    const rows = await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
    return [...new Set(rows.map((r) => r.detail.replace(/\b[tekpsuaw]\b /, "")))].join("; ");
  }
  const [row] = await db.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const scans = new Set<string>();
  const walk = (node: Record<string, unknown>) => {
    const type = node["Node Type"] as string;
    if (/Scan/.test(type)) {
      scans.add(`${type} ${node["Index Name"] ?? node["Relation Name"] ?? node["CTE Name"] ?? ""}`.trim());
    }
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  const value = Object.values(row)[0];
  const explained = (typeof value === "string" ? JSON.parse(value) : value) as { Plan: Record<string, unknown> }[];
  walk(explained[0].Plan);
  return [...scans].join("; ");
}

const lines: string[] = [];
for (const backend of values.backend!.split(",")) {
  if (backend === "postgres" && !values["postgres-url"]) {
    console.error("no --postgres-url nor EPIC_EVENTS_TEST_POSTGRES_URL: PostgreSQL skipped");
    continue;
  }
  const empty = await open(await prepare(backend, 0));
  const full = await open(await prepare(backend, EVENTS));
  lines.push(
    `\n### ${backend}, ${EVENTS.toLocaleString("en")} events (ms, median of ${RUNS})\n`,
    "| report | role | empty | full | above empty | plan at full size |",
    "| --- | --- | ---: | ---: | ---: | --- |",
  );
  for (const name of REPORT_NAMES) {
    for (const role of ROLES) {
      const times: number[] = [];
      for (const db of [empty, full]) {
        const actor = await someone(db, role);
        const ctx = { db, actor, now: () => NOW, reporter: NULL_REPORTER, bcryptRounds: 4, timeZone: "Europe/Paris" };
        times.push(await median(() => runReport(ctx, { report: name })));
      }
      const scope = reportScope(await someone(full, role));
      lines.push(
        `| ${name} | ${role} | ${times[0].toFixed(1)} | ${times[1].toFixed(1)} | ${
          (times[1] - times[0]).toFixed(1)
        } | ${await plan(full, name, scope)} |`,
      );
      console.error(lines.at(-1));
    }
  }
  await empty.close();
  await full.close();
}
console.log(`## Reports above the empty database (${NOW.toISOString().slice(0, 10)})\n${lines.join("\n")}`);
