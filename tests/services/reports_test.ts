/**
 * `report pipeline|revenue|events|workload` at the service level, on both
 * backends: every figure is checked against sums this test computes on its
 * own from the records it made (money in cents parsed from the strings it
 * typed, months from `Intl.DateTimeFormat`), for each role's scope, with
 * months on both sides of a time zone's boundary, zero amounts, months
 * without data, ongoing and past events — and the bad input of the issue
 * (exit 2 naming the flag).
 * @module
 */
import assert from "node:assert/strict";
import type { Database } from "../../src/db/database.ts";
import { AppError } from "../../src/domain/errors.ts";
import { REPORT_ROW_SCHEMAS } from "../../src/domain/schemas/report.ts";
import { createContract, signContract, updateContract } from "../../src/services/contracts.ts";
import { runReport } from "../../src/services/reports.ts";
import { backendTest } from "../support/backends.ts";
import { type ActorLike, builders, firstManager, serviceContext } from "../support/fixtures.ts";

const NOW = new Date("2026-06-15T09:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Cents of a decimal string typed with two decimals ("2000.50" → 200050n). */
function cents(amount: string): bigint {
  const [whole, fraction = ""] = amount.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
}

/** "1500.00" of cents, written here independently of the program's own formatter. */
function money(value: bigint): string {
  return `${value / 100n}.${String(value % 100n).padStart(2, "0")}`;
}

/** `YYYY-MM` of an instant in a zone, from the platform's time zone database. */
function monthIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(
    instant,
  );
  return `${parts.find((p) => p.type === "year")!.value}-${parts.find((p) => p.type === "month")!.value}`;
}

/** The months from `from` to `to`, both included. */
function monthsFrom(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    out.push(month);
    if (month === to) return out;
    if (++m === 13) [y, m] = [y + 1, 1];
  }
}

interface MadeContract {
  id: number;
  owner: number;
  total: string;
  due: string;
  signedAt: Date | null;
}

interface MadeEvent {
  id: number;
  contract: number;
  owner: number;
  support: number | null;
  start: Date;
  end: Date;
  attendees: number;
}

