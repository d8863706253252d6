/** Messages of the `errors` namespace, in English. @module */
import type { Catalog } from "../../catalog.ts";

/** The `errors.*` messages. */
export const MESSAGES = {} as const satisfies Catalog;
