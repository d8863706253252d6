/** Choosing the language: flag, EPIC_EVENTS_LANG, LC_ALL, LC_MESSAGES, LANG, else English. */
import assert from "node:assert/strict";
import { langFlagOf, langOfAcceptLanguage, langOfLocale, resolveLang } from "../../src/domain/lang.ts";
import { InvalidInputError } from "../../src/domain/errors.ts";
import { loadLanguage, t, tIn } from "../../src/i18n/mod.ts";

Deno.test("a locale's language: fr, fr_FR.UTF-8, fr_CA, fr_BE@euro are French; C, POSIX, de_DE, junk are not ours", () => {
  for (const locale of ["fr", "fr_FR.UTF-8", "fr_CA", "FR_fr.utf8", "fr_BE@euro", "fr-FR"]) {
    assert.equal(langOfLocale(locale), "fr", locale);
  }
  for (const locale of ["en", "en_US.UTF-8", "en_GB"]) assert.equal(langOfLocale(locale), "en", locale);
  for (const locale of ["C", "POSIX", "C.UTF-8", "de_DE.UTF-8", "", "fr_FR.UTF-8 x", "../fr", "français"]) {
    assert.equal(langOfLocale(locale), undefined, locale);
  }
});

Deno.test("--lang wins over EPIC_EVENTS_LANG, which wins over LC_ALL, LC_MESSAGES, LANG in that order", () => {
  const env = { EPIC_EVENTS_LANG: "en", LC_ALL: "fr_FR.UTF-8", LC_MESSAGES: "en_US", LANG: "en_US" };
  assert.equal(resolveLang({ flag: "fr", env }), "fr");
  assert.equal(resolveLang({ env }), "en");
  assert.equal(resolveLang({ env: { ...env, EPIC_EVENTS_LANG: "" } }), "fr");
  assert.equal(resolveLang({ env: { LC_MESSAGES: "fr_CA", LANG: "en_US" } }), "fr");
  assert.equal(resolveLang({ env: { LANG: "fr_FR.UTF-8" } }), "fr");
  // The first variable set decides, even when its locale is not one of ours (as the C library does).
  assert.equal(resolveLang({ env: { LC_ALL: "C", LANG: "fr_FR.UTF-8" } }), "en");
  assert.equal(resolveLang({ env: { LANG: "garbage@@" } }), "en");
  assert.equal(resolveLang({ env: {} }), "en");
  assert.equal(resolveLang({ flag: "FR", env: {} }), "fr");
});

Deno.test("an unknown --lang or EPIC_EVENTS_LANG is exit 2 naming it and the accepted values", () => {
  assert.throws(() => resolveLang({ flag: "de", env: {} }), (error: unknown) => {
    assert.ok(error instanceof InvalidInputError);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /^--lang: must be one of en, fr/);
    return true;
  });
  assert.throws(
    () => resolveLang({ env: { EPIC_EVENTS_LANG: "fr_FR" } }),
    /^InvalidInputError: EPIC_EVENTS_LANG: must be one of en, fr/,
  );
});

Deno.test("--lang is found in argv before the program is built, not after --", () => {
  assert.equal(langFlagOf(["client", "list", "--lang", "fr"]), "fr");
  assert.equal(langFlagOf(["--lang=en", "whoami"]), "en");
  assert.equal(langFlagOf(["client", "create", "--", "--lang", "fr"]), undefined);
  assert.equal(langFlagOf(["whoami"]), undefined);
});

Deno.test("Accept-Language picks the best of ours by weight", () => {
  assert.equal(langOfAcceptLanguage("fr-FR,fr;q=0.9,en;q=0.8"), "fr");
  assert.equal(langOfAcceptLanguage("de-DE,en;q=0.5,fr;q=0.7"), "fr");
  assert.equal(langOfAcceptLanguage("de-DE"), "en");
  assert.equal(langOfAcceptLanguage("fr;q=0"), "en");
  assert.equal(langOfAcceptLanguage(null), "en");
});

Deno.test("a message of a language not loaded, or a missing key, is its key", async () => {
  assert.equal(t("no.such.key"), "no.such.key");
  await loadLanguage("fr");
  assert.equal(tIn("fr", "no.such.key"), "no.such.key");
});
