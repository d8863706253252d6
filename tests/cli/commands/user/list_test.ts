import assert from "node:assert/strict";
import * as list from "../../../../src/cli/commands/user/list.ts";
import { InvalidInputError } from "../../../../src/domain/errors.ts";
import { fakeCrm, parseArgs, rows, testDeps } from "../../../support/commands.ts";
import { user } from "../../../support/records.ts";

Deno.test("user list: --role in any case; a bad role lists the roles", async () => {
  for (const typed of ["sales", "Sales", "SALES", " sales "]) {
    assert.equal((await parseArgs(list, ["--role", typed])).query.role, "SALES", typed);
  }
  await assert.rejects(
    () => parseArgs(list, ["--role", "ceo"]),
    (e) =>
      e instanceof InvalidInputError && e.message === "--role: must be one of MANAGEMENT, SALES, SUPPORT (any case)",
  );
});

Deno.test("user list: through the one list printer (100-row table page and footer)", async () => {
  const many = Array.from({ length: 101 }, (_, i) => user({ id: i + 1 }));
  const crm = fakeCrm({ listUsers: () => rows(...many) });
  const deps = testDeps(crm, { terminal: true });
  await list.run(await parseArgs(list, ["--role", "sales"]), deps);
  assert.deepEqual(crm.calls[0].args, [{ role: "SALES", limit: 101, offset: undefined }]);
  assert.match(deps.io.stdout, /Showing rows 1 to 100; more rows exist: use --offset 100/);
});
