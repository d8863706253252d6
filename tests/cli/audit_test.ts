import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { ok, PASSWORD, setupCrew } from "../support/fixtures.ts";
import { recordAudit } from "../../src/services/audit.ts";
import { NULL_REPORTER } from "../../src/services/context.ts";

interface Row {
  action: string;
  entity: string;
  entity_id: number | null;
  actor_id: number | null;
  changes: string | null;
}

backendTest(
  "every create, update, delete, sign, assign, login, failed login and logout leaves an audit row",
  async (b) => {
    const { manager, sales, support } = await setupCrew(b);
    const client = await ok<{ id: number }>(sales.cli([
      "client",
      "create",
      "--full-name",
      "Kevin Casey",
      "--email",
      "kevin@startup.io",
      "--phone",
      "+678 123 456 78",
      "--company-name",
      "Cool Startup LLC",
      "--json",
    ]));
    await ok(sales.cli(["client", "update", String(client.id), "--phone", "+678 000 000 00", "--json"]));
    const contract = await ok<{ id: number }>(
      sales.cli(["contract", "create", "--client", String(client.id), "--total", "1500", "--json"]),
    );
    await ok(sales.cli(["contract", "update", String(contract.id), "--due", "500", "--json"]));
    await ok(sales.cli(["contract", "sign", String(contract.id), "--json"]));
    const event = await ok<{ id: number }>(sales.cli([
      "event",
      "create",
      "--contract",
      String(contract.id),
      "--name",
      "Launch party",
      "--client-contact",
      "Kevin",
      "--start-date",
      "2030-06-04T13:00:00Z",
      "--end-date",
      "2030-06-05T02:00:00Z",
      "--location",
      "Paris",
      "--attendees",
      "75",
      "--json",
    ]));
    await ok(manager.cli(["event", "assign", String(event.id), "--support", String(support.id), "--json"]));
    await ok(support.cli(["event", "update", String(event.id), "--notes", "DJ at 10pm", "--json"]));
    await ok(manager.cli(["event", "delete", String(event.id), "--yes"]));
    await ok(manager.cli(["contract", "delete", String(contract.id), "--yes"]));
    await ok(manager.cli(["client", "delete", String(client.id), "--yes"]));
    await ok(manager.cli(["user", "update", String(support.id), "--last-name", "Renamed"]));
    await ok(manager.cli(["user", "update", String(support.id), "--password-stdin"], { stdin: "another password" }));
    assert.equal(
      (await b.cli(["login", "--email", sales.email, "--password-stdin"], { stdin: "wrong!" + PASSWORD })).code,
      3,
    );
    await ok(sales.cli(["logout"]));
    await ok(manager.cli(["user", "delete", String(support.id), "--yes"]));

    const db = await b.db();
    const rows = await db.query<Row>("SELECT action, entity, entity_id, actor_id, changes FROM audit_log ORDER BY id");
    const actions = rows.map((r) => r.action);
    for (
      const expected of [
        "user.created",
        "login",
        "client.created",
        "client.updated",
        "contract.created",
        "contract.updated",
        "contract.signed",
        "event.created",
        "event.assigned",
        "event.updated",
        "event.deleted",
        "contract.deleted",
        "client.deleted",
        "user.updated",
        "login.failed",
        "logout",
        "user.deleted",
      ]
    ) {
      assert.ok(actions.includes(expected), `missing audit action ${expected}: ${actions.join(", ")}`);
    }
    const signed = rows.find((r) => r.action === "contract.signed")!;
    assert.equal(signed.actor_id, sales.id);
    assert.deepEqual(JSON.parse(signed.changes!), { signed_status: { old: false, new: true } });
    const updated = rows.find((r) => r.action === "client.updated")!;
    assert.deepEqual(JSON.parse(updated.changes!), { phone: { old: "+678 123 456 78", new: "+678 000 000 00" } });
    const failed = rows.find((r) => r.action === "login.failed")!;
    assert.equal(failed.actor_id, null);
    const all = JSON.stringify(rows);
    assert.ok(!all.includes("another password") && !all.includes(PASSWORD), "no password in the audit trail");
    assert.ok(!all.includes("$2"), "no hash in the audit trail");
    assert.ok(all.includes("[redacted]"), "password changes are recorded as redacted");
  },
);

