/** Messages of the `ops` namespace, in English. @module */
import type { Catalog } from "../../catalog.ts";

/** The `ops.*` messages. */
export const MESSAGES = {
  "ops.serve.metricsListen":
    "also serve Prometheus metrics at /metrics on this address, apart from the API (also EPIC_EVENTS_METRICS_LISTEN)",
} as const satisfies Catalog;