/** A small agency: who, and what they made, as the test knows it. */
async function agency(db: Database, b: Parameters<typeof firstManager>[0]) {
  const manager = await firstManager(b);
  const build = await builders(b, manager);
  const salesA = await build.user("SALES");
  const salesB = await build.user("SALES");
  const salesC = await build.user("SALES"); // no clients at all
  const s1 = await build.user("SUPPORT");
  const s2 = await build.user("SUPPORT");
  const s3 = await build.user("SUPPORT"); // no events at all
  const clientA1 = await build.client(salesA);
  const clientA2 = await build.client(salesA);
  const clientB1 = await build.client(salesB);
  const at = (instant: Date | string) => serviceContext(db, manager, { now: () => new Date(instant) });

  const contracts: MadeContract[] = [];
  async function contract(
    client: { id: number; sales_contact_id: number },
    total: string,
    due: string,
    signed?: string,
  ) {
    const made = await createContract(at(NOW), { client_id: client.id, total_amount: total, amount_due: due });
    if (signed) await signContract(at(signed), { id: made.id });
    contracts.push({
      id: made.id,
      owner: client.sales_contact_id,
      total,
      due,
      signedAt: signed ? new Date(signed) : null,
    });
    return made;
  }
  await contract(clientA1, "1500.00", "1500.00");
  // 23:30 UTC on 31 January is February in Paris.
  const k2 = await contract(clientA1, "2000.50", "500.25", "2026-01-31T23:30:00Z");
  const k3 = await contract(clientA2, "0.00", "0.00", "2026-03-15T12:00:00Z");
  // 00:30 on 1 March in Paris is still February in UTC.
  const k4 = await contract(clientB1, "999.99", "0.00", "2026-03-01T00:30:00+01:00");
  await contract(clientB1, "100.00", "100.00");
  // Signed, unsigned and signed again: it counts once, in the month of the last signature.
  const k6 = await contract(clientB1, "300.10", "300.10", "2025-11-20T10:00:00Z");
  await updateContract(at("2026-04-02T10:00:00Z"), { id: k6.id, signed_status: false });
  await signContract(at("2026-04-10T10:00:00Z"), { id: k6.id });
  contracts[contracts.length - 1].signedAt = new Date("2026-04-10T10:00:00Z");
  // Its amounts change later: the signing month stays.
  await updateContract(at("2026-05-05T10:00:00Z"), { id: k6.id, amount_due: "0.10" });
  contracts[contracts.length - 1].due = "0.10";

  const events: MadeEvent[] = [];
  async function event(
    contract: { id: number },
    options: { start: Date; hours: number; attendees: number; support?: { id: number } },
  ) {
    const end = new Date(options.start.getTime() + options.hours * HOUR);
    const made = await build.event(contract, {
      start_date: options.start.toISOString(),
      end_date: end.toISOString(),
      attendees: options.attendees,
      support: options.support,
    });
    const owner = contracts.find((c) => c.id === contract.id)!.owner;
    events.push({
      id: made.id,
      contract: contract.id,
      owner,
      support: options.support?.id ?? null,
      start: options.start,
      end,
      attendees: options.attendees,
    });
  }
  // 22:30 UTC on 31 May is June in Paris.
  await event(k2, { start: new Date("2026-05-31T22:30:00Z"), hours: 5, attendees: 10, support: s1 });
  await event(k2, { start: new Date(NOW.getTime() + 10 * DAY), hours: 3, attendees: 20 });
  await event(k4, { start: new Date(NOW.getTime() + 45 * DAY), hours: 4, attendees: 30, support: s2 });
  await event(k3, { start: new Date(NOW.getTime() - HOUR), hours: 3, attendees: 40, support: s1 }); // ongoing
  await event(k4, { start: new Date(NOW.getTime() + 100 * DAY), hours: 2, attendees: 50, support: s1 });
  await event(k3, { start: new Date("2026-03-10T08:00:00Z"), hours: 8, attendees: 5 }); // past, unassigned
  await event(k3, { start: new Date("2026-03-31T22:30:00Z"), hours: 1, attendees: 0, support: s2 }); // April in Paris
  return { manager, salesA, salesB, salesC, s1, s2, s3, contracts, events };
}

type Agency = Awaited<ReturnType<typeof agency>>;

/** The report as `who` sees it, on the fixed clock, months in `timeZone`. */
function report(db: Database, who: ActorLike, timeZone = "Europe/Paris") {
  const ctx = serviceContext(db, who, { now: () => NOW, timeZone });
  return {
    pipeline: () => runReport(ctx, { report: "pipeline" }),
    revenue: (range: { from?: string; to?: string; time_zone?: string } = {}) =>
      runReport(ctx, { report: "revenue", ...range }),
    events: (range: { from?: string; to?: string } = {}) => runReport(ctx, { report: "events", ...range }),
    workload: () => runReport(ctx, { report: "workload" }),
  };
}

function state(c: MadeContract): string {
  return c.signedAt === null ? "unsigned" : cents(c.due) > 0n ? "signed_unpaid" : "paid";
}

/** The pipeline's rows computed here: every state of every listed owner, from the contracts given. */
function expectedPipeline(owners: readonly number[], contracts: readonly MadeContract[]) {
  return owners.flatMap((owner) =>
    ["unsigned", "signed_unpaid", "paid"].map((s) => {
      const mine = contracts.filter((c) => c.owner === owner && state(c) === s);
      return {
        sales_contact_id: owner,
        state: s,
        contracts: mine.length,
        total_amount: money(mine.reduce((sum, c) => sum + cents(c.total), 0n)),
        amount_due: money(mine.reduce((sum, c) => sum + cents(c.due), 0n)),
      };
    })
  );
}

function withoutNames<T extends Record<string, unknown>>(rows: readonly T[], key: string) {
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== key)));
}

