/**
 * The permission table of PRODUCT.md §2 (`src/domain/policy.ts`) on its own,
 * without a database: the table itself, deny by default, and what "own" means
 * to `isAllowed` and `authorize`. One step per cell, so a failure names it.
 * @module
 */
import assert from "node:assert/strict";
import { PermissionDeniedError } from "../../src/domain/errors.ts";
import { type Action, authorize, isAllowed, POLICY, type Scope, scopeOf } from "../../src/domain/policy.ts";
import { type Role, ROLES } from "../../src/domain/roles.ts";

/** PRODUCT.md §2, written out again by hand: [MANAGEMENT, SALES, SUPPORT]. */
const PRODUCT_TABLE: Readonly<Record<Action, readonly [Scope | null, Scope | null, Scope | null]>> = {
  "user.create": ["any", null, null],
  "user.update": ["any", null, null],
  "user.delete": ["any", null, null],
  "client.create": ["any", "own", null],
  "client.update": ["any", "own", null],
  "client.reassign": ["any", null, null],
  "client.delete": ["any", null, null],
  "contract.create": ["any", "own", null],
  "contract.update": ["any", "own", null],
  "contract.sign": ["any", "own", null],
  "contract.delete": ["any", null, null],
  "event.create": ["any", "own", null],
  "event.assign": ["any", null, null],
  "event.update": ["any", null, "own"],
  "event.delete": ["any", null, null],
  "audit.read": ["any", null, null],
  // Issue 19: the private calendar feed of one's own events (a manager supports none).
  "calendar.subscribe": [null, "own", "own"],
};

const ACTIONS = Object.keys(PRODUCT_TABLE) as Action[];

/** A collaborator of `role` with id 7; the "other" collaborator has id 8. */
function principal(role: Role) {
  return { id: 7, role };
}
const OTHER = 8;

Deno.test("the policy table names exactly the guarded actions of PRODUCT.md §2", () => {
  assert.deepEqual(Object.keys(POLICY).sort(), [...ACTIONS].sort());
  for (const action of ACTIONS) {
    for (const role of Object.keys(POLICY[action])) {
      assert.ok((ROLES as readonly string[]).includes(role), `${action}: unknown role ${role}`);
    }
  }
});

Deno.test("the scope of every role for every action is PRODUCT.md §2's", async (t) => {
  for (const action of ACTIONS) {
    for (const [i, role] of ROLES.entries()) {
      const expected = PRODUCT_TABLE[action][i];
      await t.step(`${role} × ${action} → ${expected ?? "no"}`, () => {
        assert.equal(scopeOf(principal(role), action), expected);
      });
    }
  }
});

Deno.test("isAllowed and authorize agree, for own, someone else's and an unowned record", async (t) => {
  for (const action of ACTIONS) {
    for (const [i, role] of ROLES.entries()) {
      const scope = PRODUCT_TABLE[action][i];
      const cases: [owner: number | null | undefined, what: string, allowed: boolean][] = [
        [7, "own", scope !== null],
        [OTHER, "other's", scope === "any"],
        [null, "unowned", scope === "any"],
      ];
      for (const [owner, what, allowed] of cases) {
        await t.step(`${role} × ${action} (${what}) → ${allowed ? "allowed" : "refused"}`, () => {
          assert.equal(isAllowed(principal(role), action, owner), allowed);
          if (allowed) {
            authorize(principal(role), action, owner);
          } else {
            assert.throws(() => authorize(principal(role), action, owner), PermissionDeniedError);
          }
        });
      }
    }
  }
});

Deno.test("without an owner, authorize asks only whether the role may do the action at all", async (t) => {
  for (const action of ACTIONS) {
    for (const [i, role] of ROLES.entries()) {
      const scope = PRODUCT_TABLE[action][i];
      await t.step(`${role} × ${action} (no owner given) → ${scope === null ? "refused" : "allowed"}`, () => {
        if (scope === null) {
          assert.throws(() => authorize(principal(role), action), PermissionDeniedError);
        } else {
          authorize(principal(role), action);
        }
        // isAllowed has no "at all" question: an "own" scope needs an owner.
        assert.equal(isAllowed(principal(role), action), scope === "any");
      });
    }
  }
});

Deno.test("deny by default: an unknown action or role is refused", () => {
  const unknownAction = "invoice.create" as Action;
  assert.equal(scopeOf(principal("MANAGEMENT"), unknownAction), null);
  assert.equal(isAllowed(principal("MANAGEMENT"), unknownAction, 7), false);
  assert.throws(() => authorize(principal("MANAGEMENT"), unknownAction), PermissionDeniedError);
  const intern = { id: 7, role: "INTERN" as Role };
  for (const action of ACTIONS) {
    assert.equal(scopeOf(intern, action), null, action);
    assert.throws(() => authorize(intern, action, 7), PermissionDeniedError, action);
  }
});

Deno.test("a refusal says what was refused, and whether for the role or the ownership (exit 4)", () => {
  const refusal = (run: () => void): PermissionDeniedError => {
    try {
      run();
    } catch (error) {
      assert.ok(error instanceof PermissionDeniedError);
      return error;
    }
    assert.fail("expected a refusal");
  };
  for (const action of ACTIONS) {
    const denied = ROLES.find((_, i) => PRODUCT_TABLE[action][i] === null);
    if (denied === undefined) continue;
    const error = refusal(() => authorize(principal(denied), action));
    assert.equal(error.exitCode, 4);
    assert.equal(error.code, "permission_denied");
    assert.match(error.message, new RegExp(`^A ${denied} collaborator cannot \\w`), action);
    assert.ok(!error.message.includes("undefined"), `${action}: ${error.message}`);
  }
  const notYours = refusal(() => authorize(principal("SALES"), "contract.update", OTHER));
  assert.equal(notYours.message, "You cannot update this contract: it is not yours.");
  const role = refusal(() => authorize(principal("SUPPORT"), "client.delete"));
  assert.equal(role.message, "A SUPPORT collaborator cannot delete clients.");
});
