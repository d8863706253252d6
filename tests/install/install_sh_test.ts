/**
 * install.sh against a release folder laid out like the real one
 * (`latest/download/ASSET`, `download/TAG/ASSET`), served by a loopback HTTP
 * server. The stand-in "binaries" are small shell scripts named by
 * tools/release.ts (as the release workflow names its assets), each saying
 * which target it is and leaving a mark when run, so a test sees which one was
 * installed and whether anything ran before it was verified. `uname` is a
 * stand-in too (one per platform), on a PATH that holds only the tools
 * install.sh may use, with curl or with wget.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { assetName, compileArgs, compileTaskArgs, SUMS_FILE, TARGETS, writeSums } from "../../tools/release.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const INSTALL_SH = join(ROOT, "install.sh");
const TAG = "v0.1.0";

/** uname -s and -m of a machine of each target. */
const MACHINES: Record<string, [string, string]> = {
  "x86_64-unknown-linux-gnu": ["Linux", "x86_64"],
  "aarch64-unknown-linux-gnu": ["Linux", "aarch64"],
  "x86_64-apple-darwin": ["Darwin", "x86_64"],
  "aarch64-apple-darwin": ["Darwin", "arm64"],
  "x86_64-pc-windows-msvc": ["MINGW64_NT-10.0-19045", "x86_64"],
};

/** The tools install.sh may need besides a downloader (and uname, a stand-in). */
const TOOLS = ["sh", "mktemp", "mkdir", "rm", "cp", "mv", "chmod", "awk", "cut", "sha256sum", "id", "sed", "cat"];

function which(tool: string): string {
  for (const dir of ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin"]) {
    try {
      Deno.statSync(join(dir, tool));
      return join(dir, tool);
    } catch {
      // not there
    }
  }
  throw new Error(`${tool} is not installed`);
}

/** A stand-in for the binary of `target`: prints its version, and leaves a mark in $MARKS when run. */
function standIn(target: string, extra = ""): string {
  return `#!/bin/sh\n${extra}[ -n "\${MARKS:-}" ] && : > "$MARKS/ran-${target}"\necho "epic-events 0.1.0 (${target})"\n`;
}

interface Site {
  url: string;
  dir: string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** Writes a release folder (both layouts) and serves it on loopback. */
async function releaseSite(root: string): Promise<Site> {
  const release = join(root, "release");
  await Deno.mkdir(release, { recursive: true });
  for (const target of TARGETS) {
    await Deno.writeTextFile(join(release, assetName(target)), standIn(target), { mode: 0o755 });
  }
  await Deno.copyFile(INSTALL_SH, join(release, "install.sh"));
  await writeSums(release);
  const dir = join(root, "site");
  for (const sub of ["latest/download", `download/${TAG}`]) {
    await Deno.mkdir(join(dir, sub), { recursive: true });
    for await (const entry of Deno.readDir(release)) {
      await Deno.copyFile(join(release, entry.name), join(dir, sub, entry.name));
    }
  }
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    requests.push(path);
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    try {
      return new Response(await Deno.readFile(join(dir, path)));
    } catch {
      return new Response("Not Found", { status: 404 });
    }
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    dir,
    requests,
    close: () => server.shutdown(),
  };
}

interface Run {
  code: number;
  stderr: string;
  /** The installed file's text, or null when there is none. */
  installed: string | null;
  /** Files in the install folder (none when it does not exist). */
  files: string[];
  /** Stand-ins that ran. */
  ran: string[];
}

