/**
 * Runs the program once: parse, dispatch, map every error to its exit code
 * and its one-line message. Nothing here knows SQL or permissions. Imported
 * by `run.ts` for everything but `--version` and the program's own help.
 *
 * Start-up stays light: the configuration, the log files and Sentry are set
 * up only once a command is about to run (or has failed), never for
 * `--help`, `help …` or `--version`; the modules of the database, the
 * services and the packages behind them are imported by the commands that
 * use them.
 * @module
 */
import { join } from "node:path";
import type { CommanderError } from "@commander-js/extra-typings";
import type { Config } from "../../config.ts";
import { type Logging, NOOP_LOGGING, setupLogging } from "../../observability/logger.ts";
import { createReporter, type ReporterTargets } from "../../observability/reporter.ts";
import { initSentry, NOOP_SENTRY, type SentryHandle } from "../../observability/sentry.ts";
import { AppError, CancelledError, type CancelSignal, InvalidInputError } from "../../domain/errors.ts";
import { type Io, OutputClosedError } from "./io.ts";
import { printError } from "../output/errors.ts";
import { VERSION } from "./version.ts";
import { Runtime } from "./runtime.ts";
import { langFlagOf, resolveLang } from "../../domain/lang.ts";
import { useLanguage } from "../../i18n/mod.ts";
import { errorText, messageText } from "../../i18n/errors.ts";
import { msg } from "../../domain/messages.ts";
import { commanderText } from "./commander_text.ts";

/**
 * The error as a commander error (usage, help shown, version shown), or
 * undefined. Recognised by its code, so that this module need not load
 * commander: the program is imported only when it is built.
 */
function asCommanderError(error: unknown): CommanderError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("commander.")
    ? error as CommanderError
    : undefined;
}

function commanderMessage(error: CommanderError): string {
  return commanderText(error.code, error.message).replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").trim();
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
  if (error instanceof OutputClosedError) return "stdout_closed";
  if (exitCode === 0) return "ok";
  if (error instanceof CancelledError) return "cancelled";
  if (error instanceof AppError) return error.code;
  if (asCommanderError(error)) return "invalid_input";
  return "internal";
}

/** Whether `error` only says that help or the version was shown as asked (nothing ran). */
function isHelpShown(caught: unknown): boolean {
  const error = asCommanderError(caught);
  if (!error) return false;
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return true;
  return error.code === "commander.help" && error.exitCode === 0;
}

/**
 * Runs `argv` (without the program name) with commander and returns the exit
 * code. With `failure`, nothing is run: the error `run()` met answering
 * `--version` or the help alone is reported as any run's error is.
 */
export async function runProgram(argv: readonly string[], io: Io, failure?: { error: unknown }): Promise<number> {
  const started = performance.now();
  const rt = new Runtime(io, argv);
  // Set up when a command is about to run, or has failed: never for help.
  const targets: ReporterTargets = {};
  let observing: Promise<Observers> | undefined;
  const observe = () =>
    observing ??= setUpObservers(rt).then((observers) => Object.assign(targets, observers) as Observers);
  rt.reporter = createReporter(targets);
  let exitCode = 0;
  let outcome = "ok";
  try {
    // The language first: the help, the errors and every message are in it.
    rt.lang = resolveLang({ flag: langFlagOf(argv), env: rt.io.env });
    await useLanguage(rt.lang);
    if (failure) throw failure.error;
    const { buildProgram } = await import("./program.ts");
    const program = await buildProgram(rt, argv);
    program.hook("preAction", async (_root, action) => {
      if (action.name() !== "help" || action.parent !== program) await observe();
    });
    await untilInterrupted(
      program.parseAsync([...argv], { from: "user" }),
      rt.io.interrupt,
      () => rt.handlesInterrupt,
    );
  } catch (caught) {
    const error = asCancellation(caught);
    // Stop what is still running: cancel statements, roll back, close.
    if (error instanceof CancelledError) await rt.abort().catch(() => {});
    exitCode = handleError(rt, error, isHelpShown(error) ? NO_OBSERVERS : await observe());
    outcome = outcomeOf(error, exitCode);
  } finally {
    await rt.close().catch(() => {});
    if (observing) {
      const observers = await observing;
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

/** Observers that report nothing (help shown: nothing ran). */
const NO_OBSERVERS: Observers = { sentry: NOOP_SENTRY, logging: NOOP_LOGGING };

function handleError(rt: Runtime, error: unknown, observers: Observers): number {
  // The reader of stdout went away (`| head`): stop quietly, like other Unix tools.
  if (error instanceof OutputClosedError) return 0;
  if (error instanceof CancelledError) {
    // Not a failure: nothing is reported, and it is logged as an outcome only.
    const message = messageText(msg("errors.cancelled"));
    if (rt.json) rt.io.writeErr(JSON.stringify({ error: { code: "cancelled", message } }) + "\n");
    else rt.io.writeErr(`${message}\n`);
    return error.exitCode;
  }
  const usage = asCommanderError(error);
  if (usage) {
    if (usage.code === "commander.helpDisplayed" || usage.code === "commander.version") return 0;
    if (usage.code === "commander.help" || usage.code === "commander.executeSubCommandAsync") {
      // `help` asked for: 0; help shown on stderr for a missing subcommand: 2.
      return usage.exitCode === 0 ? 0 : 2;
    }
    printError(rt.io, rt, new InvalidInputError(commanderMessage(usage)));
    return 2;
  }
  if (error instanceof AppError && error.code !== "internal") {
    printError(rt.io, rt, error);
    return error.exitCode;
  }
  // The exit-1 path: report, log, and show one friendly line.
  const cause = error instanceof AppError ? error.cause ?? error : error;
  observers.sentry.captureUnexpected(cause, { command: rt.commandName || "unknown" });
  // i18n-ignore: a log line, for operators (English)
  observers.logging.error("unexpected failure", cause, { command: rt.commandName || "-" });
  const where = observers.logging.logDir
    ? msg("errors.internal.details_in", { path: join(observers.logging.logDir, "error.log") })
    : msg("errors.internal.run_with_debug");
  const text = error instanceof AppError
    ? msg("errors.internal.with_details", { message: errorText(error), where })
    : msg("errors.internal.something", { where });
  printError(rt.io, rt, new AppError("internal", text));
  if (rt.debug) rt.io.writeErr(`${(cause as Error)?.stack ?? String(cause)}\n`);
  return 1;
}
