/** Messages of the `ops` namespace, in French. @module */
import type { Catalog } from "../../catalog.ts";

/** The `ops.*` messages. */
export const MESSAGES = {} as const satisfies Catalog;
