/**
 * Issue 8, points 18 and 19: a contract belongs to its client's sales
 * contact — `contract list --mine` lists exactly what I may update and sign,
 * and a client reassignment carries its contracts along, audited; and an
 * update that changes nothing writes nothing, for every entity.
 * @module
 */
import assert from "node:assert/strict";
import { type Backend, backendTest } from "../support/backends.ts";
import { ok, type Person, setupCrew } from "../support/fixtures.ts";

interface Row {
  id: number;
}

async function newClient(by: Person, email: string, salesId?: number): Promise<number> {
  const args = [
    "client",
    "create",
    "--full-name",
    "Kevin Casey",
    "--email",
    email,
    "--phone",
    "+678 123 456 78",
    "--company-name",
    "Cool Startup LLC",
    "--json",
  ];
  if (salesId !== undefined) args.push("--sales-contact-id", String(salesId));
  return (await ok<Row>(by.cli(args))).id;
}

async function mine(who: Person): Promise<number[]> {
  return (await ok<Row[]>(who.cli(["contract", "list", "--mine", "--json"]))).map((r) => r.id);
}

async function auditCount(b: Backend): Promise<number> {
  const db = await b.db();
  return Number((await db.one<{ n: number }>("SELECT count(*) AS n FROM audit_log"))!.n);
}

backendTest(
  "contract list --mine lists exactly the contracts I may update and sign, before and after a reassignment",
  async (b) => {
    const { manager, sales, sales2 } = await setupCrew(b);
    const client = await newClient(sales, "kevin@startup.io");
    const k1 =
      (await ok<Row>(sales.cli(["contract", "create", "--client", String(client), "--total", "100", "--json"])))
        .id;
    // A manager may name another sales contact on a contract; it still belongs
    // to the client's sales contact.
    const k2 = (await ok<Row>(manager.cli([
      "contract",
      "create",
      "--client",
      String(client),
      "--total",
      "200",
      "--sales-contact-id",
      String(sales2.id),
      "--json",
    ]))).id;
    const mayUpdate = async (who: Person, id: number) =>
      (await who.cli(["contract", "update", String(id), "--due", "1", "--json"])).code === 0;

    assert.deepEqual(await mine(sales), [k1, k2]);
    assert.deepEqual(await mine(sales2), []);
    for (const id of [k1, k2]) {
      assert.equal(await mayUpdate(sales, id), true, `sales may update contract ${id}`);
      assert.equal(await mayUpdate(sales2, id), false, `sales2 may not update contract ${id}`);
    }

    await ok(manager.cli(["client", "update", String(client), "--sales-contact-id", String(sales2.id), "--json"]));
    assert.deepEqual(await mine(sales), []);
    assert.deepEqual(await mine(sales2), [k1, k2]);
    for (const id of [k1, k2]) {
      assert.equal(await mayUpdate(sales, id), false, `sales may no longer update contract ${id}`);
      assert.equal(await mayUpdate(sales2, id), true, `sales2 now updates contract ${id}`);
      assert.equal((await sales.cli(["contract", "sign", String(id)])).code, 4);
    }
    const db = await b.db();
    const contracts = await db.query<{ id: number; sales_contact_id: number }>(
      "SELECT id, sales_contact_id FROM contracts ORDER BY id",
    );
    assert.deepEqual(contracts.map((c) => [c.id, c.sales_contact_id]), [[k1, sales2.id], [k2, sales2.id]]);
    const moves = await db.query<{ entity_id: number; actor_id: number; changes: string }>(
      "SELECT entity_id, actor_id, changes FROM audit_log WHERE entity = 'contract' AND action = 'contract.updated' " +
        "AND changes LIKE '%sales_contact_id%' ORDER BY id",
    );
    assert.deepEqual(moves.map((m) => [m.entity_id, m.actor_id, JSON.parse(m.changes)]), [
      [k1, manager.id, { sales_contact_id: { old: sales.id, new: sales2.id } }],
    ], "k1 moved (k2 already had sales2 as its sales contact)");
  },
);

backendTest(
  "an update that changes nothing writes no audit row and keeps the timestamps, for every entity",
  async (b) => {
    const { manager, sales, support } = await setupCrew(b);
    const client = await newClient(sales, "kevin@startup.io");
    const contract =
      (await ok<Row>(sales.cli(["contract", "create", "--client", String(client), "--total", "100", "--json"]))).id;
    await ok(sales.cli(["contract", "sign", String(contract)]));
    const event = (await ok<Row>(sales.cli([
      "event",
      "create",
      "--contract",
      String(contract),
      "--name",
      "Launch",
      "--client-contact",
      "Kevin",
      "--start-date",
      "2031-06-04T13:00:00Z",
      "--end-date",
      "2031-06-05T02:00:00Z",
      "--location",
      "Paris",
      "--attendees",
      "75",
      "--json",
    ]))).id;
    await ok(manager.cli(["event", "assign", String(event), "--support", String(support.id)]));
    const db = await b.db();
    const stamps = async () => ({
      client: (await db.one<{ t: string }>("SELECT last_updated AS t FROM clients WHERE id = $1", [client]))!.t,
      user: (await db.one<{ t: string }>("SELECT updated_at AS t FROM users WHERE id = $1", [sales.id]))!.t,
    });
    const before = { audit: await auditCount(b), stamps: await stamps() };

    const noOps: [Person, string[]][] = [
      [sales, ["client", "update", String(client), "--phone", "+678 123 456 78", "--full-name", "Kevin Casey"]],
      [manager, ["client", "update", String(client), "--sales-contact-id", String(sales.id)]],
      [manager, ["user", "update", String(sales.id), "--first-name", "Sam", "--role", "SALES"]],
      [sales, ["contract", "update", String(contract), "--total", "100", "--signed-status", "true"]],
      [sales, ["contract", "sign", String(contract)]],
      [support, ["event", "update", String(event), "--location", "Paris", "--attendees", "75"]],
      [manager, ["event", "assign", String(event), "--support", String(support.id)]],
    ];
    for (const [who, args] of noOps) {
      const result = await who.cli([...args, "--json"]);
      assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(await auditCount(b), before.audit, `${args.slice(0, 2).join(" ")} wrote an audit row`);
    }
    assert.deepEqual(await stamps(), before.stamps, "last_updated / updated_at unchanged");
    assert.equal((await sales.cli(["whoami"])).code, 0, "the same role again ends no session");

    // A real change still writes one row.
    await ok(sales.cli(["client", "update", String(client), "--phone", "+678 000 000 00"]));
    assert.equal(await auditCount(b), before.audit + 1);
  },
);