function expectedRevenue(months: readonly string[], contracts: readonly MadeContract[], timeZone: string) {
  return months.map((month) => {
    const signed = contracts.filter((c) => c.signedAt !== null && monthIn(c.signedAt, timeZone) === month);
    return {
      month,
      contracts: signed.length,
      total_amount: money(signed.reduce((sum, c) => sum + cents(c.total), 0n)),
      amount_due: money(signed.reduce((sum, c) => sum + cents(c.due), 0n)),
    };
  });
}

function expectedEvents(months: readonly string[], events: readonly MadeEvent[], timeZone: string) {
  return months.map((month) => {
    const these = events.filter((e) => monthIn(e.start, timeZone) === month);
    return {
      month,
      events: these.length,
      attendees: these.reduce((sum, e) => sum + e.attendees, 0),
      unassigned_upcoming: these.filter((e) => e.support === null && e.end > NOW).length,
    };
  });
}

function expectedWorkload(supports: readonly number[], events: readonly MadeEvent[]) {
  return supports.map((support) => {
    const open = events.filter((e) => e.support === support && e.end > NOW);
    const within = (days: number) => open.filter((e) => e.start.getTime() < NOW.getTime() + days * DAY);
    return {
      support_contact_id: support,
      events_30d: within(30).length,
      attendees_30d: within(30).reduce((sum, e) => sum + e.attendees, 0),
      events_90d: within(90).length,
      attendees_90d: within(90).reduce((sum, e) => sum + e.attendees, 0),
    };
  });
}

/** The rows of a report match its published schema (JSON shape scripts rely on). */
function assertShape(name: keyof typeof REPORT_ROW_SCHEMAS, rows: readonly unknown[]): void {
  for (const row of rows) REPORT_ROW_SCHEMAS[name].parse(row);
}

