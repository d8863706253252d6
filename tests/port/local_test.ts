/**
 * The local adapter of the port: public, serialisable records; lists as
 * async iterables; dry-run deletes that check everything and change nothing.
 * @module
 */
import assert from "node:assert/strict";
import { testIo } from "../support/io.ts";
import { Runtime } from "../../src/cli/app/runtime.ts";
import type { Row } from "../../src/db/database.ts";
import { ConflictError, NotFoundError, PermissionDeniedError } from "../../src/domain/errors.ts";
import { LocalCrm } from "../../src/port/local.ts";
import { publicChanges } from "../../src/services/audit.ts";
import type { BusinessEvent } from "../../src/services/context.ts";
import { type Backend, backendTest } from "../support/backends.ts";
import { type Person, setupCrew } from "../support/fixtures.ts";
import { makeClient, makeContract } from "../support/world.ts";
import { storedToken } from "../support/tokens.ts";

/** The port as `who`, on this backend; `close` ends it. */
function portAs(b: Backend, who: Person) {
  const rt = new Runtime(testIo({ env: who.env, cwd: b.dir }), []);
  const events: BusinessEvent[] = [];
  rt.reporter = { businessEvent: (e) => void events.push(e) };
  return { crm: new LocalCrm(rt), events, close: () => rt.close() };
}

async function snapshot(b: Backend): Promise<Record<string, Row[]>> {
  const db = await b.db();
  const state: Record<string, Row[]> = {};
  for (const table of ["users", "clients", "contracts", "events", "audit_log", "revoked_tokens"]) {
    state[table] = await db.query(`SELECT * FROM ${table} ORDER BY 1`);
  }
  return state;
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

backendTest("dry-run deletes run every check, report what would go, and change nothing", async (b) => {
  const { manager, sales, sales2, support } = await setupCrew(b);
  const client = { id: await makeClient(sales) };
  const contract = { id: await makeContract(sales, client.id, { signed: false }) };
  const port = portAs(b, manager);
  try {
    const before = await snapshot(b);
    assert.deepEqual(await port.crm.call("deleteClient", { id: client.id, cascade: true, dry_run: true }), {
      id: client.id,
      deleted_contracts: 1,
      deleted_events: 0,
    });
    assert.deepEqual(await port.crm.call("deleteContract", { id: contract.id, dry_run: true }), {
      id: contract.id,
      deleted_events: 0,
    });
    assert.deepEqual(await port.crm.call("deleteUser", { id: sales.id, reassign_to: sales2.id, dry_run: true }), {
      id: sales.id,
      reassigned_to: sales2.id,
      reassigned: { clients: 1, contracts: 1, events: 0 },
    });
    // Refusals are the real delete's.
    await assert.rejects(() => port.crm.call("deleteClient", { id: client.id, dry_run: true }), ConflictError);
    await assert.rejects(() => port.crm.call("deleteUser", { id: sales.id, dry_run: true }), ConflictError);
    await assert.rejects(() => port.crm.call("deleteEvent", { id: 999, dry_run: true }), NotFoundError);
    assert.deepEqual(await snapshot(b), before, "nothing changed, no audit entry");
    assert.equal(port.events.length, 0, "no business event reported");

    const asSales = portAs(b, sales);
    try {
      await assert.rejects(
        () => asSales.crm.call("deleteContract", { id: contract.id, dry_run: true }),
        PermissionDeniedError,
      );
    } finally {
      await asSales.close();
    }

    // The real delete does what the dry run said.
    assert.deepEqual(await port.crm.call("deleteUser", { id: sales.id, reassign_to: sales2.id }), {
      id: sales.id,
      reassigned_to: sales2.id,
      reassigned: { clients: 1, contracts: 1, events: 0 },
    });
    assert.deepEqual(port.events.map((e) => e.action), ["user.deleted"]);
    assert.equal((await port.crm.call("getClient", { id: client.id })).sales_contact_id, sales2.id);
    assert.ok(support.id > 0);
  } finally {
    await port.close();
  }
});

backendTest("records are public JSON shapes with display names apart; lists are async iterables", async (b) => {
  const { manager, sales } = await setupCrew(b);
  const port = portAs(b, manager);
  try {
    const created = await port.crm.call("createClient", {
      full_name: "Kate",
      email: "kate@x.io",
      phone: "0102030405",
      company_name: "Acme",
      sales_contact_id: sales.id,
    });
    assert.deepEqual(created.display, { sales_contact_name: "Sam Seller" });
    const contract = await port.crm.call("createContract", { client_id: created.id, total_amount: "1500.5" });
    assert.equal(contract.total_amount, "1500.50");
    assert.equal(contract.amount_due, "1500.50");
    const signature = await port.crm.call("signContract", { id: contract.id });
    assert.deepEqual([signature.already_signed, signature.contract.signed_status], [false, true]);
    assert.equal((await port.crm.call("signContract", { id: contract.id })).already_signed, true);
    const listed = await collect(await port.crm.call("listContracts", { client: created.id, limit: 1 }));
    assert.deepEqual(listed, [signature.contract]);
    assert.deepEqual(JSON.parse(JSON.stringify(listed)), listed, "serialisable as is");
    const users = await collect(await port.crm.call("listUsers", { role: "SALES" }));
    assert.deepEqual(users.map((u) => u.id), [sales.id, sales.id + 1]);
    const me = await port.crm.whoami();
    assert.deepEqual([me.id, me.role], [manager.id, "MANAGEMENT"]);
    const audit = await collect(await port.crm.call("listAudit", { entity: "contract", id: contract.id }));
    assert.deepEqual(audit[0].changes?.total_amount, { old: null, new: "1500.50" });
  } finally {
    await port.close();
  }
});

Deno.test("publicChanges: cents fields renamed and formatted, others untouched", () => {
  assert.deepEqual(
    publicChanges({
      total_amount_cents: { old: 100000, new: 150050 },
      amount_due_cents: { old: 5, new: null },
      signed_status: { old: false, new: true },
    }),
    {
      total_amount: { old: "1000.00", new: "1500.50" },
      amount_due: { old: "0.05", new: null },
      signed_status: { old: false, new: true },
    },
  );
  assert.equal(publicChanges(null), null);
});

backendTest("login, whoami and logout through the port keep and drop the token", async (b) => {
  const { sales } = await setupCrew(b);
  const env = { ...sales.env, EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-port` };
  const fresh = () => portAs(b, { ...sales, env });
  const first = fresh();
  try {
    const result = await first.crm.login({ email: sales.email, password: sales.password });
    assert.deepEqual([result.user.id, result.user.role], [sales.id, "SALES"]);
    assert.match(result.expires_at, /Z$/);
    const token = await storedToken(env.EPIC_EVENTS_CONFIG_DIR);
    assert.ok(token.length > 20 && !JSON.stringify(result).includes(token), "kept, and not in the result");
  } finally {
    await first.close();
  }
  const second = fresh();
  try {
    assert.equal((await second.crm.whoami()).id, sales.id, "the token was kept");
    assert.deepEqual(await second.crm.logout(), { found: true, revoked: true });
  } finally {
    await second.close();
  }
  const third = fresh();
  try {
    assert.deepEqual(await third.crm.logout(), { found: false, revoked: false });
    await assert.rejects(() => third.crm.whoami(), /Not logged in/);
  } finally {
    await third.close();
  }
});
