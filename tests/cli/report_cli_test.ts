/**
 * `epic-events report pipeline|revenue|events|workload` as a user runs it,
 * on SQLite, PostgreSQL and through the server: every figure checked against
 * sums computed here from the `--json` lists, for MANAGEMENT and for a SALES
 * collaborator's scope; tables with bar charts on a terminal (Unicode blocks,
 * `#` under `NO_COLOR` or `TERM=dumb`); `--csv` numbers alone; bad input exit 2
 * naming the flag.
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { type Crew, type Person, setupCrew } from "../support/fixtures.ts";

const DAY = 86_400_000;
const UTC = { TZ: "UTC" };

type Row = Record<string, unknown>;

async function json<T = Row[]>(person: Person, args: string[]): Promise<T> {
  const result = await person.cli([...args, "--json"], { env: UTC });
  assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
  return result.json<T>();
}

const cents = (amount: unknown) => Math.round(Number(amount) * 100);
const money = (c: number) => (c / 100).toFixed(2);

/** Contracts in every state for two sales contacts; events in two months, near and far, some unassigned. */
async function business(crew: Crew): Promise<void> {
  const { build } = crew;
  const a = await build.client(crew.sales);
  const b = await build.client(crew.sales2);
  const paid = await build.contract(a, { total_amount: "1500.50", amount_due: "0.00", signed: true });
  await build.contract(a, { total_amount: "200.00", amount_due: "50.25", signed: true });
  await build.contract(a, { total_amount: "99.99" });
  const sue = await build.contract(b, { total_amount: "7000.00", amount_due: "7000.00", signed: true });
  const now = Date.now();
  const at = (days: number, hours = 0) => new Date(now + days * DAY + hours * 3_600_000).toISOString();
  await build.event(paid, { start_date: at(10), end_date: at(10, 5), attendees: 40, support: crew.support });
  await build.event(paid, { start_date: at(60), end_date: at(60, 5), attendees: 120, support: crew.support });
  await build.event(sue, { start_date: at(20), end_date: at(20, 3), attendees: 15, support: crew.support2 });
  await build.event(sue, { start_date: at(25), end_date: at(25, 3), attendees: 300 });
  await build.event(sue, { name: "Gala", attendees: 75 }); // June 2027, unassigned
}

/** The pipeline computed from the contracts: one row per sales contact and state. */
function expectedPipeline(contracts: Row[], sales: { id: number; name: string }[]): Row[] {
  const rows: Row[] = [];
  for (const person of sales) {
    for (const state of ["unsigned", "signed_unpaid", "paid"]) {
      const mine = contracts.filter((c) =>
        c.sales_contact_id === person.id &&
        (state === "unsigned"
          ? !c.signed_status
          : state === "paid"
          ? c.signed_status && cents(c.amount_due) === 0
          : c.signed_status && cents(c.amount_due) > 0)
      );
      rows.push({
        sales_contact_id: person.id,
        sales_contact_name: person.name,
        state,
        contracts: mine.length,
        total_amount: money(mine.reduce((s, c) => s + cents(c.total_amount), 0)),
        amount_due: money(mine.reduce((s, c) => s + cents(c.amount_due), 0)),
      });
    }
  }
  return rows;
}