/** Runs install.sh (as a file, or piped into sh) on a stand-in machine. */
async function install(
  site: Site,
  options: {
    machine?: [string, string];
    downloader?: "curl" | "wget" | "none";
    args?: string[];
    env?: Record<string, string>;
    /** Extra stand-in tools: name → script. */
    fakes?: Record<string, string>;
    piped?: boolean;
  } = {},
): Promise<Run> {
  const work = await Deno.makeTempDir({ prefix: "epic-install-sh-" });
  const bin = join(work, "tools");
  const marks = join(work, "marks");
  const target = join(work, "target");
  await Deno.mkdir(bin);
  await Deno.mkdir(marks);
  const downloader = options.downloader ?? "curl";
  for (const tool of [...TOOLS, ...(downloader === "none" ? [] : [downloader])]) {
    await Deno.symlink(which(tool), join(bin, tool));
  }
  const [system, processor] = options.machine ?? MACHINES["x86_64-unknown-linux-gnu"];
  await Deno.writeTextFile(
    join(bin, "uname"),
    `#!/bin/sh\ncase "$1" in -s) echo '${system}' ;; -m) echo '${processor}' ;; *) echo '${system}' ;; esac\n`,
    { mode: 0o755 },
  );
  for (const [name, script] of Object.entries(options.fakes ?? {})) {
    await Deno.writeTextFile(join(bin, name), script, { mode: 0o755 });
  }
  const args = options.args ?? ["--dir", target];
  const child = new Deno.Command(which("sh"), {
    args: options.piped ? ["-s", "--", ...args] : [INSTALL_SH, ...args],
    cwd: work,
    clearEnv: true,
    env: {
      PATH: bin,
      HOME: join(work, "home"),
      MARKS: marks,
      EPIC_EVENTS_RELEASE_URL: site.url,
      ...options.env,
    },
    stdin: options.piped ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.piped) {
    const writer = child.stdin.getWriter();
    await writer.write(await Deno.readFile(join(site.dir, "latest/download/install.sh")));
    await writer.close();
  }
  const out = await child.output();
  let files: string[] = [];
  try {
    files = [...Deno.readDirSync(target)].map((e) => e.name).sort();
  } catch {
    // no folder
  }
  const installedName = files.find((f) => f.startsWith("epic-events"));
  const result: Run = {
    code: out.code,
    stderr: new TextDecoder().decode(out.stderr),
    installed: installedName ? await Deno.readTextFile(join(target, installedName)) : null,
    files,
    ran: [...Deno.readDirSync(marks)].map((e) => e.name.replace(/^ran-/, "")).sort(),
  };
  await Deno.remove(work, { recursive: true });
  return result;
}

async function withSite(fn: (site: Site) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "epic-release-" });
  const site = await releaseSite(root);
  try {
    await fn(site);
  } finally {
    await site.close();
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("install.sh installs the checked binary of each platform of the release, with curl and with wget", async () => {
  await withSite(async (site) => {
    for (const target of TARGETS) {
      for (const downloader of ["curl", "wget"] as const) {
        site.requests.length = 0;
        const run = await install(site, { machine: MACHINES[target], downloader });
        const what = `${target} with ${downloader}: ${run.stderr}`;
        assert.equal(run.code, 0, what);
        const name = target.includes("windows") ? "epic-events.exe" : "epic-events";
        assert.deepEqual(run.files, [name], what);
        assert.equal(run.installed, standIn(target), what);
        assert.deepEqual(site.requests, [`/latest/download/${SUMS_FILE}`, `/latest/download/${assetName(target)}`]);
        assert.deepEqual(run.ran, [target], "the verified binary ran once (--version), and no other");
        assert.match(run.stderr, new RegExp(`installed .*/${name.replace(".", "\\.")} \\(epic-events 0\\.1\\.0`));
      }
    }
  });
});

Deno.test("install.sh piped into sh, --version TAG and an http:// mirror on loopback", async () => {
  await withSite(async (site) => {
    const run = await install(site, { piped: true, args: ["--version", TAG, "--dir", "target/sub"] });
    // --dir relative to the working directory; the folder is created.
    assert.equal(run.code, 0, run.stderr);
    assert.ok(site.requests.every((p) => p.startsWith(`/download/${TAG}/`)), site.requests.join(" "));
  });
});

Deno.test("install.sh refuses a binary that does not match SHA256SUMS: nothing runs, nothing is installed", async () => {
  await withSite(async (site) => {
    const target = "x86_64-unknown-linux-gnu";
    const asset = join(site.dir, "latest/download", assetName(target));
    await Deno.writeTextFile(asset, standIn(target, "echo tampered\n"), { mode: 0o755 });
    const run = await install(site);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /refusing to install: epic-events-x86_64-unknown-linux-gnu does not match SHA256SUMS/);
    assert.deepEqual(run.files, []);
    assert.deepEqual(run.ran, [], "the tampered download never ran");
  });
});

Deno.test("install.sh refuses a binary that SHA256SUMS does not list, or lists twice", async () => {
  await withSite(async (site) => {
    const sums = join(site.dir, "latest/download", SUMS_FILE);
    const text = await Deno.readTextFile(sums);
    const line = text.split("\n").find((l) => l.endsWith("  epic-events-x86_64-unknown-linux-gnu"))!;
    await Deno.writeTextFile(sums, text.replace(`${line}\n`, ""));
    let run = await install(site);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /SHA256SUMS has no checksum for epic-events-x86_64-unknown-linux-gnu/);
    assert.deepEqual([run.files, run.ran], [[], []]);

    await Deno.writeTextFile(sums, text + line.replace(/^[0-9a-f]{4}/, "0000") + "\n");
    run = await install(site);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /more than one or a malformed checksum/);
    assert.deepEqual([run.files, run.ran], [[], []]);
  });
});

