/**
 * Both catalogs say the same things: the same keys (plural forms aside: each
 * language has the forms its CLDR rules need), the same placeholders in each
 * message, and every message renders in both languages.
 */
import assert from "node:assert/strict";
import { CATALOG as EN } from "../../src/i18n/catalogs/en/mod.ts";
import { CATALOG as FR } from "../../src/i18n/catalogs/fr/mod.ts";
import { loadLanguage, tIn } from "../../src/i18n/mod.ts";

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The message keys without their plural suffix, each with the placeholders of all its forms. */
function shape(catalog: Readonly<Record<string, string>>): Map<string, string> {
  const keys = new Map<string, Set<string>>();
  for (const [key, message] of Object.entries(catalog)) {
    const base = key.replace(PLURAL, "");
    const names = keys.get(base) ?? new Set<string>();
    for (const match of message.matchAll(/\{(\w+)\}/g)) names.add(match[1]);
    if (PLURAL.test(key)) names.add("count");
    keys.set(base, names);
  }
  return new Map([...keys].map(([key, names]) => [key, [...names].sort().join(",")]));
}

Deno.test("the English and French catalogs have the same keys with the same placeholders", () => {
  const en = shape(EN);
  const fr = shape(FR);
  const onlyEn = [...en.keys()].filter((key) => !fr.has(key));
  const onlyFr = [...fr.keys()].filter((key) => !en.has(key));
  assert.deepEqual({ onlyEn, onlyFr }, { onlyEn: [], onlyFr: [] });
  const differ = [...en].filter(([key, names]) => fr.get(key) !== names).map(([key, names]) =>
    `${key}: en {${names}} fr {${fr.get(key)}}`
  );
  assert.deepEqual(differ, []);
});

Deno.test("every plural message has an `other` form in both languages", () => {
  for (const catalog of [EN, FR]) {
    for (const key of Object.keys(catalog)) {
      if (PLURAL.test(key)) assert.ok(`${key.replace(PLURAL, "")}_other` in catalog, `${key} has no _other form`);
    }
  }
});

Deno.test("French typography: a non-breaking space before : ; ! ? and inside « »", () => {
  const bad: string[] = [];
  for (const [key, message] of Object.entries(FR)) {
    // A space or no space before a high punctuation mark (not in a placeholder, a flag or a URL).
    const text = message.replace(/\{\w+\}/g, "").replace(/`[^`]*`/g, "").replace(/\S+:\/\/\S+/g, "");
    // (`\s` would take the non-breaking spaces too: an ordinary space or tab is what is wrong.)
    if (/[^\u00a0\u202f][;!?]|[^\u00a0\u202f\d\s]:(\s|$)|[ \t]:(\s|$)/.test(text)) bad.push(`${key}: ${message}`);
    if (/«[^\u00a0\u202f]|[^\u00a0\u202f]»/.test(text)) bad.push(`${key}: ${message}`);
    if (/"[^"]*"/.test(text)) bad.push(`${key}: straight quotes: ${message}`);
  }
  assert.deepEqual(bad, []);
});

Deno.test("messages render with their placeholders filled and plural forms chosen", async () => {
  await loadLanguage("en");
  await loadLanguage("fr");
  for (const [lang, catalog] of [["en", EN], ["fr", FR]] as const) {
    for (const [key, message] of Object.entries(catalog)) {
      const base = key.replace(PLURAL, "");
      const values: Record<string, string | number> = { count: 2 };
      for (const match of message.matchAll(/\{(\w+)\}/g)) if (match[1] !== "count") values[match[1]] = `<${match[1]}>`;
      const text = tIn(lang, base, values);
      assert.notEqual(text, base, `${lang}: ${base} does not render`);
      assert.doesNotMatch(text, /\{\w+\}/, `${lang}: ${base} leaves a placeholder: ${text}`);
    }
  }
});
