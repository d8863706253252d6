/**
 * Prompts in French on a real terminal (tmux): the questions of `client
 * create`, the masked password of `login` and where it goes, a pick-one
 * prompt, a delete's confirmation answered « non » then « oui ».
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { PASSWORD, setupCrew } from "../support/fixtures.ts";
import { makeClient, makeContract, makeEvent } from "../support/world.ts";
import { startInTerminal } from "../support/pty.ts";

const FR = { EPIC_EVENTS_LANG: "fr" };

backendTest(
  "client create in French on a terminal: each question in French, the new client in a French table",
  async (b) => {
    const { sales } = await setupCrew(b);
    const term = await startInTerminal(["client", "create"], { ...sales.env, ...FR }, b.dir);
    const answer = async (prompt: RegExp, text: string) => {
      await term.waitFor(prompt);
      await term.type(text);
      await term.press("Enter");
    };
    try {
      await answer(/\? Nom complet/, "Jean Dupont");
      await term.waitFor(/✔ Nom complet Jean Dupont/);
      await answer(/\? Email/, "jean@dupont.test");
      await answer(/\? Téléphone/, "+33 1 23 45 67 89");
      await answer(/\? Entreprise/, "Dupont SA");
      const code = await term.exitCode();
      const screen = await term.screen();
      assert.equal(code, 0, screen);
      assert.match(screen, /ENTREPRISE/);
      assert.match(screen, /CONTACT COMMERCIAL/);
      assert.match(screen, /Dupont SA/);
    } finally {
      await term.close();
    }
  },
);

backendTest("login in French on a terminal: where the password goes, then « Mot de passe »", async (b) => {
  const { manager } = await setupCrew(b);
  const env = { ...b.env, ...FR, EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-fr` };
  const term = await startInTerminal(["login"], env, b.dir);
  try {
    await term.waitFor(/\? Email/);
    await term.type(manager.email);
    await term.press("Enter");
    const asked = await term.waitFor(/\? Mot de passe/);
    assert.match(asked, new RegExp(`Connexion à .+ en tant que ${manager.email.replace(".", "\\.")}\\.`));
    await term.type(PASSWORD);
    await term.press("Enter");
    assert.equal(await term.exitCode(), 0, await term.screen());
    assert.match(await term.screen(), /Authentification réussie\u00a0: Ada Lovelace \(Gestion\)/);
  } finally {
    await term.close();
  }
});

backendTest("a delete's confirmation in French: « non » keeps it, « oui » deletes it", async (b) => {
  const { manager, sales } = await setupCrew(b);
  const client = await makeClient(sales);
  const contract = await makeContract(sales, client);
  const event = await makeEvent(sales, contract);
  const db = await b.db();
  const exists = async () => (await db.query("SELECT id FROM events WHERE id = $1", [event])).length === 1;

  // A pick-one prompt: its question and its keys' help in French.
  const assign = await startInTerminal(["event", "assign", String(event)], { ...manager.env, ...FR }, b.dir);
  try {
    const asked = await assign.waitFor(/\? Contact support/);
    assert.match(asked, /naviguer/);
    assert.match(asked, /choisir/);
    await assign.press("Enter");
    assert.equal(await assign.exitCode(), 0, await assign.screen());
    assert.match(await assign.screen(), /CONTACT SUPPORT/);
  } finally {
    await assign.close();
  }

  const no = await startInTerminal(["event", "delete", String(event)], { ...manager.env, ...FR }, b.dir);
  try {
    await no.waitFor(new RegExp(`Supprimer l'événement ${event}\\u00a0\\? C'est irréversible\\. \\(o/N\\)`));
    await no.type("non");
    await no.press("Enter");
    assert.equal(await no.exitCode(), 0, await no.screen());
    assert.match(await no.screen(), /Annulé\u00a0; rien n'a été supprimé\./);
  } finally {
    await no.close();
  }
  assert.ok(await exists(), "kept");

  const yes = await startInTerminal(["event", "delete", String(event)], { ...manager.env, ...FR }, b.dir);
  try {
    await yes.waitFor(/\(o\/N\)/);
    await yes.type("oui");
    await yes.press("Enter");
    assert.equal(await yes.exitCode(), 0, await yes.screen());
    assert.match(await yes.screen(), new RegExp(`Événement ${event} supprimé\\.`));
  } finally {
    await yes.close();
  }
  assert.ok(!await exists(), "deleted");
});
