/**
 * The streams and environment a command runs with, injected so that tests can
 * drive the program in-process (GitHub CLI's IOStreams pattern).
 * @module
 */
import type { Env } from "../../config.ts";
import { type CancelSignal, InvalidInputError } from "../../domain/errors.ts";
import { t } from "../../i18n/mod.ts";

/**
 * Standard output was closed by its reader (`epic-events event list | head`):
 * thrown by {@link Io.writeOut}, it ends what is being printed — a streamed
 * list stops its query — and the run ends quietly with exit 0, as other Unix
 * tools do.
 */
export class OutputClosedError extends Error {
  constructor() {
    // i18n-ignore: never shown (the program stops quietly, exit 0)
    super("standard output was closed by its reader");
    this.name = "OutputClosedError";
  }
}

/** Input, output and environment of one run of the program. */
export interface Io {
  /**
   * Writes to standard output.
   * @throws {OutputClosedError} when the reader went away (`| head`).
   */
  writeOut(text: string): void;
  /**
   * Writes UTF-8 bytes to standard output, as {@link Io.writeOut} writes text
   * (same failure). Optional: streamed lists encode their rows into one reused
   * buffer with it, instead of building and encoding a large string per chunk:
   * the bytes may change once the call returns, so a writer must not keep them.
   */
  writeOutBytes?(bytes: Uint8Array): void;
  /** Writes to standard error. */
  writeErr(text: string): void;
  /**
   * Reads all of standard input as UTF-8 text.
   * @throws {InvalidInputError} with field `stdin` when it is not valid UTF-8.
   */
  readStdin(): Promise<string>;
  /**
   * Standard input as bytes, as they come (`import … -`: never held whole).
   * Optional: without it, {@link Io.readStdin}'s text is used.
   */
  stdinBytes?(): AsyncIterable<Uint8Array>;
  /** Whether standard error is a terminal (progress bars); default: as standard output. */
  stderrIsTerminal?: boolean;
  /** Whether standard input is a terminal (prompts are allowed only then). */
  stdinIsTerminal: boolean;
  /** Whether standard output is a terminal (tables instead of tab-separated lines). */
  stdoutIsTerminal: boolean;
  /** The width of the terminal, in columns, when there is one (tables fit it unless `COLUMNS` says otherwise). */
  terminalColumns?(): number | undefined;
  /** Environment variables. */
  env: Env;
  /** Working directory (where `.env` is looked for). */
  cwd: string;
  /**
   * Aborted when the process is asked to stop (SIGINT, SIGTERM); the reason
   * is the {@link CancelSignal}. Absent when nothing can interrupt the run.
   */
  interrupt?: AbortSignal;
}

/**
 * Decodes standard input: strict UTF-8, never turning a bad byte into U+FFFD.
 * @throws {InvalidInputError} with field `stdin`.
 */
export function decodeStdin(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInputError(t("cli.stdin.not_utf8"), "stdin");
  }
}

/**
 * The real process's streams and environment. SIGINT and SIGTERM abort
 * `interrupt` (the run then ends cleanly, see `run()`); a second one while
 * that cleanup runs ends the process at once.
 */
export function processIo(): Io {
  const encoder = new TextEncoder();
  return {
    writeOut: (text) => {
      if (!writeAll(Deno.stdout, encoder.encode(text))) throw new OutputClosedError();
    },
    writeOutBytes: (bytes) => {
      if (!writeAll(Deno.stdout, bytes)) throw new OutputClosedError();
    },
    writeErr: (text) => void writeAll(Deno.stderr, encoder.encode(text)),
    readStdin: async () => decodeStdin(new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer())),
    stdinBytes: () => Deno.stdin.readable,
    stderrIsTerminal: Deno.stderr.isTerminal(),
    stdinIsTerminal: Deno.stdin.isTerminal(),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    terminalColumns: () => {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return undefined;
      }
    },
    env: Deno.env.toObject(),
    cwd: Deno.cwd(),
    interrupt: listenForSignals(),
  };
}

function listenForSignals(): AbortSignal {
  const controller = new AbortController();
  const signals: CancelSignal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) {
    Deno.addSignalListener(signal, () => {
      if (controller.signal.aborted) Deno.exit(signal === "SIGTERM" ? 143 : 130);
      controller.abort(signal);
    });
  }
  return controller.signal;
}

/** Writes every byte; false when the reader went away (`| head`). */
function writeAll(stream: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): boolean {
  let offset = 0;
  try {
    while (offset < bytes.length) offset += stream.writeSync(bytes.subarray(offset));
    return true;
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    return false;
  }
}
