/**
 * `init` alone on a real pseudo-terminal (tmux) asks for every field of the
 * first manager, the optional phone included (checked as typed; Enter leaves
 * it out), then for the password twice.
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { startInTerminal, type Terminal } from "../support/pty.ts";

const PASSWORD = "correct horse battery";

async function answer(term: Terminal, prompt: RegExp, text: string, ms?: number): Promise<void> {
  await term.waitFor(prompt, ms);
  if (text) await term.type(text);
  await term.press("Enter");
}

async function typeIdentity(term: Terminal, email: string): Promise<void> {
  // init migrates before it asks: on a loaded machine that may take a while.
  await answer(term, /\? First name/, "Ada", 90_000);
  await answer(term, /\? Last name/, "Lovelace");
  await answer(term, /\? Email/, email);
}

async function typePasswordTwice(term: Terminal): Promise<number> {
  await answer(term, /\? Password/, PASSWORD);
  await answer(term, /\? (Repeat|Confirm|Again|Password again)/i, PASSWORD);
  return await term.exitCode(60_000);
}

backendTest("init on a terminal asks for every field, the optional phone checked as typed", async (b) => {
  const term = await startInTerminal(["init"], b.env, b.dir);
  try {
    await typeIdentity(term, "Ada@Epic.test");
    // A phone that is too short is refused at the prompt, then a good one is taken.
    await answer(term, /\? Phone \(optional: Enter to leave it out\)/, "123");
    await term.waitFor(/must be 5 to 20 characters/);
    await term.press(...Array(3).fill("BSpace"));
    await term.type("+33 6 12 34 56 78");
    await term.press("Enter");
    await term.waitFor(/✔ Phone .*\+33 6 12 34 56 78/);
    const code = await typePasswordTwice(term);
    assert.equal(code, 0, await term.screen());
  } finally {
    await term.close();
  }
  const db = await b.db();
  const rows = await db.query<{ email: string; phone: string | null; role: string }>(
    "SELECT email, phone, role FROM users",
  );
  assert.deepEqual(rows.map((r) => ({ ...r })), [{
    email: "ada@epic.test",
    phone: "+33 6 12 34 56 78",
    role: "MANAGEMENT",
  }]);
}, { remote: false }); // init runs where the database is, never through a server

backendTest("init on a terminal: Enter at the phone leaves it out", async (b) => {
  const term = await startInTerminal(["init"], b.env, b.dir);
  try {
    await typeIdentity(term, "ada@epic.test");
    await answer(term, /\? Phone \(optional/, "");
    const code = await typePasswordTwice(term);
    assert.equal(code, 0, await term.screen());
  } finally {
    await term.close();
  }
  const db = await b.db();
  const rows = await db.query<{ email: string; phone: string | null }>("SELECT email, phone FROM users");
  assert.deepEqual(rows.map((r) => ({ ...r })), [{ email: "ada@epic.test", phone: null }]);
}, { remote: false });
