/**
 * Issue 8, point 17: a password that is not valid UTF-8, from standard input
 * or typed at a prompt, is refused (exit 2) and never stored with U+FFFD in
 * place of the bad bytes.
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { initManager, ok } from "../support/fixtures.ts";
import { startInTerminal } from "../support/pty.ts";
import { runChild } from "../support/process.ts";

/** "correct horse" + a Latin-1 "é" (0xE9, not UTF-8) + " battery". */
const LATIN1 = new Uint8Array([
  ...new TextEncoder().encode("correct horse"),
  0xe9,
  ...new TextEncoder().encode(" battery"),
]);

const NEW_USER = [
  "user",
  "create",
  "--first-name",
  "Lee",
  "--last-name",
  "Bytes",
  "--email",
  "lee@epic.test",
  "--role",
  "SALES",
  "--password-stdin",
];

backendTest("--password-stdin with bytes that are not UTF-8: exit 2 naming password, no user created", async (b) => {
  const manager = await initManager(b);
  for (const json of [false, true]) {
    const result = await runChild(json ? ["--json", ...NEW_USER] : NEW_USER, {
      env: manager.env,
      cwd: b.dir,
      stdin: LATIN1,
    });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, "");
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, result.stderr);
    if (json) assert.equal(JSON.parse(result.stderr).error.field, "password");
    else assert.match(result.stderr, /^error: password: standard input is not valid UTF-8/);
  }
  const users = await ok<{ email: string }[]>(manager.cli(["user", "list", "--json"]));
  assert.deepEqual(users.map((u) => u.email), [manager.email], "no user was created");

  // A literal U+FFFD (what a lossy decoder would have made of it) is refused as well.
  const replaced = await manager.cli(NEW_USER, { stdin: "correct horse\uFFFD battery" });
  assert.equal(replaced.code, 2, replaced.stderr);
  assert.match(replaced.stderr, /password/);

  // Login with such bytes is refused the same way, before any password check.
  const login = await runChild(["login", "--email", manager.email, "--password-stdin"], {
    env: manager.env,
    cwd: b.dir,
    stdin: LATIN1,
  });
  assert.equal(login.code, 2, login.stderr);
  assert.match(login.stderr, /password: standard input is not valid UTF-8/);
});

backendTest("a password typed at the prompt with a byte that is not UTF-8: exit 2, not stored", async (b) => {
  const manager = await initManager(b);
  const term = await startInTerminal(NEW_USER.slice(0, -1), manager.env, b.dir);
  try {
    await term.waitFor(/Password/);
    await term.type("correct horse");
    await term.press("-H", "e9"); // one raw byte: Latin-1 "é"
    await term.type(" battery");
    await term.press("Enter");
    await term.waitFor(/Repeat the password/);
    await term.type("correct horse");
    await term.press("-H", "e9");
    await term.type(" battery");
    await term.press("Enter");
    assert.equal(await term.exitCode(), 2, await term.screen());
    assert.match(await term.screen(), /password: the terminal sent text that is not valid UTF-8/);
  } finally {
    await term.close();
  }
  const users = await ok<{ email: string }[]>(manager.cli(["user", "list", "--json"]));
  assert.deepEqual(users.map((u) => u.email), [manager.email], "no user was created");
  // A valid UTF-8 password still works, "é" included.
  await ok(manager.cli(NEW_USER, { stdin: "correct horse é battery" }));
});