backendTest("report figures are the sums of the records, for MANAGEMENT and SALES", async (b) => {
  const crew = await setupCrew(b);
  await business(crew);
  const contracts = await json(crew.manager, ["contract", "list"]);
  const events = await json(crew.manager, ["event", "list"]);
  const sam = { id: crew.sales.id, name: "Sam Seller" };
  const sue = { id: crew.sales2.id, name: "Sue Vendor" };

  assert.deepEqual(await json(crew.manager, ["report", "pipeline"]), expectedPipeline(contracts, [sam, sue]));
  assert.deepEqual(await json(crew.sales, ["report", "pipeline"]), expectedPipeline(contracts, [sam]));

  // Revenue: every contract was signed now, so all in this month, the last of the default 12.
  const revenue = await json(crew.manager, ["report", "revenue"]);
  assert.equal(revenue.length, 12);
  const month = new Date().toISOString().slice(0, 7);
  const signed = contracts.filter((c) => c.signed_status);
  assert.deepEqual(revenue.at(-1), {
    month,
    contracts: signed.length,
    total_amount: money(signed.reduce((s, c) => s + cents(c.total_amount), 0)),
    amount_due: money(signed.reduce((s, c) => s + cents(c.amount_due), 0)),
  });
  assert.ok(revenue.slice(0, -1).every((r) => r.contracts === 0 && r.total_amount === "0.00"));

  // Events per month of their start (UTC), over the months the events span.
  const months = [...new Set(events.map((e) => String(e.start_date).slice(0, 7)))].sort();
  const report = await json(crew.manager, ["report", "events", "--from", months[0], "--to", months.at(-1)!]);
  for (const row of report) {
    const those = events.filter((e) => String(e.start_date).startsWith(String(row.month)));
    assert.deepEqual(row, {
      month: row.month,
      events: those.length,
      attendees: those.reduce((s, e) => s + Number(e.attendees), 0),
      unassigned_upcoming: those.filter((e) => e.support_contact_id === null).length,
    });
  }
  assert.equal(report.reduce((s, r) => s + Number(r.events), 0), events.length);

  // Workload: per SUPPORT collaborator, events starting within 30 and 90 days.
  const soon = (e: Row, days: number) => new Date(String(e.start_date)).getTime() < Date.now() + days * DAY;
  const expected = [crew.support, crew.support2].map((p) => {
    const theirs = events.filter((e) => e.support_contact_id === p.id);
    const within = (days: number) => theirs.filter((e) => soon(e, days));
    return {
      events_30d: within(30).length,
      attendees_30d: within(30).reduce((s, e) => s + Number(e.attendees), 0),
      events_90d: within(90).length,
      attendees_90d: within(90).reduce((s, e) => s + Number(e.attendees), 0),
    };
  });
  const workload = await json(crew.manager, ["report", "workload"]);
  const byId = new Map(workload.map((r) => [r.support_contact_id, r]));
  for (const [i, p] of [crew.support, crew.support2].entries()) {
    const { support_contact_id: _id, support_contact_name: _name, ...figures } = byId.get(p.id)!;
    assert.deepEqual(figures, expected[i]);
  }
  assert.deepEqual(expected[0], { events_30d: 1, attendees_30d: 40, events_90d: 2, attendees_90d: 160 });

  // CSV: the same numbers, the JSON keys as header.
  const csv = await crew.manager.cli(["report", "pipeline", "--format", "csv"], { env: UTC });
  assert.equal(csv.code, 0, csv.stderr);
  const [header, first] = csv.stdout.split("\r\n");
  assert.equal(header, "sales_contact_id,sales_contact_name,state,contracts,total_amount,amount_due");
  assert.equal(first, `${sam.id},Sam Seller,unsigned,1,99.99,99.99`);
});

backendTest("reports on a terminal: a table with bars, plain under NO_COLOR and TERM=dumb", async (b) => {
  const crew = await setupCrew(b);
  await business(crew);
  const blocks = await crew.manager.cli(["report", "pipeline"], {
    tty: true,
    env: { NO_COLOR: undefined, TERM: "xterm-256color", COLUMNS: "120" },
  });
  assert.equal(blocks.code, 0, blocks.stderr);
  // deno-lint-ignore no-control-regex
  const plainText = blocks.stdout.replace(/\x1b\[[0-9;]*m/g, "");
  assert.match(plainText, /SALES CONTACT.*STATE.*CONTRACTS.*TOTAL.*DUE/);
  assert.match(plainText, /Sue Vendor.*signed, unpaid.*7,000\.00.*█{10,}/);
  for (const env of [{ NO_COLOR: "1" }, { NO_COLOR: undefined, TERM: "dumb" }]) {
    const plain = await crew.manager.cli(["report", "revenue"], { tty: true, env });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /#{5,}/);
    assert.doesNotMatch(plain.stdout, /[█▉▊▋▌▍▎▏]/);
  }
});

backendTest("report: bad input is exit 2 naming the flag", async (b) => {
  const crew = await setupCrew(b);
  const inverted = await crew.manager.cli(["report", "revenue", "--from", "2026-06", "--to", "2026-01"]);
  assert.equal(inverted.code, 2);
  assert.match(inverted.stderr, /^error: --to: 2026-01 is before --from 2026-06/m);
  const bad = await crew.manager.cli(["report", "events", "--from", "June"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--from:/);
  const unknown = await crew.manager.cli(["report", "profit"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /profit/);
  const flag = await crew.manager.cli(["report", "pipeline", "--from", "2026-01"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--from/);
});

Deno.test("report help in the language asked for, `--lang fr` before the noun too", async () => {
  const { runCli } = await import("../support/cli.ts");
  const help = await runCli(["--lang", "fr", "report", "--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /l’activité d’un coup d’œil/);
  assert.match(help.stdout, /revenue \[options\] +totaux signés par mois/);
  const english = await runCli(["report", "workload", "--help"]);
  assert.match(english.stdout, /per support contact: upcoming events/);
});
