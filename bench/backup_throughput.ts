/**
 * Throughput and peak memory of `backup create` and `backup restore` on a
 * large database (a measurement script, not a test, and not a `deno bench`
 * file). Seeds N events (with one client and contract per 10 events), then
 * runs the real program as a child process and samples its resident memory.
 *
 *   deno run -A bench/backup_throughput.ts [--events 1000000] [--backend sqlite|postgres|both]
 *
 * PostgreSQL uses a fresh schema of EPIC_EVENTS_TEST_POSTGRES_URL.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { parseDatabaseUrl } from "../src/config.ts";
import { connect } from "../src/db/connect.ts";
import type { Database, SqlValue } from "../src/db/database.ts";
import { MIGRATIONS } from "../migrations/mod.ts";
import { migrateUp } from "../src/db/migrator.ts";
import { BACKUP_TABLES, insertRows, resetIdentity } from "../src/repositories/backup.ts";

const { values } = parseArgs({
  options: { events: { type: "string", default: "1000000" }, backend: { type: "string", default: "both" } },
});
const EVENTS = Number(values.events);
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");

function spec(name: string) {
  return BACKUP_TABLES.find((t) => t.name === name)!;
}

async function seed(db: Database, events: number): Promise<number> {
  await migrateUp(db, { migrations: MIGRATIONS });
  const at = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString();
  const clients = Math.ceil(events / 10);
  await db.transaction(async (tx) => {
    await insertRows(tx, spec("users"), [
      "id",
      "first_name",
      "last_name",
      "email",
      "password_hash",
      "role",
      "created_at",
      "updated_at",
    ], [
      [
        1,
        "Bench",
        "Sales",
        "sales@bench.test",
        "$2b$04$abcdefghijklmnopqrstuu0123456789abcdefghijklmnopqrstu",
        "SALES",
        at(0),
        at(0),
      ],
    ]);
    for (let start = 1; start <= clients; start += 1000) {
      const ids = Array.from({ length: Math.min(1000, clients - start + 1) }, (_, i) => start + i);
      await insertRows(
        tx,
        spec("clients"),
        ["id", "full_name", "email", "phone", "company_name", "sales_contact_id", "created_at", "last_updated"],
        ids.map((id) => [id, `Client ${id}`, `c${id}@bench.test`, "0102030405", "Bench Co", 1, at(id), at(id)]),
      );
      await insertRows(
        tx,
        spec("contracts"),
        [
          "id",
          "client_id",
          "sales_contact_id",
          "total_amount_cents",
          "amount_due_cents",
          "created_at",
          "signed_status",
        ],
        ids.map((id) => [id, id, 1, 150_050, 50_025, at(id), true]),
      );
      const rows: SqlValue[][] = [];
      for (const id of ids) {
        for (let e = 0; e < 10; e++) {
          const eventId = (id - 1) * 10 + e + 1;
          if (eventId > events) break;
          rows.push([eventId, `Event ${eventId}`, id, id, "Kate", at(eventId), at(eventId + 60), "Paris", 75, "Notes"]);
        }
      }
      await insertRows(
        tx,
        spec("events"),
        [
          "id",
          "name",
          "contract_id",
          "client_id",
          "client_contact",
          "start_date",
          "end_date",
          "location",
          "attendees",
          "notes",
        ],
        rows,
      );
    }
    for (const name of ["users", "clients", "contracts", "events"]) await resetIdentity(tx, spec(name));
  });
  return 1 + 2 * clients + events;
}

/** Runs the program; returns seconds and peak resident memory (MiB, sampled from /proc). */
async function measure(args: string[], env: Record<string, string>): Promise<{ seconds: number; peakMiB: number }> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, hwm);
    } catch { /* exited */ }
  }, 20);
  const out = await child.output();
  clearInterval(sampler);
  if (!out.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return { seconds: (performance.now() - started) / 1000, peakMiB: peak / 1024 };
}

async function scratch(kind: "sqlite" | "postgres", dir: string, name: string) {
  if (kind === "sqlite") return { url: `sqlite://${join(dir, name)}.db`, drop: () => Promise.resolve() };
  const { default: postgres } = await import("postgres");
  const admin = postgres(PG_URL!, { max: 1, onnotice: () => {} });
  const schema = `bench_${name}_${crypto.randomUUID().slice(0, 8)}`;
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL!);
  url.searchParams.set("search_path", schema);
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function benchmark(kind: "sqlite" | "postgres"): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-backup-bench-" });
  const source = await scratch(kind, dir, "source");
  const target = await scratch(kind, dir, "target");
  try {
    const db = await connect(parseDatabaseUrl(source.url, dir, dir));
    const seeded = performance.now();
    const rows = await seed(db, EVENTS);
    await db.close();
    console.log(
      `${kind}: seeded ${rows} rows (${EVENTS} events) in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );
    const env = {
      DATABASE_URL: source.url,
      HOME: dir,
      EPIC_EVENTS_LOG_DIR: join(dir, "logs"),
      NO_COLOR: "1",
      // Backups are authenticated with a key derived from it (PostgreSQL needs it set).
      SECRET_KEY: "bench-secret-key-0123456789abcdef-0123456789",
    };
    const created = await measure(["backup", "create", "--dir", join(dir, "backups")], env);
    const [file] = [...Deno.readDirSync(join(dir, "backups"))].map((e) => join(dir, "backups", e.name));
    const size = Deno.statSync(file).size / 1024 / 1024;
    const restored = await measure(["backup", "restore", file], { ...env, DATABASE_URL: target.url });
    const line = (what: string, m: { seconds: number; peakMiB: number }) =>
      `${kind}: ${what.padEnd(8)} ${m.seconds.toFixed(1).padStart(6)} s  ${
        Math.round(rows / m.seconds).toLocaleString("en").padStart(9)
      } rows/s  peak RSS ${m.peakMiB.toFixed(0)} MiB`;
    console.log(line("create", created) + `  (file ${size.toFixed(1)} MiB)`);
    console.log(line("restore", restored) + "  (includes the verifying pass before loading)");
  } finally {
    await source.drop();
    await target.drop();
    await Deno.remove(dir, { recursive: true });
  }
}

for (const kind of ["sqlite", "postgres"] as const) {
  if (values.backend !== "both" && values.backend !== kind) continue;
  if (kind === "postgres" && !PG_URL) {
    console.log("postgres: skipped (EPIC_EVENTS_TEST_POSTGRES_URL is unset)");
    continue;
  }
  await benchmark(kind);
}
