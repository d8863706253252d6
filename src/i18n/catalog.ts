/** The shape of a catalog, shared by the catalogs and their reader. @module */

/** A catalog: message key → message (placeholders `{name}`, plural forms as `key_one` / `key_other`). */
export type Catalog = Readonly<Record<string, string>>;
