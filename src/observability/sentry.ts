/**
 * Error and business-event reporting to Sentry. `@sentry/deno` is imported
 * dynamically by {@link initSentry} only, so a run without `SENTRY_DSN` never
 * pays for loading it. Every event is scrubbed of secrets before it leaves
 * the machine, and {@link SentryHandle.flush} is bounded so that an
 * unreachable Sentry host never makes a command hang or fail.
 * @module
 */
import type * as SentryModule from "@sentry/deno";
import type { BusinessEvent } from "../domain/reporting.ts";
import { scrubSecrets } from "./scrub.ts";

/** How the reporter is set up. */
export interface SentryOptions {
  /** `SENTRY_DSN`. */
  dsn: string;
  /** `SENTRY_ENVIRONMENT`. */
  environment: string;
  /** The program's version, e.g. `epic-events@0.1.0`. */
  release: string;
  /** Upper bound of one HTTP request to the ingest endpoint (default 2000 ms). */
  requestTimeoutMs?: number;
}

/** What the CLI reports through. Never throws. */
export interface SentryHandle {
  /**
   * Reports an unexpected failure (the exit-1 path), tagged with the command
   * *name* (e.g. `client create`), never its argument values.
   */
  captureUnexpected(error: unknown, tags: { command: string }): void;
  /** Reports a business event (`user.created`, `contract.signed` …) at level info. */
  captureBusinessEvent(event: BusinessEvent): void;
  /**
   * Sends what is queued, waiting at most `timeoutMs` (default 2000). Resolves
   * `true` when the queue is empty (each event sent, or given up on after a
   * failed or timed-out request), `false` when the bound was reached first;
   * never rejects.
   */
  flush(timeoutMs?: number): Promise<boolean>;
}

/** A handle that reports nothing (no `SENTRY_DSN`, or Sentry could not start). */
export const NOOP_SENTRY: SentryHandle = {
  captureUnexpected: () => {},
  captureBusinessEvent: () => {},
  flush: () => Promise.resolve(true),
};

/** Default bound of {@link SentryHandle.flush}. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 2000;

type DenoOptions = SentryModule.DenoOptions;
type TransportFactory = NonNullable<DenoOptions["transport"]>;
type TransportOptions = Parameters<TransportFactory>[0];

/** Scrubs a whole event (message, exception, extra, contexts, tags, breadcrumbs, request …). */
function scrubEvent<T extends SentryModule.Event>(event: T): T {
  const scrubbed = scrubSecrets(event) as T;
  // The host name of a staff laptop is personal data the SDK adds on its own.
  delete scrubbed.server_name;
  return scrubbed;
}

/**
 * Starts the Sentry client. Loads `@sentry/deno` on first call; call it only
 * when `SENTRY_DSN` is set. If the SDK cannot be loaded or started, a handle
 * that reports nothing is returned rather than failing the command.
 */
export async function initSentry(options: SentryOptions): Promise<SentryHandle> {
  try {
    const Sentry = await import("@sentry/deno");
    return startClient(Sentry, options);
  } catch {
    return NOOP_SENTRY;
  }
}

function netGranted(url: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "net", host: new URL(url).host }).state === "granted";
  } catch {
    return false;
  }
}

function startClient(Sentry: typeof SentryModule, options: SentryOptions): SentryHandle {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;

  // Same as the SDK's fetch transport, minus its console warning (and Deno's
  // permission prompt) when `net` is not granted, plus a timeout so that no
  // request outlives the flush bound (an abandoned socket would otherwise keep
  // the event loop alive until the OS gives up on the connection).
  const transport: TransportFactory = (transportOptions: TransportOptions) =>
    Sentry.createTransport(transportOptions, (request) =>
      Sentry.suppressTracing(async () => {
        // Without the permission, Deno would prompt on a terminal: never wait on that.
        if (!netGranted(transportOptions.url)) throw new Error("no net permission for the Sentry host");
        const response = await fetch(transportOptions.url, {
          method: "POST",
          body: request.body as BodyInit,
          headers: transportOptions.headers,
          referrerPolicy: "strict-origin",
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        await response.body?.cancel().catch(() => {});
        return {
          statusCode: response.status,
          headers: {
            "x-sentry-rate-limits": response.headers.get("X-Sentry-Rate-Limits"),
            "retry-after": response.headers.get("Retry-After"),
          },
        };
      }));

  const client = Sentry.init({
    dsn: options.dsn,
    environment: options.environment,
    release: options.release,
    // No global error/rejection handlers, no console/fetch breadcrumbs, no
    // Deno.serve/http/database instrumentation, no source-file reading: the
    // CLI reports explicitly through this handle.
    defaultIntegrations: false,
    integrations: [Sentry.linkedErrorsIntegration()],
    skipOpenTelemetrySetup: true,
    sendDefaultPii: false,
    sendClientReports: false,
    tracesSampleRate: 0,
    maxBreadcrumbs: 20,
    transport,
    beforeSend: (event) => scrubEvent(event),
    beforeSendTransaction: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubSecrets(breadcrumb) as SentryModule.Breadcrumb,
  });
  if (!client) return NOOP_SENTRY;

  return {
    captureUnexpected(error, tags) {
      try {
        client.captureException(error, {
          originalException: error,
          captureContext: { tags: { command: tags.command } },
          mechanism: { type: "epic-events.cli", handled: false },
        });
      } catch {
        // Reporting must never fail the command.
      }
    },
    captureBusinessEvent(event) {
      try {
        client.captureMessage(event.action, "info", {
          captureContext: {
            tags: { action: event.action, entity: event.entity },
            extra: {
              actor_id: event.actorId,
              entity_id: event.entityId,
              changed_fields: event.changedFields ?? [],
            },
          },
        });
      } catch {
        // Reporting must never fail the command.
      }
    },
    async flush(timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        const flushed = Promise.resolve()
          .then(() => client.flush(timeoutMs))
          .catch(() => false);
        return await Promise.race([flushed, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
