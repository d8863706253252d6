/**
 * A tiny program run as a child process by the observability tests, to see
 * what a real process does: whether it exits promptly (no `Deno.exit`, so
 * anything keeping the event loop alive would show) and what it prints.
 *
 * - `sentry DSN`: reports one failure and one business event, flushes, prints
 *   `flushed=<bool>` on stdout and returns.
 * - `logging DIR LEVEL`: writes a few log lines and disposes; prints nothing.
 * - `logging-exit DIR`: writes two lines and calls `Deno.exit(3)` without disposing.
 * - `logging-crash DIR`: writes two lines and dies of an uncaught error, without disposing.
 * @module
 */
import { initSentry } from "../../src/observability/sentry.ts";
import { setupLogging } from "../../src/observability/logger.ts";

const [mode, target, level] = Deno.args;
if (mode === "sentry") {
  const sentry = await initSentry({ dsn: target, environment: "test", release: "epic-events@0.0.0-test" });
  sentry.captureUnexpected(new Error("boom in child"), { command: "client create" });
  sentry.captureBusinessEvent({ action: "user.created", actorId: 1, entity: "user", entityId: 2 });
  const flushed = await sentry.flush();
  console.log(`flushed=${flushed}`);
} else if (mode === "logging") {
  const logging = await setupLogging({ logDir: target, level: (level ?? "info") as "info" });
  logging.info("child says hello", { n: 1 });
  logging.error("child failed", new Error("child boom"));
  logging.commandLine({ userId: 7, command: "whoami", outcome: "ok", exitCode: 0, durationMs: 3 });
  await logging.dispose();
} else if (mode === "logging-exit" || mode === "logging-crash") {
  const logging = await setupLogging({ logDir: target, level: "info" });
  logging.info("before the end", { n: 1 });
  logging.commandLine({ userId: 7, command: "whoami", outcome: "ok", exitCode: 0, durationMs: 3 });
  if (mode === "logging-exit") Deno.exit(3);
  throw new Error("child crashed");
} else {
  throw new Error(`unknown mode ${mode}`);
}
