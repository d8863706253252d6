/**
 * The {@link Reporter} the CLI gives the services: each business event goes
 * to Sentry (when enabled) and to the info log.
 * @module
 */
import type { BusinessEvent, Reporter } from "../domain/reporting.ts";
import type { Logging } from "./logger.ts";
import type { SentryHandle } from "./sentry.ts";

/** Where business events are sent. Both are optional. */
export interface ReporterTargets {
  sentry?: SentryHandle;
  logging?: Logging;
}

/**
 * A reporter forwarding every business event to Sentry and the info log.
 * It never throws: a failing target is skipped.
 */
export function createReporter(targets: ReporterTargets): Reporter {
  return {
    businessEvent(event: BusinessEvent): void {
      try {
        targets.sentry?.captureBusinessEvent(event);
      } catch {
        // reporting never fails a command
      }
      try {
        targets.logging?.info(event.action, {
          actor_id: event.actorId ?? "-",
          entity: event.entity,
          entity_id: event.entityId ?? "-",
          changed_fields: (event.changedFields ?? []).join(",") || "-",
        });
      } catch {
        // reporting never fails a command
      }
    },
  };
}
