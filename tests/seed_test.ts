/**
 * `deno task seed` (tools/seed.ts): the data set has the promised shape on
 * both backends, is the same for the same options, and the program reads it
 * (the seeded collaborators log in with the seed password).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { backendTest } from "./support/backends.ts";
import { DENO_DIR } from "./support/cli.ts";
import { connect } from "../src/db/connect.ts";
import type { Queryable } from "../src/db/database.ts";
import { DEFAULT_SEED_PASSWORD, seed, SeedError, STAFF_DOMAIN } from "../tools/seed.ts";

const SEED_SCRIPT = new URL("../tools/seed.ts", import.meta.url).pathname;

/** A digest of every seeded row, in a form both backends return alike. */
async function digest(db: Queryable): Promise<string> {
  const hash = createHash("sha256");
  const tables = {
    users: "id, first_name, last_name, email, phone, role",
    clients: "id, full_name, email, phone, company_name, sales_contact_id, created_at, last_updated",
    contracts: "id, client_id, sales_contact_id, total_amount_cents, amount_due_cents, created_at, " +
      "CASE WHEN signed_status THEN 1 ELSE 0 END AS signed",
    events: "id, name, contract_id, client_id, client_contact, start_date, end_date, support_contact_id, location, " +
      "attendees, notes",
  };
  for (const [table, columns] of Object.entries(tables)) {
    for (const row of await db.query(`SELECT ${columns} FROM ${table} ORDER BY id`)) {
      hash.update(JSON.stringify(Object.values(row).map((v) => (typeof v === "bigint" ? Number(v) : v))));
    }
  }
  return hash.digest("hex");
}

