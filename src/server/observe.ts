/**
 * The server's {@link ServerLog} on the run's log files and Sentry, both set
 * up by the CLI's `run()` before `serve` starts: access lines go to
 * `info.log` under the `epic-events` category, unexpected failures to
 * `error.log` with their stack and to Sentry (when `SENTRY_DSN` is set). A
 * line carries the method, the path without its query, the status, the
 * duration and the user id, and every value is scrubbed of secrets: no
 * request header, body or query string is ever logged or sent.
 * @module
 */
import { scrubSecrets, scrubString } from "../observability/scrub.ts";
import type { ServerLog } from "./server.ts";

type Logger = ReturnType<typeof import("@logtape/logtape").getLogger>;

function fields(value: Record<string, unknown>): Record<string, unknown> {
  return scrubSecrets(value) as Record<string, unknown>;
}

/** A log writing to the run's log files (and Sentry when `sentryDsn` is set). */
export async function serverLog(options: { sentryDsn?: string }): Promise<ServerLog> {
  const { getLogger } = await import("@logtape/logtape");
  const logger: Logger = getLogger(["epic-events", "server"]);
  const sentry = options.sentryDsn ? await import("@sentry/deno").catch(() => undefined) : undefined;
  return {
    request(entry) {
      try {
        // A client that went away is its own business: the line says so, at info level.
        const level = entry.clientGone
          ? "info"
          : entry.status >= 500
          ? "error"
          : entry.status >= 400
          ? "warning"
          : "info";
        // Flat values: each text is scrubbed as it is, without a deep copy of the entry.
        logger[level]("request", {
          method: scrubString(entry.method),
          path: scrubString(entry.path),
          status: entry.status,
          duration_ms: entry.durationMs,
          user_id: entry.userId ?? "-",
          request_id: scrubString(entry.requestId),
          ...(entry.clientGone ? { client_gone: true } : {}),
        });
      } catch {
        // Logging never fails a request.
      }
    },
    unexpected(error, context) {
      try {
        logger.error("unexpected failure", fields({ route: context.route, request_id: context.requestId, error }));
      } catch {
        // as above
      }
      try {
        sentry?.captureException(error, {
          captureContext: { tags: { route: context.route, request_id: context.requestId } },
        });
      } catch {
        // Reporting never fails a request.
      }
    },
  };
}
