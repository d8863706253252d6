/** Messages of the `dayone` namespace, in French. @module */
import type { Catalog } from "../../catalog.ts";

/** The `dayone.*` messages. */
export const MESSAGES = {} as const satisfies Catalog;
