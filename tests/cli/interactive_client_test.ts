/**
 * `client create` driven by prompts on a real pseudo-terminal (tmux): each
 * missing field is asked for, an invalid answer shows the validation message
 * and is asked again, and the new client belongs to the SALES user typing.
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { setupCrew } from "../support/fixtures.ts";
import { startInTerminal } from "../support/pty.ts";

backendTest("client create on a real terminal prompts for each field, validating at the prompt", async (b) => {
  const { sales } = await setupCrew(b);
  // The SALES user's own environment: its config dir holds its token.
  const term = await startInTerminal(["client", "create"], sales.env, b.dir);
  const answer = async (prompt: RegExp, text: string) => {
    await term.waitFor(prompt);
    await term.type(text);
    await term.press("Enter");
  };
  try {
    // An empty answer is refused at the prompt.
    await term.waitFor(/\? Full name/);
    await term.press("Enter");
    await term.waitFor(/must not be empty/);
    await answer(/\? Full name/, "Kate Hastroff");
    await term.waitFor(/✔ Full name Kate Hastroff/);

    // An invalid email: the message is shown and the question is asked again.
    await answer(/\? Email/, "kate-at-startup");
    const refused = await term.waitFor(/must be a valid email address/);
    assert.match(refused, /\? Email kate-at-startup/, "still on the Email prompt");
    assert.doesNotMatch(refused, /Phone/, "not moved on to the next field");
    await term.press(...Array("kate-at-startup".length).fill("BSpace"));
    await term.type("Kate@Startup.test");
    await term.press("Enter");
    await term.waitFor(/✔ Email Kate@Startup\.test/);

    // A phone that is too short, then a good one.
    await answer(/\? Phone/, "123");
    await term.waitFor(/must be 5 to 20 characters/);
    await term.press(...Array(3).fill("BSpace"));
    await term.type("+33 6 12 34 56 78");
    await term.press("Enter");

    await answer(/\? Company/, "Cool Startup LLC");
    const code = await term.exitCode();
    const screen = await term.screen();
    assert.equal(code, 0, screen);
    assert.match(screen, /Kate Hastroff/, "the new client is shown");
    assert.match(screen, /Sam Seller/, "with its sales contact");
  } finally {
    await term.close();
  }

  const db = await b.db();
  const rows = await db.query<{ full_name: string; email: string; phone: string; company_name: string; s: number }>(
    "SELECT full_name, email, phone, company_name, sales_contact_id AS s FROM clients",
  );
  assert.deepEqual(rows.map((r) => ({ ...r, s: Number(r.s) })), [{
    full_name: "Kate Hastroff",
    email: "kate@startup.test",
    phone: "+33 6 12 34 56 78",
    company_name: "Cool Startup LLC",
    s: sales.id,
  }], "one client, owned by the SALES user who typed it");
});
