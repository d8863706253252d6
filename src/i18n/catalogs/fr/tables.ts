/** Messages of the `tables` namespace, in French. @module */
import type { Catalog } from "../../catalog.ts";

/** The `tables.*` messages. */
export const MESSAGES = {} as const satisfies Catalog;
