import assert from "node:assert/strict";
import * as logout from "../../../../src/cli/commands/auth/logout.ts";
import type { LogoutResult } from "../../../../src/port/crm.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";

function crmAnswering(result: LogoutResult) {
  return fakeCrm({ logout: () => Promise.resolve(result), logoutAll: () => Promise.resolve(result) });
}

Deno.test("logout: --all and --json are read from the flags", async () => {
  assert.deepEqual(await parseArgs(logout, []), { all: false, json: false });
  assert.deepEqual(await parseArgs(logout, ["--all", "--json"]), { all: true, json: true });
  assert.deepEqual(await parseArgs(logout, ["--format", "json"]), { all: false, json: true });
});

Deno.test("logout says what happened on stderr, by what the port found", async () => {
  const cases: Array<[LogoutResult, string]> = [
    [{ found: true, revoked: true }, "Logged out.\n"],
    [{ found: true, revoked: false }, "Logged out (the session had already ended).\n"],
    [{ found: false, revoked: false }, "Not logged in.\n"],
  ];
  for (const [result, said] of cases) {
    const crm = crmAnswering(result);
    const deps = testDeps(crm);
    await logout.run({ all: false, json: false }, deps);
    assert.deepEqual(crm.calls.map((c) => c.method), ["logout"]);
    assert.equal(deps.io.stderr, said);
    assert.equal(deps.io.stdout, "");
  }
});

Deno.test("logout --all ends every session through the port; --json prints the result", async () => {
  const crm = crmAnswering({ found: true, revoked: true });
  const deps = testDeps(crm);
  await logout.run({ all: true, json: false }, deps);
  assert.deepEqual(crm.calls.map((c) => c.method), ["logoutAll"]);
  assert.equal(deps.io.stderr, "Logged out of every session.\n");

  const json = testDeps(crm);
  await logout.run({ all: true, json: true }, json);
  assert.deepEqual(JSON.parse(json.io.stdout), { logged_out: true, revoked: true, all: true });
  assert.equal(json.io.stderr, "");
  const one = testDeps(crmAnswering({ found: true, revoked: false }));
  await logout.run({ all: false, json: true }, one);
  assert.deepEqual(JSON.parse(one.io.stdout), { logged_out: true, revoked: false });
});
