/**
 * The streams and environment a command runs with, injected so that tests can
 * drive the program in-process (GitHub CLI's IOStreams pattern).
 * @module
 */
import type { Env } from "../config.ts";

/** Input, output and environment of one run of the program. */
export interface Io {
  /** Writes to standard output. */
  writeOut(text: string): void;
  /** Writes to standard error. */
  writeErr(text: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  /** Whether standard input is a terminal (prompts are allowed only then). */
  stdinIsTerminal: boolean;
  /** Whether standard output is a terminal (tables instead of tab-separated lines). */
  stdoutIsTerminal: boolean;
  /** Environment variables. */
  env: Env;
  /** Working directory (where `.env` is looked for). */
  cwd: string;
}

/** The real process's streams and environment. */
export function processIo(): Io {
  const encoder = new TextEncoder();
  return {
    writeOut: (text) => writeAll(Deno.stdout, encoder.encode(text)),
    writeErr: (text) => writeAll(Deno.stderr, encoder.encode(text)),
    readStdin: () => new Response(Deno.stdin.readable).text(),
    stdinIsTerminal: Deno.stdin.isTerminal(),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    env: Deno.env.toObject(),
    cwd: Deno.cwd(),
  };
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
