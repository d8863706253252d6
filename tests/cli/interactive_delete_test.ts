/**
 * On a real terminal (tmux): a delete checks first and asks only when it
 * would succeed; a new password is checked as it is typed.
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { PASSWORD, setupCrew } from "../support/fixtures.ts";
import { makeClient, makeContract, makeEvent } from "../support/world.ts";
import { startInTerminal } from "../support/pty.ts";

backendTest("delete on a terminal: refused before any question when it would fail; asked, then done", async (b) => {
  const { manager, sales, support } = await setupCrew(b);
  const client = { id: await makeClient(sales) };
  const contract = { id: await makeContract(sales, client.id) };
  const event = { id: await makeEvent(sales, contract.id) };
  const db = await b.db();
  const exists = async (table: string, id: number) =>
    (await db.query(`SELECT id FROM ${table} WHERE id = $1`, [id])).length === 1;

  // A client with a contract: the check fails, so no question is asked.
  const refused = await startInTerminal(["client", "delete", String(client.id)], manager.env, b.dir);
  try {
    assert.equal(await refused.exitCode(), 6, await refused.screen());
    const screen = await refused.screen();
    assert.match(screen, /still has 1 contract\(s\) and 1 event\(s\): add --cascade/);
    assert.doesNotMatch(screen, /Delete client/, "never asked");
  } finally {
    await refused.close();
  }

  // Not the manager's to delete: refused (exit 4) before any question, too.
  const denied = await startInTerminal(["event", "delete", String(event.id)], support.env, b.dir);
  try {
    assert.equal(await denied.exitCode(), 4, await denied.screen());
    assert.doesNotMatch(await denied.screen(), /Delete event/);
  } finally {
    await denied.close();
  }

  // Asked, answered no: nothing is deleted.
  const no = await startInTerminal(["event", "delete", String(event.id)], manager.env, b.dir);
  try {
    await no.waitFor(new RegExp(`Delete event ${event.id}\\? This cannot be undone\\.`));
    await no.type("n");
    await no.press("Enter");
    assert.equal(await no.exitCode(), 0, await no.screen());
    assert.match(await no.screen(), /Cancelled; nothing was deleted\./);
  } finally {
    await no.close();
  }
  assert.ok(await exists("events", event.id));

  // With --cascade the question says what goes with it; yes deletes it all.
  const yes = await startInTerminal(["client", "delete", String(client.id), "--cascade"], manager.env, b.dir);
  try {
    await yes.waitFor(/Delete client \d+ and its 1 contract\(s\) and 1 event\(s\)\? This cannot be undone\./);
    await yes.type("y");
    await yes.press("Enter");
    assert.equal(await yes.exitCode(), 0, await yes.screen());
    assert.match(await yes.screen(), /Deleted client \d+ with 1 contract\(s\) and 1 event\(s\)\./);
  } finally {
    await yes.close();
  }
  assert.ok(!await exists("clients", client.id));
  assert.ok(!await exists("events", event.id));
});

backendTest("user create on a terminal: a too-short password is refused at once, at its prompt", async (b) => {
  const { manager } = await setupCrew(b);
  const term = await startInTerminal(
    ["user", "create", "--first-name", "Nina", "--last-name", "New", "--email", "nina@epic.test", "--role", "support"],
    manager.env,
    b.dir,
  );
  try {
    await term.waitFor(/\? Password/);
    await term.type("short");
    await term.press("Enter");
    const refused = await term.waitFor(/must be at least 8 characters long/);
    assert.doesNotMatch(refused, /Repeat the password/, "still on the first password prompt");
    await term.press(...Array(5).fill("BSpace"));
    await term.type(PASSWORD);
    await term.press("Enter");
    await term.waitFor(/Repeat the password/);
    await term.type(PASSWORD);
    await term.press("Enter");
    assert.equal(await term.exitCode(), 0, await term.screen());
    assert.match(await term.screen(), /nina@epic\.test/);
  } finally {
    await term.close();
  }
  const login = await b.cli(["login", "--email", "nina@epic.test", "--password-stdin"], { stdin: PASSWORD });
  assert.equal(login.code, 0, login.stderr);
});