backendTest("reports: every figure is the sum of the records, for each role's scope", async (b, t) => {
  const db = await b.db();
  const a: Agency = await agency(db, b);
  const { contracts, events } = a;
  const owned = (owner: number) => contracts.filter((c) => c.owner === owner);

  await t.step("pipeline: MANAGEMENT sees every SALES collaborator, those without contracts too", async () => {
    const rows = await report(db, a.manager).pipeline();
    assertShape("pipeline", rows);
    assert.deepEqual(
      withoutNames(rows, "sales_contact_name"),
      expectedPipeline([a.salesA.id, a.salesB.id, a.salesC.id], contracts),
    );
    assert.equal(rows[0].sales_contact_name, `${a.salesA.first_name} ${a.salesA.last_name}`);
  });
  await t.step("pipeline: SALES sees the contracts of their clients only", async () => {
    const rows = await report(db, a.salesB).pipeline();
    assert.deepEqual(withoutNames(rows, "sales_contact_name"), expectedPipeline([a.salesB.id], owned(a.salesB.id)));
    const none = await report(db, a.salesC).pipeline();
    assert.deepEqual(withoutNames(none, "sales_contact_name"), expectedPipeline([a.salesC.id], []));
  });
  await t.step("pipeline: SUPPORT sees the contracts of the events they support, by owner", async () => {
    const theirs = new Set(events.filter((e) => e.support === a.s1.id).map((e) => e.contract));
    const rows = await report(db, a.s1).pipeline();
    const scoped = contracts.filter((c) => theirs.has(c.id));
    const owners = [...new Set(scoped.map((c) => c.owner))].sort((x, y) => x - y);
    assert.deepEqual(withoutNames(rows, "sales_contact_name"), expectedPipeline(owners, scoped));
    assert.deepEqual(await report(db, a.s3).pipeline(), []);
  });

  await t.step("revenue: months in the report's zone, months without signatures as zeros", async () => {
    for (const timeZone of ["Europe/Paris", "UTC", "America/New_York"]) {
      const rows = await report(db, a.manager, timeZone).revenue({ from: "2025-11", to: "2026-05" });
      assertShape("revenue", rows);
      assert.deepEqual(rows, expectedRevenue(monthsFrom("2025-11", "2026-05"), contracts, timeZone), timeZone);
    }
    // The boundary cases land where the zone says: February in Paris, January and February in UTC.
    const paris = await report(db, a.manager, "Europe/Paris").revenue({ from: "2026-01", to: "2026-03" });
    assert.deepEqual(paris.map((r) => r.contracts), [0, 1, 2]);
    const utc = await report(db, a.manager, "UTC").revenue({ from: "2026-01", to: "2026-03" });
    assert.deepEqual(utc.map((r) => r.contracts), [1, 1, 1]);
    // `time_zone` overrides the caller's zone.
    assert.deepEqual(
      await report(db, a.manager, "Europe/Paris").revenue({ from: "2026-01", to: "2026-03", time_zone: "UTC" }),
      utc,
    );
  });
  await t.step("revenue: by default the current month and the 11 before; dates stand for their months", async () => {
    const rows = await report(db, a.manager).revenue();
    assert.deepEqual(rows, expectedRevenue(monthsFrom("2025-07", "2026-06"), contracts, "Europe/Paris"));
    assert.deepEqual(
      await report(db, a.manager).revenue({ from: "2026-01-20", to: "2026-03-02 10:00" }),
      expectedRevenue(monthsFrom("2026-01", "2026-03"), contracts, "Europe/Paris"),
    );
    // Only one end given: twelve months from it, or to it.
    assert.deepEqual((await report(db, a.manager).revenue({ from: "2026-02" })).map((r) => r.month).at(-1), "2027-01");
    assert.deepEqual((await report(db, a.manager).revenue({ to: "2026-02" })).map((r) => r.month)[0], "2025-03");
  });
  await t.step("revenue: SALES and SUPPORT scopes", async () => {
    const months = monthsFrom("2025-11", "2026-05");
    assert.deepEqual(
      await report(db, a.salesB).revenue({ from: "2025-11", to: "2026-05" }),
      expectedRevenue(months, owned(a.salesB.id), "Europe/Paris"),
    );
    const theirs = new Set(events.filter((e) => e.support === a.s2.id).map((e) => e.contract));
    assert.deepEqual(
      await report(db, a.s2).revenue({ from: "2025-11", to: "2026-05" }),
      expectedRevenue(months, contracts.filter((c) => theirs.has(c.id)), "Europe/Paris"),
    );
  });

  await t.step("events: per month of start, attendees, upcoming without support", async () => {
    const months = monthsFrom("2026-02", "2026-10");
    const rows = await report(db, a.manager).events({ from: "2026-02", to: "2026-10" });
    assertShape("events", rows);
    assert.deepEqual(rows, expectedEvents(months, events, "Europe/Paris"));
    assert.deepEqual(
      await report(db, a.manager, "UTC").events({ from: "2026-02", to: "2026-10" }),
      expectedEvents(months, events, "UTC"),
    );
    // By default: 11 months back, this month, 12 ahead.
    const all = await report(db, a.manager).events();
    assert.deepEqual(all, expectedEvents(monthsFrom("2025-07", "2027-06"), events, "Europe/Paris"));
    assert.ok(all.some((r) => r.unassigned_upcoming > 0), "the data has an upcoming unassigned event");
  });
  await t.step("events: SALES their clients', SUPPORT their own (none unassigned)", async () => {
    const months = monthsFrom("2026-02", "2026-10");
    assert.deepEqual(
      await report(db, a.salesA).events({ from: "2026-02", to: "2026-10" }),
      expectedEvents(months, events.filter((e) => e.owner === a.salesA.id), "Europe/Paris"),
    );
    const s1 = await report(db, a.s1).events({ from: "2026-02", to: "2026-10" });
    assert.deepEqual(s1, expectedEvents(months, events.filter((e) => e.support === a.s1.id), "Europe/Paris"));
    assert.ok(s1.every((r) => r.unassigned_upcoming === 0));
  });

  await t.step("workload: MANAGEMENT every SUPPORT collaborator, 30 and 90 days ahead, ongoing included", async () => {
    const rows = await report(db, a.manager).workload();
    assertShape("workload", rows);
    assert.deepEqual(withoutNames(rows, "support_contact_name"), expectedWorkload([a.s1.id, a.s2.id, a.s3.id], events));
    // The ongoing event counts; the one 100 days ahead does not.
    assert.deepEqual(rows[0], {
      support_contact_id: a.s1.id,
      support_contact_name: `${a.s1.first_name} ${a.s1.last_name}`,
      events_30d: 1,
      attendees_30d: 40,
      events_90d: 1,
      attendees_90d: 40,
    });
  });
  await t.step("workload: SALES the support contacts of their clients' events; SUPPORT their own line", async () => {
    const ofB = events.filter((e) => e.owner === a.salesB.id);
    const supportsOfB = [
      ...new Set(
        ofB.filter((e) =>
          e.support && e.end > NOW &&
          e.start.getTime() < NOW.getTime() + 90 * DAY
        ).map((e) => e.support!),
      ),
    ].sort((x, y) => x - y);
    assert.deepEqual(
      withoutNames(await report(db, a.salesB).workload(), "support_contact_name"),
      expectedWorkload(supportsOfB, ofB),
    );
    assert.deepEqual(
      withoutNames(await report(db, a.s3).workload(), "support_contact_name"),
      expectedWorkload([a.s3.id], events),
    );
  });
});

