/**
 * Benchmarks of what makes a command feel instant: parsing and dispatch of
 * the CLI, and one list of 1,000 events (one query with joins) on SQLite.
 * Run with `deno task bench`. PostgreSQL is included when
 * EPIC_EVENTS_TEST_POSTGRES_URL is set.
 */
import { run } from "../src/cli/run.ts";
import type { Io } from "../src/cli/io.ts";
import { SqliteDatabase } from "../src/db/sqlite.ts";
import { migrateUp } from "../src/db/migrator.ts";
import type { Database } from "../src/db/database.ts";
import { listEvents } from "../src/services/events.ts";
import { NULL_REPORTER, type ServiceContext } from "../src/services/context.ts";

const dir = Deno.makeTempDirSync({ prefix: "epic-bench-" });

const io: Io = {
  writeOut: () => {},
  writeErr: () => {},
  readStdin: () => Promise.resolve(""),
  stdinIsTerminal: false,
  stdoutIsTerminal: false,
  env: { HOME: dir, EPIC_EVENTS_LOG_DIR: `${dir}/logs`, DATABASE_URL: `sqlite://${dir}/bench.db` },
  cwd: dir,
};

async function seed(db: Database, events: number): Promise<ServiceContext> {
  await migrateUp(db);
  const now = new Date().toISOString();
  await db.transaction(async (tx) => {
    const user = await tx.one<{ id: number }>(
      `INSERT INTO users (first_name, last_name, email, phone, role, password_hash, created_at, updated_at)
       VALUES ('Bench', 'Manager', 'bench@epic.test', NULL, 'MANAGEMENT', 'x', $1, $1) RETURNING id`,
      [now],
    );
    const sales = await tx.one<{ id: number }>(
      `INSERT INTO users (first_name, last_name, email, phone, role, password_hash, created_at, updated_at)
       VALUES ('Bench', 'Sales', 'sales@epic.test', NULL, 'SALES', 'x', $1, $1) RETURNING id`,
      [now],
    );
    const client = await tx.one<{ id: number }>(
      `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
       VALUES ('Client', 'c@x.io', '+33 1 23 45', 'Co', $1, $2, $2) RETURNING id`,
      [sales!.id, now],
    );
    const contract = await tx.one<{ id: number }>(
      `INSERT INTO contracts (client_id, sales_contact_id, total_amount_cents, amount_due_cents, created_at, signed_status)
       VALUES ($1, $2, 100, 0, $3, TRUE) RETURNING id`,
      [client!.id, sales!.id, now],
    );
    for (let i = 0; i < events; i++) {
      await tx.execute(
        `INSERT INTO events (name, contract_id, client_id, client_contact, start_date, end_date, location, attendees)
         VALUES ($1, $2, $3, 'Kevin', '2030-01-01T10:00:00.000Z', '2030-01-01T12:00:00.000Z', 'Paris', 10)`,
        [`Event ${i}`, contract!.id, client!.id],
      );
    }
    void user;
  });
  const actor = await db.one<{ id: number }>("SELECT id FROM users WHERE role = 'MANAGEMENT'");
  return {
    db,
    actor: { id: actor!.id, email: "bench@epic.test", role: "MANAGEMENT" },
    now: () => new Date(),
    reporter: NULL_REPORTER,
    bcryptRounds: 10,
  };
}

const sqliteCtx = await seed(new SqliteDatabase(`${dir}/events.db`), 1000);

Deno.bench("cli: --help (parse and dispatch, no database)", async () => {
  await run(["--help"], io);
});

Deno.bench("cli: migrate status on SQLite (connect, one query)", async () => {
  await run(["migrate", "status"], io);
});

Deno.bench("service: list 1,000 events with names (SQLite, one query)", async () => {
  await listEvents(sqliteCtx, {});
});

const pgUrl = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");
if (pgUrl) {
  const { PostgresDatabase } = await import("../src/db/postgres.ts");
  const schema = `bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new PostgresDatabase(pgUrl);
  await admin.execute(`CREATE SCHEMA ${schema}`);
  const url = new URL(pgUrl);
  url.searchParams.set("search_path", schema);
  const pgCtx = await seed(new PostgresDatabase(url.toString()), 1000);
  Deno.bench("service: list 1,000 events with names (PostgreSQL, one query)", async () => {
    await listEvents(pgCtx, {});
  });
  globalThis.addEventListener("unload", () => {
    void admin.execute(`DROP SCHEMA ${schema} CASCADE`);
  });
}
