/**
 * Migration 0007 on data made before it: a signed contract's `signed_at` is
 * its last `contract.signed` audit entry (else its creation), an event's
 * `updated_at` its last audit entry; down and up again keep the data.
 * @module
 */
import assert from "node:assert/strict";
import { MIGRATIONS } from "../../migrations/mod.ts";
import { migrateDown, migrateUp } from "../../src/db/migrator.ts";
import { signContract, updateContract } from "../../src/services/contracts.ts";
import { updateEvent } from "../../src/services/events.ts";
import { backendTest } from "../support/backends.ts";
import { builders, firstManager, serviceContext } from "../support/fixtures.ts";

function iso(value: unknown): string | null {
  return value === null ? null : new Date(String(value)).toISOString();
}

backendTest("migration 0007 fills signed_at and updated_at from the audit trail", async (b) => {
  const db = await b.db();
  const manager = await firstManager(b);
  const build = await builders(b, manager);
  const sales = await build.user("SALES");
  const client = await build.client(sales);
  const at = (instant: string) => serviceContext(db, manager, { now: () => new Date(instant) });
  const resigned = await build.contract(client);
  await signContract(at("2026-01-10T10:00:00Z"), { id: resigned.id });
  await updateContract(at("2026-02-10T10:00:00Z"), { id: resigned.id, signed_status: false });
  await signContract(at("2026-03-10T10:00:00Z"), { id: resigned.id });
  const unsigned = await build.contract(client);
  const event = await build.event(resigned);
  await updateEvent(at("2030-04-01T08:00:00Z"), { id: event.id, attendees: 3 }); // its last change, after its creation
  const bulk = await build.contract(client); // signed below with no audit entry, as a bulk load would
  await migrateDown(db, { to: "0005", migrations: MIGRATIONS });
  await db.execute("UPDATE contracts SET signed_status = TRUE WHERE id = $1", [bulk.id]);
  await migrateUp(db, { migrations: MIGRATIONS });

  const contracts = await db.query<{ id: number; signed_at: unknown; created_at: unknown }>(
    "SELECT id, signed_at, created_at FROM contracts ORDER BY id",
  );
  const byId = new Map(contracts.map((c) => [Number(c.id), c]));
  assert.equal(iso(byId.get(resigned.id)!.signed_at), "2026-03-10T10:00:00.000Z");
  assert.equal(iso(byId.get(unsigned.id)!.signed_at), null);
  assert.equal(iso(byId.get(bulk.id)!.signed_at), iso(byId.get(bulk.id)!.created_at));
  const [row] = await db.query<{ updated_at: unknown }>("SELECT updated_at FROM events WHERE id = $1", [event.id]);
  assert.equal(iso(row.updated_at), "2030-04-01T08:00:00.000Z");
});