backendTest("reports: an empty database gives zeros, not errors", async (b) => {
  const db = await b.db();
  const manager = await firstManager(b);
  const r = report(db, manager);
  assert.deepEqual(await r.pipeline(), []);
  assert.deepEqual(await r.workload(), []);
  const revenue = await r.revenue();
  assert.equal(revenue.length, 12);
  assert.ok(revenue.every((row) => row.contracts === 0 && row.total_amount === "0.00" && row.amount_due === "0.00"));
  const events = await r.events();
  assert.equal(events.length, 24);
  assert.ok(events.every((row) => row.events === 0 && row.attendees === 0 && row.unassigned_upcoming === 0));
});

backendTest("reports: bad input is exit 2 naming the flag", async (b, t) => {
  const db = await b.db();
  const manager = await firstManager(b);
  const ctx = serviceContext(db, manager, { now: () => NOW, timeZone: "Europe/Paris" });
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["unknown report", { report: "profits" }, "report", /^report: must be one of pipeline, revenue, events, workload/],
    ["inverted range", { report: "revenue", from: "2026-06", to: "2026-01" }, "to", /^--to: 2026-01 is before --from/],
    ["inverted dates", { report: "events", from: "2026-06-20", to: "2026-05-31" }, "to", /^--to: /],
    ["not a month", { report: "revenue", from: "2026-13" }, "from", /^--from: 2026-13 is not a valid month/],
    ["not a date", { report: "events", to: "next week" }, "to", /^--to: must be a date/],
    ["too long", { report: "revenue", from: "2000-01", to: "2026-01" }, "to", /^--to: at most 120 months/],
    ["range of pipeline", { report: "pipeline", from: "2026-01" }, "from", /^--from: report pipeline/],
    ["range of workload", { report: "workload", to: "2026-01" }, "to", /^--to: report workload/],
    ["unknown zone", { report: "revenue", time_zone: "Mars/Olympus" }, "time_zone", /^time_zone: unknown/],
    ["unknown key", { report: "revenue", form: "2026-01" }, "form", /^form: unknown field/],
  ];
  for (const [name, input, field, message] of cases) {
    await t.step(name, async () => {
      const error = await runReport(ctx, input as never).then(() => undefined, (e) => e);
      assert.ok(error instanceof AppError, `${name}: ${error}`);
      assert.equal(error.exitCode, 2);
      assert.equal(error.field, field);
      assert.match(error.message, message);
    });
  }
});
