/**
 * Messages people read, in their language (issue 18): one catalog per
 * language, each a module imported only when that language is used, and
 * i18next to fill placeholders (`{name}`) and choose plural forms by the
 * CLDR rules of `Intl.PluralRules` (`key_one`, `key_other`, with `count`).
 *
 * The CLI loads the language chosen at start (`loadLanguage`, then `t`);
 * the server loads both and answers each request in its `Accept-Language`
 * (`tIn`). Log lines and Sentry events stay English: they are for operators.
 * Keys are flat, prefixed by their namespace (`errors.`, `cli.`, `tables.`,
 * `dayone.`, `ops.`): every namespace has one file per language under
 * `catalogs/<lang>/`, and both languages have the same keys with the same
 * placeholders (tests/i18n/catalogs_test.ts).
 * @module
 */
import type { i18n } from "i18next";
import { DEFAULT_LANG, type Lang } from "../domain/lang.ts";
import type { Catalog } from "./catalog.ts";

export type { Catalog } from "./catalog.ts";

/** Values a message's placeholders are filled with (`count` also picks the plural form). */
export type MessageValues = Readonly<Record<string, string | number | bigint | boolean | null | undefined>>;

const instances = new Map<Lang, i18n>();
let active: Lang = DEFAULT_LANG;

/**
 * Imports the catalog of `lang`: a literal specifier per language, so the
 * bundle carries both. Read as it is by the program's own help, which shows
 * messages without plural forms and needs no i18next (`src/cli/app/top_help.ts`).
 */
export async function importCatalog(lang: Lang): Promise<Catalog> {
  switch (lang) {
    case "fr":
      return (await import("./catalogs/fr/mod.ts")).CATALOG;
    case "en":
      return (await import("./catalogs/en/mod.ts")).CATALOG;
  }
}

/** Makes `lang`'s messages available to {@link tIn} (and to {@link t} once {@link useLanguage} chose it). */
export async function loadLanguage(lang: Lang): Promise<void> {
  if (instances.has(lang)) return;
  // i18next is imported with the first language, not by every module that imports `t`.
  const [catalog, { createInstance }] = await Promise.all([importCatalog(lang), import("i18next")]);
  if (instances.has(lang)) return;
  const instance = createInstance();
  // Synchronous: the resources are given, nothing is fetched.
  instance.init({
    lng: lang,
    resources: { [lang]: { translation: catalog } },
    initAsync: false,
    keySeparator: false,
    nsSeparator: false,
    returnNull: false,
    interpolation: { escapeValue: false, prefix: "{", suffix: "}" },
  });
  instances.set(lang, instance);
}

/** Loads `lang` and makes it the language of {@link t}. */
export async function useLanguage(lang: Lang): Promise<void> {
  await loadLanguage(lang);
  active = lang;
}

/** The language {@link t} speaks. */
export function currentLanguage(): Lang {
  return active;
}

/**
 * The message `key` in `lang`, its placeholders filled from `values`. A
 * language not loaded, or a key missing from its catalog, gives the key
 * itself (the catalogs test keeps that from shipping).
 */
export function tIn(lang: Lang, key: string, values?: MessageValues): string {
  const instance = instances.get(lang);
  if (!instance) return key;
  return instance.t(key, (values ?? {}) as Record<string, unknown>) as string;
}

/** The message `key` in the language in use (see {@link tIn}). */
export function t(key: string, values?: MessageValues): string {
  return tIn(active, key, values);
}
