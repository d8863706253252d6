/**
 * Issue 8, point 8: `migrate down` drops data, so it asks first on a
 * terminal, naming what it drops, and needs `--yes` without one (exit 2),
 * like `delete`.
 * @module
 */
import assert from "node:assert/strict";
import { MIGRATIONS } from "../../migrations/mod.ts";
import type { Database } from "../../src/db/database.ts";
import { backendTest } from "../support/backends.ts";
import { initManager } from "../support/fixtures.ts";
import { startInTerminal } from "../support/pty.ts";

async function applied(db: Database): Promise<string[]> {
  return (await db.query<{ version: string }>("SELECT version FROM schema_migrations ORDER BY version"))
    .map((r) => r.version);
}

const ALL = MIGRATIONS.map((m) => m.version);

backendTest(
  "migrate down without a terminal needs --yes (exit 2, naming what it drops) and reverts nothing",
  async (b) => {
    await initManager(b);
    const db = await b.db();
    const refused = await b.cli(["migrate", "down", "--to", "0", "--json"]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(refused.stdout, "");
    const error = JSON.parse(refused.stderr).error;
    assert.equal(error.code, "invalid_input");
    assert.equal(error.field, "yes");
    assert.match(error.message, /--yes/);
    for (const table of ["users", "clients", "contracts", "events", "audit_log", "login_attempts"]) {
      assert.match(error.message, new RegExp(`\\b${table}\\b`), `names the table ${table}`);
    }
    assert.match(error.message, /0001_initial_schema/);
    const newest = await b.cli(["migrate", "down"]);
    assert.equal(newest.code, 2, "asked even when it drops no data");
    assert.match(newest.stderr, /0008_session_state_function/);
    const seven = await b.cli(["migrate", "down", "--to", "0006"]);
    assert.equal(seven.code, 2);
    assert.match(seven.stderr, /contracts\.signed_at/, "a dropped column is named too");
    const six = await b.cli(["migrate", "down", "--to", "0005"]);
    assert.equal(six.code, 2);
    assert.match(six.stderr, /login_attempts\.locked_by/, "a dropped column is named too");
    const five = await b.cli(["migrate", "down", "--to", "0004"]);
    assert.equal(five.code, 2);
    assert.match(five.stderr, /events\.client_sales_contact_id/, "a dropped column is named too");
    const two = await b.cli(["migrate", "down", "--to", "0003"]);
    assert.equal(two.code, 2);
    assert.match(two.stderr, /users\.session_epoch/, "a dropped column is named too");
    assert.deepEqual(await applied(db), ALL, "nothing was reverted");
    assert.equal((await db.query("SELECT id FROM users")).length, 1, "no data lost");

    // A dry run drops nothing and needs no confirmation; neither does an empty plan.
    assert.equal((await b.cli(["migrate", "down", "--dry-run"])).code, 0);
    assert.equal((await b.cli(["migrate", "down", "--to", "0", "--yes"])).code, 0);
    assert.deepEqual(await applied(db), []);
    const nothing = await b.cli(["migrate", "down"]);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stderr + nothing.stdout, /Nothing to revert/);
  },
);

backendTest("migrate down on a terminal asks, naming what it drops; no keeps everything, yes reverts", async (b) => {
  await initManager(b);
  const db = await b.db();
  const ask = async (answer: string) => {
    const term = await startInTerminal(["migrate", "down"], b.env, b.dir);
    try {
      const screen = await term.waitFor(/\? Revert/);
      assert.match(screen, new RegExp(`${MIGRATIONS.at(-1)!.version}_${MIGRATIONS.at(-1)!.name}`));
      assert.match(screen, /cannot be undone/);
      await term.type(answer);
      await term.press("Enter");
      return { code: await term.exitCode(), screen: await term.screen() };
    } finally {
      await term.close();
    }
  };
  const no = await ask("n");
  assert.equal(no.code, 0, no.screen);
  assert.match(no.screen, /Cancelled; nothing was reverted\./);
  assert.deepEqual(await applied(db), ALL);
  const yes = await ask("y");
  assert.equal(yes.code, 0, yes.screen);
  assert.match(yes.screen, /Reverted/);
  assert.deepEqual(await applied(db), ALL.slice(0, -1));
}, { remote: false }); // an operator command, run where DATABASE_URL is (never through a server)
