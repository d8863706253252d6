/**
 * Runs the program once: parse, dispatch, map every error to its exit code
 * and its one-line message. Nothing here knows SQL or permissions.
 * @module
 */
import { CommanderError } from "@commander-js/extra-typings";
import { AppError, InvalidInputError } from "../domain/errors.ts";
import type { Io } from "./io.ts";
import { printError } from "./output.ts";
import { buildProgram } from "./program.ts";
import { Runtime } from "./runtime.ts";

function commanderMessage(error: CommanderError): string {
  return error.message.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").trim();
}

/** Runs `argv` (without the program name) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const rt = new Runtime(io, argv);
  try {
    const program = buildProgram(rt);
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    return handleError(rt, error);
  } finally {
    await rt.close().catch(() => {});
  }
}

function handleError(rt: Runtime, error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
    if (error.code === "commander.help" || error.code === "commander.executeSubCommandAsync") {
      // `help` asked for: 0; help shown on stderr for a missing subcommand: 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    printError(rt.io, rt, new InvalidInputError(commanderMessage(error)));
    return 2;
  }
  if (error instanceof AppError) {
    printError(rt.io, rt, error);
    if (rt.debug && error.code === "internal" && error.cause) {
      rt.io.writeErr(`${String((error.cause as Error)?.stack ?? error.cause)}\n`);
    }
    return error.exitCode;
  }
  const internal = new AppError(
    "internal",
    "Something went wrong; this is a bug. Run again with --debug to see the details.",
    { cause: error },
  );
  printError(rt.io, rt, internal);
  if (rt.debug) rt.io.writeErr(`${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}
