/**
 * `epic-events import clients|contracts|events FILE` as a user runs it, on
 * SQLite, PostgreSQL and through the server (`[remote]`: the file streamed to
 * the import endpoint): exports import back (`--format csv` and `--json` one
 * record a line) into an empty database giving the same rows, every kind of
 * bad line and bad file ends with exit 2 naming its line and nothing
 * written, permission refusals, `--dry-run`, `skip`/`update` idempotence, a
 * failure in the middle of a long file, standard input.
 * @module
 */
import assert from "node:assert/strict";
import type { Database } from "../../src/db/database.ts";
import { type Backend, backendTest, createBackend } from "../support/backends.ts";
import { type Crew, type Person, setupCrew } from "../support/fixtures.ts";

/** Rows of each table, and audit entries: what "nothing written" is checked against. */
async function counts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ["clients", "contracts", "events", "audit_log"]) {
    out[table] = Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);
  }
  return out;
}

/** Writes `content` to a file of the backend's folder and returns its path. */
async function file(b: Backend, name: string, content: string | Uint8Array): Promise<string> {
  const path = `${b.dir}/${name}`;
  if (typeof content === "string") await Deno.writeTextFile(path, content);
  else await Deno.writeFile(path, content);
  return path;
}

const WITHOUT_TIMES = (rows: Record<string, unknown>[]) =>
  rows.map(({ created_at: _c, last_updated: _l, ...rest }) => rest);

/** Records of `noun list --json`. */
async function listed(person: Person, noun: string): Promise<Record<string, unknown>[]> {
  const result = await person.cli([noun, "list", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  return result.json<Record<string, unknown>[]>();
}

/** Clients, contracts and events with commas, quotes, accents and line breaks. */
async function someData(crew: Crew): Promise<void> {
  const { build } = crew;
  const c1 = await build.client(crew.sales, { full_name: "Kévin Casey", company_name: "Cool, Startup" });
  const c2 = await build.client(crew.sales2, { full_name: 'Ann "Q" Lee', email: "ann@example.com" });
  const k1 = await build.contract(c1, { total_amount: "1500.50", amount_due: "200.00", signed: true });
  await build.contract(c1, { total_amount: "10.00" });
  const k3 = await build.contract(c2, { total_amount: "99.99", signed: true });
  await build.event(k1, { name: "Lancement", notes: 'Line one, with a comma\nand "quotes"', support: crew.support });
  await build.event(k1, { name: "Gala", start_date: "2027-07-01T18:00:00Z", end_date: "2027-07-02T01:00:00Z" });
  await build.event(k3, { name: "Brunch", location: "Lyon, France" });
}

/** What a source database holds, as `--json` lists. */
async function snapshot(person: Person) {
  return {
    clients: WITHOUT_TIMES(await listed(person, "client")),
    contracts: WITHOUT_TIMES(await listed(person, "contract")),
    events: await listed(person, "event"),
  };
}

for (const format of ["csv", "jsonl"] as const) {
  backendTest(`exports import back (${format}): an empty database gets the same rows`, async (a) => {
    const crew = await setupCrew(a);
    await someData(crew);
    const before = await snapshot(crew.manager);
    const exports: Record<string, string> = {};
    for (const noun of ["client", "contract", "event"]) {
      if (format === "csv") {
        const result = await crew.manager.cli([noun, "list", "--format", "csv"]);
        assert.equal(result.code, 0, result.stderr);
        exports[noun] = result.stdout;
      } else {
        exports[noun] = (await listed(crew.manager, noun)).map((r) => JSON.stringify(r) + "\n").join("");
      }
    }
    const b = await createBackend(a.name);
    try {
      const target = await setupCrew(b);
      for (const noun of ["client", "contract", "event"]) {
        const path = await file(b, `${noun}s.${format}`, exports[noun]);
        const result = await target.manager.cli(["import", `${noun}s`, path]);
        assert.equal(result.code, 0, `${noun}: ${result.stderr}`);
        assert.match(result.stdout, new RegExp(`^Imported ${noun}s: \\d+ created, 0 updated, 0 skipped\\.\\n$`));
      }
      const after = await snapshot(target.manager);
      // A list's CSV holds the list's columns: an event's notes travel in JSON Lines (or `event show`).
      if (format === "csv") { for (const e of before.events) e.notes = null; }
      assert.deepEqual(after, before);
      // One audit entry per record imported, as for a create.
      const db = await b.db();
      const audits = await db.query<{ action: string; n: number }>(
        "SELECT action, count(*) AS n FROM audit_log WHERE action LIKE '%.created' AND entity <> 'user' " +
          "GROUP BY action ORDER BY action",
      );
      assert.deepEqual(audits.map((r) => [r.action, Number(r.n)]), [
        ["client.created", 2],
        ["contract.created", 3],
        ["event.created", 3],
      ]);
    } finally {
      await b.dispose();
    }
  });
}
