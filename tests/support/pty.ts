/**
 * Drives the real program in a pseudo-terminal (tmux), the way a person types
 * at prompts: wait for a prompt on screen, type, read the screen.
 * @module
 */
import { DENO_DIR, MAIN } from "./cli.ts";

/** A tmux server of this test process alone: other processes' sessions neither see nor stop it. */
const SOCKET = `epic-tests-${Deno.pid}`;

async function tmux(...args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args: ["-L", SOCKET, ...args], stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

/** A program running in a terminal. */
export interface Terminal {
  /** The screen's text now. */
  screen(): Promise<string>;
  /** Waits until the screen matches `pattern` (fails after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** Types text (no Enter). */
  type(text: string): Promise<void>;
  /** Presses keys by tmux name: "Enter", "Down", … */
  press(...keys: string[]): Promise<void>;
  /** Waits for the program to end; returns its exit code. */
  exitCode(ms?: number): Promise<number>;
  /** Kills the session. */
  close(): Promise<void>;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** Starts `epic-events args…` in a fresh tmux session with `env`, in a terminal of `columns` (default 150). */
export async function startInTerminal(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  { columns = 150 }: { columns?: number } = {},
): Promise<Terminal> {
  const name = `epic-${crypto.randomUUID().slice(0, 8)}`;
  const exports = Object.entries({ ...env, DENO_DIR, TERM: "xterm-256color" })
    .map(([k, v]) => `${k}=${shellQuote(v)}`).join(" ");
  const command = `cd ${shellQuote(cwd)} && env -i PATH=/usr/bin:/bin ${exports} ${
    shellQuote(Deno.execPath())
  } run -A ${shellQuote(MAIN)} ${args.map(shellQuote).join(" ")}; echo "EXIT=$?"; sleep 30`;
  // A server whose last session just ended may still be exiting: start again on a fresh one.
  for (let attempt = 1;; attempt++) {
    try {
      await tmux("new-session", "-d", "-s", name, "-x", String(columns), "-y", "40", command);
      break;
    } catch (error) {
      if (attempt === 3 || !String(error).includes("server exited unexpectedly")) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const screen = () => tmux("capture-pane", "-p", "-t", name);
  const waitFor = async (pattern: RegExp, ms = 15_000) => {
    const until = Date.now() + ms;
    for (;;) {
      const text = await screen();
      if (pattern.test(text)) return text;
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    screen,
    waitFor,
    type: async (text) => void await tmux("send-keys", "-t", name, "-l", text),
    press: async (...keys) => void await tmux("send-keys", "-t", name, ...keys),
    exitCode: async (ms = 15_000) => Number((await waitFor(/EXIT=\d+/, ms)).match(/EXIT=(\d+)/)![1]),
    close: async () => void await tmux("kill-session", "-t", name).catch(() => {}),
  };
}
