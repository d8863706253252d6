/**
 * Runs the program once: parse, dispatch, map every error to its exit code
 * and its one-line message. Nothing here knows SQL or permissions.
 * @module
 */
import { join } from "node:path";
import { CommanderError } from "@commander-js/extra-typings";
import type { Config } from "../config.ts";
import { type Logging, NOOP_LOGGING, setupLogging } from "../observability/logger.ts";
import { createReporter } from "../observability/reporter.ts";
import { initSentry, NOOP_SENTRY, type SentryHandle } from "../observability/sentry.ts";
import { AppError, CancelledError, type CancelSignal, InvalidInputError } from "../domain/errors.ts";
import type { Io } from "./io.ts";
import { printError } from "./output.ts";
import { buildProgram, VERSION } from "./program.ts";
import { Runtime } from "./runtime.ts";

function commanderMessage(error: CommanderError): string {
  return error.message.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").trim();
}

/** Where the unexpected-failure path reports. */
interface Observers {
  sentry: SentryHandle;
  logging: Logging;
}

async function setUpObservers(rt: Runtime): Promise<Observers> {
  let config: Config;
  try {
    config = rt.config();
  } catch {
    // A bad variable is reported by the command itself (exit 2).
    return { sentry: NOOP_SENTRY, logging: NOOP_LOGGING };
  }
  const logging = await setupLogging({ logDir: config.logDir, level: config.logLevel });
  // @sentry/deno is imported only when a DSN is configured.
  const sentry = config.sentryDsn
    ? await initSentry({
      dsn: config.sentryDsn,
      environment: config.sentryEnvironment,
      release: `epic-events@${VERSION}`,
    })
    : NOOP_SENTRY;
  return { sentry, logging };
}

function outcomeOf(error: unknown, exitCode: number): string {
  if (exitCode === 0) return "ok";
  if (error instanceof CancelledError) return "cancelled";
  if (error instanceof AppError) return error.code;
  if (error instanceof CommanderError) return "invalid_input";
  return "internal";
}

/** Runs `argv` (without the program name) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const started = performance.now();
  const rt = new Runtime(io, argv);
  const observers = await setUpObservers(rt);
  rt.reporter = createReporter(observers);
  let exitCode = 0;
  let outcome = "ok";
  try {
    const program = buildProgram(rt);
    await untilInterrupted(program.parseAsync([...argv], { from: "user" }), rt.io.interrupt, () => rt.handlesInterrupt);
  } catch (caught) {
    const error = asCancellation(caught);
    // Stop what is still running: cancel statements, roll back, close.
    if (error instanceof CancelledError) await rt.abort().catch(() => {});
    exitCode = handleError(rt, error, observers);
    outcome = outcomeOf(error, exitCode);
  } finally {
    await rt.close().catch(() => {});
    observers.logging.commandLine({
      userId: rt.userId,
      command: rt.commandName || "-",
      outcome,
      exitCode,
      durationMs: Math.round(performance.now() - started),
    });
    await observers.sentry.flush();
    await observers.logging.dispose();
  }
  return exitCode;
}

/**
 * Settles like `work`, or rejects with a {@link CancelledError} as soon as
 * `interrupt` is aborted (SIGINT, SIGTERM); `work` is then abandoned. A
 * command that stops on the signal by itself (`serve`: a graceful shutdown)
 * says so with `handled`, and is then left to finish.
 */
function untilInterrupted<T>(work: Promise<T>, interrupt: AbortSignal | undefined, handled: () => boolean): Promise<T> {
  if (!interrupt) return work;
  const cancelled = () => new CancelledError((interrupt.reason as CancelSignal) ?? "SIGINT");
  if (interrupt.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      if (!handled()) reject(cancelled());
    };
    interrupt.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => interrupt.removeEventListener("abort", onAbort));
  });
}

/** Ctrl-C at an `@inquirer/prompts` prompt is a cancellation too. */
function asCancellation(error: unknown): unknown {
  const name = (error as Error | undefined)?.name;
  return name === "ExitPromptError" || name === "AbortPromptError" ? new CancelledError("SIGINT") : error;
}

function handleError(rt: Runtime, error: unknown, observers: Observers): number {
  if (error instanceof CancelledError) {
    // Not a failure: nothing is reported, and it is logged as an outcome only.
    if (rt.json) rt.io.writeErr(JSON.stringify({ error: { code: "cancelled", message: error.message } }) + "\n");
    else rt.io.writeErr(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
    if (error.code === "commander.help" || error.code === "commander.executeSubCommandAsync") {
      // `help` asked for: 0; help shown on stderr for a missing subcommand: 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    printError(rt.io, rt, new InvalidInputError(commanderMessage(error)));
    return 2;
  }
  if (error instanceof AppError && error.code !== "internal") {
    printError(rt.io, rt, error);
    return error.exitCode;
  }
  // The exit-1 path: report, log, and show one friendly line.
  const cause = error instanceof AppError ? error.cause ?? error : error;
  observers.sentry.captureUnexpected(cause, { command: rt.commandName || "unknown" });
  observers.logging.error("unexpected failure", cause, { command: rt.commandName || "-" });
  const where = observers.logging.logDir
    ? `details are in ${join(observers.logging.logDir, "error.log")}`
    : "run again with --debug to see the details";
  const message = error instanceof AppError ? `${error.message} (${where})` : `Something went wrong; ${where}.`;
  printError(rt.io, rt, new AppError("internal", message));
  if (rt.debug) rt.io.writeErr(`${(cause as Error)?.stack ?? String(cause)}\n`);
  return 1;
}
