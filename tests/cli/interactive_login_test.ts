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
    assert.match(screen, /Logged in as Ada Lovelace \(MANAGEMENT\)/);
    assert.ok(!screen.includes(PASSWORD), "the password is never shown");
    const token = await Deno.readTextFile(await tokenFile(configDir));
    assert.equal(token.trim().split(".").length, 3);
  } finally {
    await term.close();
  }
});