backendTest("seed: clients, two contracts each, events on signed contracts only, half unassigned", async (b) => {
  const db = await b.db();
  const summary = await seed(db, { clients: 40, events: 300, bcryptRounds: 4 });
  assert.deepEqual(summary.users, { management: 3, sales: 2, support: 2 });
  const n = async (sql: string) => Number((await db.one<{ n: number }>(sql))!.n);
  assert.equal(await n("SELECT count(*) AS n FROM users"), 7);
  assert.equal(await n("SELECT count(*) AS n FROM clients"), 40);
  assert.equal(await n("SELECT count(*) AS n FROM contracts"), 80);
  assert.equal(await n("SELECT count(*) AS n FROM events"), 300);
  assert.equal(
    await n("SELECT count(*) AS n FROM (SELECT client_id FROM contracts GROUP BY client_id HAVING count(*) = 2) x"),
    40,
  );
  const signed = await n("SELECT count(*) AS n FROM contracts WHERE signed_status = TRUE");
  assert.equal(signed, summary.signedContracts);
  assert.ok(signed >= 24 && signed <= 56, `${signed} of 80 contracts signed`);
  assert.equal(
    await n(
      "SELECT count(*) AS n FROM events e JOIN contracts c ON c.id = e.contract_id WHERE c.signed_status = FALSE",
    ),
    0,
  );
  assert.equal(
    await n(
      "SELECT count(*) AS n FROM events e JOIN contracts c ON c.id = e.contract_id WHERE c.created_at > e.start_date",
    ),
    0,
  );
  const unassigned = await n("SELECT count(*) AS n FROM events WHERE support_contact_id IS NULL");
  assert.equal(unassigned, summary.unassignedEvents);
  assert.ok(unassigned >= 100 && unassigned <= 200, `${unassigned} of 300 events unassigned`);
  const support = await db.query<{ role: string }>(
    "SELECT DISTINCT u.role FROM events e JOIN users u ON u.id = e.support_contact_id",
  );
  assert.deepEqual(support.map((r) => r.role), ["SUPPORT"]);
  // Dates over five years, ISO instants as the repositories write them.
  const span = await db.one<{ first: string; last: string }>(
    "SELECT min(start_date) AS first, max(start_date) AS last FROM events",
  );
  assert.ok(span!.first >= "2023-01-01T00:00:00.000Z" && span!.first < "2023-03-01", span!.first);
  assert.ok(span!.last >= "2027-10-01" && span!.last <= "2028-01-01T00:00:00.000Z", span!.last);
  // Accented names, valid emails, money in integer cents.
  const names = (await db.query<{ full_name: string }>("SELECT full_name FROM clients")).map((r) => r.full_name);
  assert.ok(names.some((name) => [...name].some((ch) => ch.codePointAt(0)! > 127)), "no accented client name");
  for (const row of await db.query<{ email: string }>("SELECT email FROM clients UNION ALL SELECT email FROM users")) {
    assert.match(row.email, /^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/);
  }
  const money = await db.query<{ total_amount_cents: number; amount_due_cents: number }>(
    "SELECT total_amount_cents, amount_due_cents FROM contracts",
  );
  for (const c of money) {
    assert.ok(Number.isInteger(Number(c.total_amount_cents)) && c.amount_due_cents <= c.total_amount_cents);
  }

  // The program reads it: a seeded collaborator logs in and lists.
  const env = { ...b.env, EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-sales1` };
  const login = await b.cli(["login", "--email", `sales1@${STAFF_DOMAIN}`, "--password-stdin"], {
    env,
    stdin: DEFAULT_SEED_PASSWORD,
  });
  assert.equal(login.code, 0, login.stderr);
  const events = await b.cli(["event", "list", "--json"], { env });
  assert.equal(events.code, 0, events.stderr);
  assert.equal(events.json<unknown[]>().length, 300);
  // New rows get fresh ids after the explicit ones (PostgreSQL: the identity sequence was moved).
  const manager = { ...b.env, EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-manager1` };
  await b.cli(["login", "--email", `management1@${STAFF_DOMAIN}`, "--password-stdin"], {
    env: manager,
    stdin: DEFAULT_SEED_PASSWORD,
  });
  const created = await b.cli([
    "client",
    "create",
    "--full-name",
    "Zoë Nouvelle",
    "--email",
    "zoe@example.com",
    "--phone",
    "+33 6 00 00 00 00",
    "--company-name",
    "Neuve",
    "--sales-contact-id",
    "4",
    "--json",
  ], { env: manager });
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json<{ id: number }>().id, 41);
});

backendTest(
  "seed: the same options give the same rows on either backend; a non-empty database is refused",
  async (b) => {
    const db = await b.db();
    await seed(db, { clients: 12, events: 50, bcryptRounds: 4 });
    const reference = await connect({ kind: "sqlite", path: ":memory:", isDefault: false });
    try {
      await seed(reference, { clients: 12, events: 50, bcryptRounds: 4 });
      assert.equal(await digest(db), await digest(reference));
    } finally {
      await reference.close();
    }
    await assert.rejects(seed(db, { clients: 12, events: 50, bcryptRounds: 4 }), SeedError);
    const again = await seed(db, { clients: 12, events: 50, bcryptRounds: 4, reset: true, seed: 2 });
    assert.equal(again.events, 50);
    assert.equal(Number((await db.one<{ n: number }>("SELECT count(*) AS n FROM events"))!.n), 50);
  },
);

Deno.test("seed: bad options and a missing DATABASE_URL give one line and exit 2", async () => {
  const run = async (args: string[], env: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SEED_SCRIPT, ...args],
      env: { DENO_DIR, ...env },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  const dir = await Deno.makeTempDir({ prefix: "epic-seed-" });
  try {
    const bad = await run(["--", "--clients", "many"], { DATABASE_URL: `sqlite://${dir}/x.db` });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, "seed: --clients: not a whole number: many\n");
    const unset = await run(["--clients", "1"], {});
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, /^seed: DATABASE_URL: /);
    const unknown = await run(["--rows", "1"], { DATABASE_URL: `sqlite://${dir}/x.db` });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr.trim().split("\n").length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
