/**
 * Errors as data (src/domain/messages.ts) and their rendering
 * (src/i18n/errors.ts): the English text an error gets when it is built is
 * exactly what i18next renders from the English catalog; nested messages are
 * said in the reader's language; a language not loaded falls back to English;
 * an error whose text came ready-made is shown as it came.
 */
import assert from "node:assert/strict";
import { AppError, ConflictError, InvalidInputError, NotFoundError } from "../../src/domain/errors.ts";
import { english, ERROR_MESSAGES, type ErrorKey, msg, reason, reasonOf } from "../../src/domain/messages.ts";
import { roleCannot } from "../../src/domain/policy.ts";
import { parseInput } from "../../src/domain/schemas/mod.ts";
import { clientCreateSchema } from "../../src/contract/clients.ts";
import { errorText, messageText } from "../../src/i18n/errors.ts";
import { loadLanguage, tIn } from "../../src/i18n/mod.ts";

const PLURAL = /_(zero|one|two|few|many|other)$/;

Deno.test("english() says every errors.* message as i18next says the English catalog, plural forms included", async () => {
  await loadLanguage("en");
  for (const [key, message] of Object.entries(ERROR_MESSAGES)) {
    const base = key.replace(PLURAL, "") as ErrorKey;
    for (const count of PLURAL.test(key) ? [0, 1, 2] : [undefined]) {
      const values: Record<string, string | number> = {};
      for (const match of (message as string).matchAll(/\{(\w+)\}/g)) values[match[1]] = `<${match[1]}>`;
      if (count !== undefined) values.count = count;
      assert.equal(english(msg(base, values)), tIn("en", base, values), `${base} (count ${count})`);
    }
  }
});

Deno.test("an error keeps its English message for the logs, and is said in French at the edge", async () => {
  await loadLanguage("fr");
  const error = new NotFoundError("Event", 12);
  assert.equal(error.message, "Event 12 not found.");
  assert.equal(errorText(error, "fr"), "Événement 12 introuvable.");
  assert.equal(errorText(error, "en"), "Event 12 not found.");
  // Nested messages (a role, an action) are said in the same language.
  const denied = new AppError("permission_denied", roleCannot("SUPPORT", "client.delete"));
  assert.equal(denied.message, "A SUPPORT collaborator cannot delete clients.");
  assert.equal(errorText(denied, "fr"), "Un collaborateur «\u00a0Support\u00a0» ne peut pas supprimer de clients.");
  // Plural forms by the CLDR rules of each language: French says 0 and 1 in the singular.
  for (
    const [count, fr] of [[0, "0 migration en attente"], [1, "1 migration en attente"], [2, "2 migrations en attente"]]
  ) {
    const pending = new ConflictError(msg("errors.migration.pending", { count, migrations: "x" }));
    assert.match(pending.message, new RegExp(`has ${count} pending migration\\(s\\)`));
    assert.match(errorText(pending, "fr"), new RegExp(fr as string));
  }
});

Deno.test("a schema's refusal names the field in both languages", async () => {
  await loadLanguage("fr");
  const refused = (() => {
    try {
      parseInput(clientCreateSchema, { full_name: "K", email: "nope", phone: "+33 6 12 34 56 78", company_name: "A" });
    } catch (error) {
      return error as InvalidInputError;
    }
  })()!;
  assert.ok(refused instanceof InvalidInputError);
  assert.equal(refused.field, "email");
  assert.equal(refused.message, "email: must be a valid email address");
  assert.equal(errorText(refused, "fr"), "email\u00a0: doit être une adresse e-mail valide");
  // The CLI's renaming to the flag typed applies in every language.
  refused.reword((text) => text.replace(/^email/, "--email"));
  assert.equal(refused.message, "--email: must be a valid email address");
  assert.equal(errorText(refused, "fr"), "--email\u00a0: doit être une adresse e-mail valide");
});

Deno.test("zod messages carry their key and values; a message of zod's own stays as it is", () => {
  const encoded = reason("errors.reason.length", { min: 1, max: 50 });
  assert.deepEqual(reasonOf(encoded), msg("errors.reason.length", { min: 1, max: 50 }));
  assert.equal(reasonOf("Invalid input"), "Invalid input");
});

Deno.test("ready-made text is shown as it came; a language not loaded falls back to English", () => {
  const remote = new NotFoundError("Client 3 introuvable.");
  assert.equal(errorText(remote, "en"), "Client 3 introuvable.");
  assert.equal(messageText("déjà dit", "fr"), "déjà dit");
  // tIn of a language never loaded gives the key: messageText says the English text instead.
  assert.equal(messageText(msg("errors.cancelled"), "xx" as "en"), "Cancelled.");
});
