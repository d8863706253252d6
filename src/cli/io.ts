/**
 * The streams and environment a command runs with, injected so that tests can
 * drive the program in-process (GitHub CLI's IOStreams pattern).
 * @module
 */
import type { Env } from "../config.ts";
import { type CancelSignal, InvalidInputError } from "../domain/errors.ts";

/** Input, output and environment of one run of the program. */
export interface Io {
  /** Writes to standard output. */
  writeOut(text: string): void;
  /** Writes to standard error. */
  writeErr(text: string): void;
  /**
   * Reads all of standard input as UTF-8 text.
   * @throws {InvalidInputError} with field `stdin` when it is not valid UTF-8.
   */
  readStdin(): Promise<string>;
  /** Whether standard input is a terminal (prompts are allowed only then). */
  stdinIsTerminal: boolean;
  /** Whether standard output is a terminal (tables instead of tab-separated lines). */
  stdoutIsTerminal: boolean;
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
    throw new InvalidInputError("stdin: not valid UTF-8 text", "stdin");
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
    writeOut: (text) => writeAll(Deno.stdout, encoder.encode(text)),
    writeErr: (text) => writeAll(Deno.stderr, encoder.encode(text)),
    readStdin: async () => decodeStdin(new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer())),
    stdinIsTerminal: Deno.stdin.isTerminal(),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
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

function writeAll(stream: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let offset = 0;
  try {
    while (offset < bytes.length) offset += stream.writeSync(bytes.subarray(offset));
  } catch (error) {
    // The reader went away (`| head`): like other Unix tools, stop quietly.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

/** An {@link Io} in memory, for tests of run functions: what was written is kept. */
export interface TestIo extends Io {
  /** Everything written to standard output so far. */
  readonly stdout: string;
  /** Everything written to standard error so far. */
  readonly stderr: string;
}

/**
 * In-memory streams: `stdin` is what standard input holds; `terminal` makes
 * both stdin and stdout terminals; `env` is the whole environment.
 */
export function testIo(
  options: { stdin?: string; terminal?: boolean; env?: Env; cwd?: string } = {},
): TestIo {
  let stdout = "";
  let stderr = "";
  return {
    writeOut: (text) => void (stdout += text),
    writeErr: (text) => void (stderr += text),
    readStdin: () => Promise.resolve(options.stdin ?? ""),
    stdinIsTerminal: options.terminal ?? false,
    stdoutIsTerminal: options.terminal ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? "/nowhere",
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}
