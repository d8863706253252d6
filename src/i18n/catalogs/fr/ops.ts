/** Messages of the `ops` namespace, in French. @module */
import type { Catalog } from "../../catalog.ts";

/** The `ops.*` messages. */
export const MESSAGES = {
  "ops.serve.metricsListen":
    "sert aussi les métriques Prometheus sur /metrics à cette adresse, distincte de celle de l’API (aussi EPIC_EVENTS_METRICS_LISTEN)",
} as const satisfies Catalog;
