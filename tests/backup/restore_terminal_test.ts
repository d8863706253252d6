/**
 * `backup restore --replace` on a real pseudo-terminal (tmux): it asks,
 * naming what would be lost; "no" changes nothing, "yes" replaces.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { backendTest, createBackend } from "../support/backends.ts";
import { startInTerminal } from "../support/pty.ts";
import { bodyOf, createBackupFile, seed } from "./helpers.ts";

backendTest("restore --replace on a terminal asks, naming the counts that would be lost", async (b) => {
  assert.equal((await b.cli(["migrate", "up"])).code, 0);
  await seed(await b.db(), { clients: 2, eventsPerClient: 1 });
  const file = await createBackupFile(b, join(b.dir, "backups"));

  const target = await createBackend(b.name);
  try {
    assert.equal((await target.cli(["migrate", "up"])).code, 0);
    await seed(await target.db(), { clients: 7, eventsPerClient: 2 });
    const before = await bodyOf(await createBackupFile(target, join(target.dir, "before")));

    const no = await startInTerminal(["backup", "restore", file, "--replace"], target.env, target.dir);
    try {
      const screen = await no.waitFor(/Replace the whole database/);
      assert.match(screen, /This deletes 3 users, 7 clients, 7 contracts, 14 events/);
      await no.type("n");
      await no.press("Enter");
      assert.equal(await no.exitCode(), 0);
      assert.match(await no.screen(), /Cancelled; nothing was changed/);
    } finally {
      await no.close();
    }
    assert.deepEqual(await bodyOf(await createBackupFile(target, join(target.dir, "after-no"))), before);

    const yes = await startInTerminal(["backup", "restore", file, "--replace"], target.env, target.dir);
    try {
      await yes.waitFor(/Replace the whole database/);
      await yes.type("y");
      await yes.press("Enter");
      assert.equal(await yes.exitCode(30_000), 0, await yes.screen());
    } finally {
      await yes.close();
    }
    assert.deepEqual(await bodyOf(await createBackupFile(target, join(target.dir, "after-yes"))), await bodyOf(file));
  } finally {
    await target.dispose();
  }
});
