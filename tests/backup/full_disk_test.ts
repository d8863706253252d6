/**
 * `backup create` onto a full disk: exit 7 (`unavailable`, scripts may retry)
 * naming the file and the cause, and nothing left behind. The full disk is a
 * 16 KiB tmpfs, which needs root (CI runs as root); elsewhere the test says
 * why it is skipped.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { backendTest } from "../support/backends.ts";
import { seed } from "./helpers.ts";
import { MIGRATIONS } from "../../migrations/mod.ts";
import { migrateUp } from "../../src/db/migrator.ts";

async function run(cmd: string[]): Promise<boolean> {
  const { success } = await new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "null" }).output()
    .catch(() => ({ success: false }));
  return success;
}

backendTest("backup create onto a full disk is exit 7 naming the cause, and leaves no file", async (b) => {
  const mountPoint = await Deno.makeTempDir({ prefix: "epic-full-" });
  if (!(await run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mountPoint]))) {
    console.error("note: cannot mount a small tmpfs here (not root?): full-disk backup test skipped");
    await Deno.remove(mountPoint);
    return;
  }
  try {
    const db = await b.db();
    await migrateUp(db, { migrations: MIGRATIONS });
    await seed(db, { clients: 20, eventsPerClient: 5 });
    // Fill the disk but a few KiB: the backup's header fits, its rows do not.
    await Deno.writeFile(join(mountPoint, "filler"), new Uint8Array(15 * 1024));
    const dir = join(mountPoint, "backups");
    const result = await b.cli(["backup", "create", "--dir", dir, "--json"]);
    assert.equal(result.code, 7, result.stderr);
    const error = JSON.parse(result.stderr).error;
    assert.equal(error.code, "unavailable");
    assert.match(error.message, /no space left on the disk/);
    assert.equal(result.stdout, "");
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no file, not even a temporary one, is left");
  } finally {
    await run(["umount", mountPoint]);
    await Deno.remove(mountPoint, { recursive: true }).catch(() => {});
  }
}, { remote: false });
