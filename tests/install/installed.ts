/**
 * The program installed as a command, the way the README says (`deno install
 * --global …` from the checkout), into a temporary root, offline: in a network
 * namespace of its own that has only loopback (`unshare --net`, as root), or,
 * where that is refused, with every HTTP(S) proxy pointed at a closed loopback
 * port. Deno's cache is the developer's (`DENO_DIR`); HOME is new.
 * @module
 */
import { dirname, join } from "node:path";
import { documentedBlocks, shellLines } from "../support/markdown.ts";
import { DENO_DIR } from "../support/cli.ts";

/** The repository's root folder. */
export const ROOT: string = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** What a shell command showed. */
export interface ShResult {
  code: number;
  stdout: string;
  stderr: string;
}

let netnsWorks: boolean | undefined;

/** Whether `unshare --net` works here (root, or a user namespace allowed). */
export async function canUnshareNet(): Promise<boolean> {
  if (netnsWorks === undefined) {
    try {
      const out = await new Deno.Command("unshare", { args: ["--net", "true"], stdout: "null", stderr: "null" })
        .output();
      netnsWorks = out.success;
    } catch {
      netnsWorks = false;
    }
  }
  return netnsWorks;
}

/** Proxies that go nowhere: whatever tries the network fails at once, on loopback. */
const NO_NETWORK = {
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
  ALL_PROXY: "http://127.0.0.1:9",
  NO_PROXY: "",
};

/** Runs `sh -c script`, offline when `offline` (the default). */
export async function sh(
  script: string,
  options: { env: Record<string, string>; cwd?: string; stdin?: string; offline?: boolean },
): Promise<ShResult> {
  const offline = options.offline ?? true;
  const netns = offline && await canUnshareNet();
  const args = netns
    ? ["--net", "--", "/bin/sh", "-c", 'ip link set lo up 2>/dev/null; exec /bin/sh -c "$1"', "sh", script]
    : ["-c", script];
  const child = new Deno.Command(netns ? "unshare" : "/bin/sh", {
    args,
    cwd: options.cwd,
    clearEnv: true,
    env: { ...(offline ? NO_NETWORK : {}), ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** The README's install command (the shell line that runs `deno install --global`). */
export async function readmeInstallCommand(): Promise<string> {
  const lines = (await documentedBlocks(ROOT))
    .filter((b) => b.file === "README.md" && b.lang === "sh")
    .flatMap((b) => shellLines(b))
    .filter((l) => /^deno install --global/.test(l.text));
  if (lines.length !== 1) {
    throw new Error(`README.md: expected one \`deno install --global\` line, found ${lines.length}`);
  }
  return lines[0].text.replace(/\s*\\\n\s*/g, " ").trim();
}

/** An installed `epic-events` and a fresh HOME to run it in. */
export interface Installed {
  /** The install root (`DENO_INSTALL_ROOT`): the command is `root/bin/epic-events`. */
  root: string;
  home: string;
  /** PATH with the command's folder and deno's, then /usr/bin and /bin. */
  path: string;
  /** The environment of a user of the command: HOME, PATH, DENO_DIR, no colours, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Removes the root and HOME. */
  dispose(): Promise<void>;
}

/** The folder of the `deno` executable that runs the tests. */
export const DENO_BIN_DIR: string = dirname(Deno.execPath());

/** Installs the program with the README's command, offline, into a new temporary root. */
export async function installFromSource(): Promise<Installed> {
  const work = await Deno.makeTempDir({ prefix: "epic-installed-" });
  const root = join(work, "root");
  const home = join(work, "home");
  await Deno.mkdir(home, { mode: 0o700 });
  const path = `${root}/bin:${DENO_BIN_DIR}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`;
  const env = (extra: Record<string, string> = {}) => ({ HOME: home, PATH: path, DENO_DIR, NO_COLOR: "1", ...extra });
  const command = await readmeInstallCommand();
  const result = await sh(command, { env: env({ DENO_INSTALL_ROOT: root }), cwd: ROOT });
  if (result.code !== 0) {
    const hint = /registry\.npmjs\.org|not found in cache/.test(result.stderr)
      ? "\nDeno's cache lacks npm packages or their metadata: install once online " +
        "(`DENO_INSTALL_ROOT=$(mktemp -d) deno task install`; .ci/run does) and run the test again."
      : "";
    throw new Error(`${command}\nfailed (exit ${result.code}):\n${result.stderr}${hint}`);
  }
  return { root, home, path, env, dispose: () => Deno.remove(work, { recursive: true }) };
}