Deno.test("install.sh fails clearly on a missing asset or release, and leaves nothing", async () => {
  await withSite(async (site) => {
    await Deno.remove(join(site.dir, "latest/download", assetName("aarch64-apple-darwin")));
    let run = await install(site, { machine: MACHINES["aarch64-apple-darwin"] });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot download .*\/epic-events-aarch64-apple-darwin: this release has no binary/);
    assert.deepEqual([run.files, run.ran], [[], []]);

    run = await install(site, { args: ["--version", "v9.9.9", "--dir", "target"] });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot download .*\/download\/v9\.9\.9\/SHA256SUMS: no such release/);
    assert.deepEqual(run.files, []);
  });
});

Deno.test("install.sh refuses what it cannot do before downloading anything", async () => {
  await withSite(async (site) => {
    // A downloader that must not be called: it leaves a mark.
    const fakes = { curl: `#!/bin/sh\n: > "$MARKS/ran-curl"\nexit 1\n` };
    const cases: Array<[Parameters<typeof install>[1], number, RegExp]> = [
      [{ machine: ["SunOS", "x86_64"] }, 1, /no release binary for the system "SunOS"/],
      [{ machine: ["Linux", "riscv64"] }, 1, /no release binary for the processor "riscv64"/],
      [{ machine: ["MINGW64_NT-10.0", "aarch64"] }, 1, /no release binary for Windows on "aarch64"/],
      [{ env: { EPIC_EVENTS_RELEASE_URL: "http://mirror.example/releases" } }, 1, /must be an https:\/\/ URL/],
      [{ args: ["--dir"] }, 2, /--dir needs a folder/],
      [{ args: ["--version", "latest-ish"] }, 2, /expected a release tag such as v0\.2\.0/],
      [{ args: ["--force"] }, 2, /unknown option: --force/],
    ];
    for (const [options, code, message] of cases) {
      const run = await install(site, { ...options, downloader: "none", fakes });
      assert.equal(run.code, code, `${JSON.stringify(options)}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.deepEqual([run.files, run.ran], [[], []], JSON.stringify(options));
    }
    assert.deepEqual(site.requests, []);
    const none = await install(site, { downloader: "none" });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /needs curl or wget/);
  });
});

Deno.test("the release workflow builds every target install.sh knows, with the compile task's flags and SHA256SUMS", async () => {
  const workflow = parseYaml(await Deno.readTextFile(join(ROOT, ".github/workflows/release.yml")));
  assert.deepEqual(Object.keys(workflow.on), ["push"]);
  assert.deepEqual(workflow.on.push, { tags: ["v*"] });
  const build = workflow.jobs.build;
  assert.deepEqual(build.strategy.matrix.target, TARGETS, "the workflow's targets are tools/release.ts's");
  const runs = (job: { steps: { run?: string }[] }) => job.steps.map((s) => s.run ?? "").join("\n");
  assert.match(
    runs(build),
    /deno run -A tools\/release\.ts build --target "\$\{\{ matrix\.target \}\}" --outdir dist\/release/,
  );
  const release = workflow.jobs.release;
  assert.deepEqual(release.needs, "build");
  assert.match(runs(release), /cp install\.sh dist\/release\/install\.sh/);
  assert.match(runs(release), /tools\/release\.ts sums dist\/release/);
  assert.match(runs(release), /gh release create .* dist\/release\/\*/);
  // install.sh names each target's asset as tools/release.ts does (the first test downloads each by that name).
  const script = await Deno.readTextFile(INSTALL_SH);
  assert.match(script, /asset="epic-events-\$target\$exe"/);

  const task = await compileTaskArgs();
  for (const target of TARGETS) {
    const args = await compileArgs(target, "dist/release");
    assert.deepEqual(
      args,
      [
        ...task.slice(0, task.indexOf("--output")),
        ...task.slice(task.indexOf("--output") + 2, -1),
        "--target",
        target,
        "--output",
        `dist/release/${assetName(target)}`,
        "main.ts",
      ],
    );
  }
  assert.equal(assetName("x86_64-pc-windows-msvc"), "epic-events-x86_64-pc-windows-msvc.exe");
  assert.throws(() => assetName("x86_64-unknown-linux-musl"), /unknown target/);
});
