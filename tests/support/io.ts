/**
 * The one in-memory {@link Io} of the tests: what the program writes is
 * kept, stdin is given, a terminal is pretended on demand, and stdout can be
 * a reader that goes away (`| head`). `runCli` runs the whole program on
 * one; the tests of run functions, printers and errors use it directly.
 * @module
 */
import { type Io, OutputClosedError } from "../../src/cli/app/io.ts";
import type { Env } from "../../src/config.ts";
import { useLanguage } from "../../src/i18n/mod.ts";

// Tests that call run functions, printers or the program builder directly
// read English, as `run()` does when nothing chooses a language.
await useLanguage("en");

/** An {@link Io} in memory, for tests of run functions: what was written is kept. */
export interface TestIo extends Io {
  /** Everything written to standard output so far. */
  readonly stdout: string;
  /** Everything written to standard error so far. */
  readonly stderr: string;
}

/**
 * In-memory streams: `stdin` is what standard input holds; `terminal` makes
 * both stdin and stdout terminals (`columns` wide, when given); `env` is the
 * whole environment. With
 * `stdoutLimit`, standard output is a reader that goes away after that many
 * characters: what fits is kept, and that write and every later one throw
 * {@link OutputClosedError} (as `| head -c N` does).
 */
export function testIo(
  options: {
    stdin?: string;
    terminal?: boolean;
    columns?: number;
    env?: Env;
    cwd?: string;
    stdoutLimit?: number;
  } = {},
): TestIo {
  let stdout = "";
  let stderr = "";
  const limit = options.stdoutLimit ?? Infinity;
  return {
    writeOut: (text) => {
      if (stdout.length + text.length > limit) {
        stdout += text.slice(0, Math.max(0, limit - stdout.length));
        throw new OutputClosedError();
      }
      stdout += text;
    },
    writeErr: (text) => void (stderr += text),
    readStdin: () => Promise.resolve(options.stdin ?? ""),
    stdinIsTerminal: options.terminal ?? false,
    stdoutIsTerminal: options.terminal ?? false,
    terminalColumns: () => options.columns,
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
