/**
 * What the race tests share: commands run as real, concurrent processes;
 * rows inserted directly (fast set-up between trials); and, on PostgreSQL,
 * pauses after chosen writes that widen the window between a check and its
 * commit, so an unguarded check-then-act loses the race on every trial
 * instead of now and then. The pauses are statement triggers in the test's
 * own schema (`pg_sleep`); they slow the program down but change nothing it
 * reads or writes. SQLite runs the same races without pauses.
 * @module
 */
import assert from "node:assert/strict";
import type { Database } from "../../src/db/database.ts";
import type { Backend } from "../support/backends.ts";
import { type CliResult, DENO_DIR, MAIN, spawnCli } from "../support/cli.ts";
import type { Person } from "../support/fixtures.ts";

/** Most trials of one race on one backend. */
export const MAX_TRIALS = 2;
/** No new trial starts after this many milliseconds of a race test. */
export const TIME_BUDGET_MS = 5_000;
/** Independent pairs raced at once in one trial (where the rule is per row). */
export const PAIRS = 3;
/** Seconds a paused write waits before its transaction may commit (PostgreSQL). */
export const PAUSE_SECONDS = 0.15;

/** Runs `args` as `who` in a child process (no terminal). */
export function spawnAs(b: Backend, who: Person, args: string[], stdin?: string): Promise<CliResult> {
  return spawnCli(args, { env: who.env, cwd: b.dir, stdin });
}

/**
 * `login --password-stdin` as `who`, started now (the process loads while
 * the test prepares) and given its password later: `send` writes it and
 * resolves when the process ends. So several logins can be made to start
 * their checks in a chosen order, without waiting for a process to start.
 */
export function pendingLogin(b: Backend, who: Person): { send(password: string): Promise<CliResult> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "login", "--email", who.email, "--password-stdin"],
    cwd: b.dir,
    env: { DENO_DIR, ...Object.fromEntries(Object.entries(who.env).filter(([, v]) => v !== undefined)) },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return {
    async send(password) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(password));
      await writer.close();
      const out = await child.output();
      const [stdout, stderr] = [new TextDecoder().decode(out.stdout), new TextDecoder().decode(out.stderr)];
      return { code: out.code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
    },
  };
}

/** Polls `check` every 20 ms until it holds; fails after `ms` saying `what`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The login throttle's count of `email` now (0 without a row), and the number
 * of its failed logins whose password was checked (not refused as locked),
 * from the audit log.
 */
export async function loginCounts(db: Database, email: string, userId: number) {
  const row = await db.one<{ failures: number; locked_until: string | null }>(
    "SELECT failures, locked_until FROM login_attempts WHERE email = $1",
    [email],
  );
  const failed = await db.query<{ changes: string | null }>(
    "SELECT changes FROM audit_log WHERE action = 'login.failed' AND entity_id = $1",
    [userId],
  );
  return {
    failures: Number(row?.failures ?? 0),
    locked: row?.locked_until != null && new Date(row.locked_until).getTime() > Date.now(),
    /** Wrong passwords actually compared (bcrypt), not refused by the lock. */
    checked: failed.filter((r) => !String(r.changes).includes('"locked"')).length,
    refused: failed.filter((r) => String(r.changes).includes('"locked"')).length,
  };
}

/** Runs the trials of a race: at most {@link MAX_TRIALS}, none started after the time budget. */
export async function trials(run: (trial: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + TIME_BUDGET_MS;
  let done = 0;
  while (done < MAX_TRIALS && (done === 0 || Date.now() < deadline)) await run(done++);
  return done;
}

/** Fails unless `result` ended with one of `codes`, showing what it printed. */
export function assertExit(result: CliResult, codes: readonly number[], what: string): void {
  assert.ok(
    codes.includes(result.code),
    `${what}: exit ${result.code}, expected one of ${
      codes.join(", ")
    }\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
  );
}

/**
 * PostgreSQL only: every `events` statement on `table` waits
 * {@link PAUSE_SECONDS} after it ran, inside its transaction.
 */
export async function pauseAfter(b: Backend, db: Database, writes: ReadonlyArray<[table: string, events: string]>) {
  if (b.name !== "postgres") return;
  await db.execute(
    `CREATE OR REPLACE FUNCTION race_pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(${PAUSE_SECONDS}); RETURN NULL; END $$`,
  );
  for (const [i, [table, events]] of writes.entries()) {
    await db.execute(
      `CREATE TRIGGER race_pause_${i} AFTER ${events} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION race_pause()`,
    );
  }
}

/** Drops the triggers of {@link pauseAfter}. */
export async function stopPausing(b: Backend, db: Database, writes: ReadonlyArray<[string, string]>) {
  if (b.name !== "postgres") return;
  for (const [i, [table]] of writes.entries()) await db.execute(`DROP TRIGGER IF EXISTS race_pause_${i} ON ${table}`);
}

let serial = 0;

/** Inserts a client of `salesId`; returns its id. */
export async function insertClient(db: Database, salesId: number): Promise<number> {
  const now = new Date().toISOString();
  const n = `${Date.now()}-${++serial}`;
  const row = await db.one<{ id: number }>(
    `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
     VALUES ($1, $2, '+33 1 02 03 04 05', 'Race Corp', $3, $4, $4) RETURNING id`,
    [`Client ${n}`, `client-${n}@race.test`, salesId, now],
  );
  return row!.id;
}

/** Inserts a contract of a client (sales contact: the client's); returns its id. */
export async function insertContract(
  db: Database,
  client: { id: number; salesId: number },
  signed: boolean,
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO contracts (client_id, sales_contact_id, total_amount_cents, amount_due_cents, created_at, signed_status)
     VALUES ($1, $2, 100000, 50000, $3, $4) RETURNING id`,
    [client.id, client.salesId, new Date().toISOString(), signed],
  );
  return row!.id;
}

/** Inserts an event of a contract; returns its id. */
export async function insertEvent(
  db: Database,
  contract: { id: number; clientId: number },
  supportId: number | null,
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO events (name, contract_id, client_id, client_contact, start_date, end_date, support_contact_id,
       location, attendees, notes)
     VALUES ('Race party', $1, $2, 'Kate', '2031-01-01T10:00:00.000Z', '2031-01-01T12:00:00.000Z', $3, 'Lyon', 10,
       NULL) RETURNING id`,
    [contract.id, contract.clientId, supportId],
  );
  return row!.id;
}

/** `event create` arguments for a contract. */
export function eventCreateArgs(contractId: number): string[] {
  return [
    "event",
    "create",
    "--contract",
    String(contractId),
    "--name",
    "Raced launch",
    "--client-contact",
    "Kate",
    "--start-date",
    "2031-06-01T10:00:00Z",
    "--end-date",
    "2031-06-01T12:00:00Z",
    "--location",
    "Paris",
    "--attendees",
    "50",
  ];
}
