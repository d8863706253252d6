import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { initManager, PASSWORD } from "../support/fixtures.ts";
import { startInTerminal } from "../support/pty.ts";
import { tokenFile } from "../support/tokens.ts";

backendTest("login on a real terminal prompts for email and a masked password", async (b) => {
  const manager = await initManager(b);
  const configDir = `${b.dir}/config-pty`;
  const term = await startInTerminal(["login"], { ...b.env, EPIC_EVENTS_CONFIG_DIR: configDir }, b.dir);
  try {
    await term.waitFor(/Email/);
    await term.type(manager.email);
    await term.press("Enter");
    await term.waitFor(/Password/);
    await term.type(PASSWORD);
    const typed = await term.waitFor(/\*{8,}/);
    assert.ok(!typed.includes(PASSWORD), "the password is never shown");
    await term.press("Enter");
    assert.equal(await term.exitCode(), 0, await term.screen());
    const screen = await term.screen();
    assert.match(screen, /Logged in as Ada Lovelace \(Management\)/);
    assert.ok(!screen.includes(PASSWORD), "the password is never shown");
    const token = await Deno.readTextFile(await tokenFile(configDir));
    assert.equal(token.trim().split(".").length, 3);
  } finally {
    await term.close();
  }
});

backendTest(
  "on a terminal, login names the database before asking for the password, and the .env that chose it",
  async (b) => {
    const manager = await initManager(b);
    // The developer's own .env names the database (the README's way), not the environment.
    await Deno.writeTextFile(`${b.dir}/.env`, `DATABASE_URL=${b.url}\n`);
    const { DATABASE_URL: _fromEnv, ...env } = b.env;
    const term = await startInTerminal(["login"], { ...env, EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-where` }, b.dir);
    try {
      await term.waitFor(/Email/);
      await term.type(manager.email);
      await term.press("Enter");
      const screen = await term.waitFor(/Password/);
      const database = b.name === "remote"
        ? b.env.EPIC_EVENTS_SERVER
        : b.name === "sqlite"
        ? `the database file ${b.dir}/test.db (DATABASE_URL from ${b.dir}/.env)`
        : `the database ${b.url} (DATABASE_URL from ${b.dir}/.env)`;
      const where = `Logging in to ${database} as ${manager.email}.`;
      // The terminal is 150 columns wide: a longer line wraps.
      assert.ok(screen.replaceAll("\n", "").includes(where), `${where}\n${screen}`);
      assert.ok(screen.indexOf("Logging in to") < screen.lastIndexOf("Password"), "said before the password is asked");
      await term.type(PASSWORD);
      await term.press("Enter");
      assert.equal(await term.exitCode(), 0, await term.screen());
    } finally {
      await term.close();
    }
  },
);
