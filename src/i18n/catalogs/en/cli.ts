/** Messages of the `cli` namespace, in English. @module */
import type { Catalog } from "../../catalog.ts";

/** The `cli.*` messages. */
export const MESSAGES = {} as const satisfies Catalog;
