/**
 * The real program as a child process, with what `spawnCli` cannot do: raw
 * bytes on stdin, a signal sent while it runs, and a run without the power to
 * ignore file permissions (for "not writable" cases when the tests run as root).
 * @module
 */
import type { CliResult } from "./cli.ts";
import { DENO_DIR, MAIN } from "./cli.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const SETPRIV = "/usr/bin/setpriv";

/** Whether `path` exists (any kind of file). */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * How to run a child that file permissions apply to: nothing to add for a
 * normal user; for root, `setpriv` dropping the capabilities that bypass them;
 * `null` when neither is possible (the test is then skipped).
 */
export const PERMISSIONS_APPLY: string[] | null = Deno.build.os === "windows"
  ? null
  : Deno.uid() !== 0
  ? []
  : exists(SETPRIV)
  ? [SETPRIV, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]
  : null;

/** How to start the child. */
export interface StartOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Bytes or text on standard input (closed after). */
  stdin?: Uint8Array | string;
  /** Run so that file permissions apply even to root (see {@link PERMISSIONS_APPLY}). */
  permissionsApply?: boolean;
  /** Kill the child after this many milliseconds (a hung child fails the test, not the suite). Default 60 s. */
  killAfterMs?: number;
}

/** A running child. */
export interface Started {
  pid: number;
  /** Sends a signal. */
  kill(signal: Deno.Signal): void;
  /** Resolves when it ends. */
  result: Promise<CliResult & { signal: Deno.Signal | null }>;
}

/** Starts `epic-events args…` as a child process. */
export function startCli(args: string[], options: StartOptions = {}): Started {
  const prefix = options.permissionsApply ? PERMISSIONS_APPLY : [];
  if (prefix === null) throw new Error("file permissions cannot be made to apply here");
  const command = [...prefix, Deno.execPath(), "run", "-A", "--config", CONFIG, MAIN, ...args];
  const env: Record<string, string> = { DENO_DIR };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    cwd: options.cwd,
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, options.killAfterMs ?? 60_000);
  const stdin = typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin;
  const result = (async () => {
    const writer = child.stdin.getWriter();
    try {
      if (stdin) await writer.write(stdin);
      await writer.close();
    } catch {
      // The child ended without reading.
    }
    const out = await child.output();
    clearTimeout(timer);
    const decoder = new TextDecoder();
    const stdout = decoder.decode(out.stdout);
    const stderr = decoder.decode(out.stderr);
    return {
      code: out.code,
      signal: out.signal,
      stdout,
      stderr,
      json<T>() {
        return JSON.parse(stdout) as T;
      },
    };
  })();
  return { pid: child.pid, kill: (signal) => child.kill(signal), result };
}

/** Runs `epic-events args…` to the end. */
export function runChild(
  args: string[],
  options: StartOptions = {},
): Promise<CliResult & { signal: Deno.Signal | null }> {
  return startCli(args, options).result;
}

/** Polls `check` every 50 ms until it returns true; fails after `ms` with `what`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
