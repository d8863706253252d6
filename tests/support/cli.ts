/**
 * Drives the program the way a user or a script does: in-process through
 * `run()` with injected streams, or as a real child process.
 * @module
 */
import { run } from "../../src/cli/app/run.ts";
import { testIo } from "./io.ts";

/** What a run of the program showed. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  json<T = unknown>(): T;
}

/** How to run it. */
export interface RunOptions {
  /** Text on standard input. */
  stdin?: string;
  /** Environment (the test's own, not the process's). */
  env?: Record<string, string | undefined>;
  /** Pretend stdin and stdout are a terminal. */
  tty?: boolean;
  cwd?: string;
}

function result(code: number, stdout: string, stderr: string): CliResult {
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

const LOG_DIR = Deno.makeTempDirSync({ prefix: "epic-logs-" });

/** Runs the CLI in-process with `args`. */
export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const io = testIo({
    stdin: options.stdin,
    terminal: options.tty,
    // Logs of in-process runs go to a temp folder unless the test names one.
    env: { EPIC_EVENTS_LOG_DIR: LOG_DIR, ...options.env },
    cwd: options.cwd ?? Deno.cwd(),
  });
  const code = await run(args, io);
  return result(code, io.stdout, io.stderr);
}

/** Path of the program's entry point. */
export const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Where Deno keeps its module cache, so that children need no download. */
export const DENO_DIR = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;

/** Runs the real program as a child process (no terminal). */
export async function spawnCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd: options.cwd,
    env: {
      DENO_DIR,
      ...Object.fromEntries(Object.entries(options.env ?? {}).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >,
    },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(options.stdin ?? ""));
  await writer.close();
  const out = await child.output();
  const decoder = new TextDecoder();
  return result(out.code, decoder.decode(out.stdout), decoder.decode(out.stderr));
}
