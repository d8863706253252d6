/** Messages of the `tables` namespace, in English. @module */
import type { Catalog } from "../../catalog.ts";

/** The `tables.*` messages. */
export const MESSAGES = {
  "tables.role.MANAGEMENT": "Management",
  "tables.role.SALES": "Sales",
  "tables.role.SUPPORT": "Support",
  "tables.noResults": "No results.",
  "tables.morePage": "Showing rows {first} to {last}; more rows exist: use --offset {last} for the next page.",
  "tables.morePageDefault":
    "Showing rows {first} to {last}; more rows exist: use --offset {last} for the next page (or --limit N for more than {page} per page).",
  "tables.hidden_one": "1 column hidden to fit {width} columns: {names} (--wide shows every column).",
  "tables.hidden_other": "{count} columns hidden to fit {width} columns: {names} (--wide shows every column).",
  "tables.wideHelp": "tables as wide as their content: no text shortened, no column hidden (default: fit the terminal)",
} as const satisfies Catalog;
