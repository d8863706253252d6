/** Messages of the `errors` namespace, in French. @module */
import type { Catalog } from "../../catalog.ts";

/** The `errors.*` messages. */
export const MESSAGES = {} as const satisfies Catalog;
