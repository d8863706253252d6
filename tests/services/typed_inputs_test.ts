/**
 * Service inputs are typed (`z.input` of the strict schemas): a misspelt key
 * is a compile error for a caller, and one that gets past the compiler (a
 * cast, JSON from elsewhere) is refused at run time naming the key (exit 2),
 * with nothing written.
 * @module
 */
import assert from "node:assert/strict";
import { InvalidInputError } from "../../src/domain/errors.ts";
import type { InputOf } from "../../src/contract/operations.ts";
import { createClient, updateClient } from "../../src/services/clients.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { createContract, updateContract } from "../../src/services/contracts.ts";
import { assignEvent, createEvent, updateEvent } from "../../src/services/events.ts";
import { createFirstManager, createUser, updateUser } from "../../src/services/users.ts";
import { backendTest } from "../support/backends.ts";
import { builders, firstManager, serviceContext } from "../support/fixtures.ts";

/**
 * Never called: type-checked only. Each `@ts-expect-error` must meet an
 * error, so this file stops compiling if an input goes back to
 * `Record<string, unknown>`.
 */
function _misspeltKeysDoNotCompile(ctx: ServiceContext): void {
  // @ts-expect-error compnay_name is not a client field
  void createClient(ctx, { full_name: "A", email: "a@b.io", phone: "+33 1", company_name: "C", compnay_name: "C" });
  // @ts-expect-error compnay_name is not a client field
  void updateClient(ctx, { id: 1, compnay_name: "C" });
  // @ts-expect-error total is the flag, total_amount the field
  void createContract(ctx, { client_id: 1, total: "10" });
  // @ts-expect-error signed is not a contract field
  void updateContract(ctx, { id: 1, signed: true });
  // @ts-expect-error location is required, lcoation is not a field
  void createEvent(ctx, { contract_id: 1, name: "N", client_contact: "K", start_date: "", end_date: "", lcoation: "" });
  // @ts-expect-error attendee is not an event field
  void updateEvent(ctx, { id: 1, attendee: 3 });
  // @ts-expect-error support is the flag, support_contact_id the field
  void assignEvent(ctx, { id: 1, support: 3 });
  // @ts-expect-error firstname is not a user field
  void createUser(ctx, { firstname: "A", last_name: "B", email: "a@b.io", role: "SALES", password: "password" });
  // @ts-expect-error the first manager's role is not the caller's to give
  void createFirstManager(ctx, { first_name: "A", last_name: "B", email: "a@b.io", role: "SALES" }, "password");
  // @ts-expect-error lastname is not a user field
  void updateUser(ctx, { id: 1, lastname: "B" });
}

backendTest("a misspelt key that gets past the compiler is refused by name (exit 2), nothing written", async (b) => {
  const manager = await firstManager(b);
  const build = await builders(b, manager);
  const sales = await build.user("SALES");
  const client = await build.client(sales, { company_name: "Before Ltd" });
  const ctx = serviceContext(build.db, manager);
  const audit = async () => (await build.db.query("SELECT id FROM audit_log")).length;
  const entries = await audit();

  const misspelt = { id: client.id, company_name: "After Ltd", compnay_name: "After Ltd" } as InputOf<"updateClient">;
  await assert.rejects(
    () => updateClient(ctx, misspelt),
    (error: unknown) => {
      assert.ok(error instanceof InvalidInputError);
      assert.equal(error.exitCode, 2);
      assert.equal(error.field, "compnay_name");
      assert.equal(error.message, "compnay_name: unknown field");
      return true;
    },
  );
  const row = await build.db.one<{ company_name: string }>("SELECT company_name FROM clients WHERE id = $1", [
    client.id,
  ]);
  assert.equal(row?.company_name, "Before Ltd", "the correctly spelt key was not applied either");
  assert.equal(await audit(), entries, "no audit entry");
});