backendTest("a refused or failed change leaves no audit row", async (b) => {
  const { manager, sales, sales2 } = await setupCrew(b);
  const db = await b.db();
  const count = async () => Number((await db.one<{ n: number }>("SELECT count(*) AS n FROM audit_log"))!.n);
  const client = await ok<{ id: number }>(sales.cli([
    "client",
    "create",
    "--full-name",
    "A Client",
    "--email",
    "a@client.io",
    "--phone",
    "+33 1 23 45 67",
    "--company-name",
    "ACME",
    "--json",
  ]));
  const contract = await ok<{ id: number }>(
    sales.cli(["contract", "create", "--client", String(client.id), "--total", "100", "--json"]),
  );
  const before = await count();
  assert.equal((await sales.cli(["contract", "update", String(contract.id), "--due", "200"])).code, 2);
  assert.equal((await sales2.cli(["client", "update", String(client.id), "--phone", "+33 9 99 99 99"])).code, 4);
  assert.equal((await manager.cli(["user", "delete", String(sales.id), "--yes"])).code, 6);
  assert.equal(
    (await sales.cli([
      "event",
      "create",
      "--contract",
      String(contract.id),
      "--name",
      "X",
      "--client-contact",
      "Y",
      "--start-date",
      "2030-01-01T10:00:00Z",
      "--end-date",
      "2030-01-01T12:00:00Z",
      "--location",
      "L",
      "--attendees",
      "1",
    ])).code,
    6,
  );
  assert.equal(await count(), before, "refused changes leave no audit row");

  // A transaction that fails after writing its audit entry leaves nothing behind.
  const ctx = {
    db,
    actor: { id: manager.id, email: manager.email, role: "MANAGEMENT" as const },
    now: () => new Date(),
    reporter: NULL_REPORTER,
    bcryptRounds: 4,
  };
  await assert.rejects(() =>
    db.transaction(async (tx) => {
      await tx.execute("UPDATE clients SET phone = $1 WHERE id = $2", ["+00 000 000", client.id]);
      await recordAudit(tx, ctx, { action: "client.updated", entity: "client", entityId: client.id, changes: {} });
      throw new Error("boom");
    }), /boom/);
  assert.equal(await count(), before);
  const phone = await db.one<{ phone: string }>("SELECT phone FROM clients WHERE id = $1", [client.id]);
  assert.equal(phone!.phone, "+33 1 23 45 67");
});

backendTest("audit list is MANAGEMENT only and filters by entity, id, actor and since", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  const client = await ok<{ id: number }>(sales.cli([
    "client",
    "create",
    "--full-name",
    "B Client",
    "--email",
    "b@client.io",
    "--phone",
    "+33 1 23 45 67",
    "--company-name",
    "ACME",
    "--json",
  ]));
  for (const who of [sales, support]) {
    const denied = await who.cli(["audit", "list", "--json"]);
    assert.equal(denied.code, 4, who.role);
    assert.equal(JSON.parse(denied.stderr).error.code, "permission_denied");
  }
  const all = await ok<{ action: string; entity: string; entity_id: number; actor_id: number }[]>(
    manager.cli(["audit", "list", "--json"]),
  );
  assert.ok(all.length > 5);
  const clients = await ok<{ action: string; entity: string; entity_id: number }[]>(
    manager.cli(["audit", "list", "--entity", "client", "--id", String(client.id), "--json"]),
  );
  assert.deepEqual(clients.map((e) => e.action), ["client.created"]);
  const bySales = await ok<{ actor_id: number }[]>(
    manager.cli(["audit", "list", "--actor", String(sales.id), "--json"]),
  );
  assert.ok(bySales.length >= 2 && bySales.every((e) => e.actor_id === sales.id));
  const future = await ok<unknown[]>(manager.cli(["audit", "list", "--since", "2999-01-01", "--json"]));
  assert.deepEqual(future, []);
  const limited = await ok<unknown[]>(manager.cli(["audit", "list", "--limit", "2", "--json"]));
  assert.equal(limited.length, 2);
  const bad = await manager.cli(["audit", "list", "--entity", "spaceship"]);
  assert.equal(bad.code, 2);
});
