/**
 * Issue 9, point 13: `epic-events completions bash|zsh|fish` prints a script
 * completing commands, flags and enumerated values, read from the program's
 * commander tree. Each script is checked for syntax by its shell and run
 * for a few command lines (bash: its completion function with COMP_WORDS;
 * zsh: the same with the completion system's builtins stubbed; fish:
 * `complete -C`). A shell that is not installed is skipped (zsh and fish:
 * `apt-get install zsh fish`).
 * @module
 */
import assert from "node:assert/strict";
import { completionScript } from "../../../src/cli/commands/completions/scripts.ts";
import { completionTree } from "../../../src/cli/commands/completions/tree.ts";
import { testIo } from "../../support/io.ts";
import { buildProgram } from "../../../src/cli/app/program.ts";
import { Runtime } from "../../../src/cli/app/runtime.ts";
import { runCli } from "../../support/cli.ts";

function installed(shell: string): boolean {
  try {
    return new Deno.Command(shell, { args: ["-c", "exit 0"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

const HAS = { zsh: installed("zsh"), fish: installed("fish") };

async function script(shell: string): Promise<string> {
  const result = await runCli(["completions", shell], { env: { NO_COLOR: "1" } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  return result.stdout;
}

/** Writes `text` to a temp file and returns its path. */
async function tempFile(text: string, suffix: string): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "epic-completion-", suffix });
  await Deno.writeTextFile(path, text);
  return path;
}

/** Runs `shell` with `args`; returns stdout (stderr and the exit code in the failure message). */
async function sh(shell: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(shell, { args, stdout: "piped", stderr: "piped" }).output();
  const decoder = new TextDecoder();
  assert.ok(out.success, `${shell} ${args.join(" ")}: exit ${out.code}\n${decoder.decode(out.stderr)}`);
  return decoder.decode(out.stdout);
}

/** What a shell offers for each command line (the last word being completed), as one line each. */
const CASES: Array<[string, string[]]> = [
  ["epic-events cl", ["client"]],
  ["epic-events client ", ["list", "show", "create", "update", "delete"]],
  ["epic-events user list --role ", ["MANAGEMENT", "SALES", "SUPPORT"]],
  ["epic-events user list --role s", ["SALES", "SUPPORT"]],
  ["epic-events --json client list --format ", ["json", "csv", "tsv", "table"]],
  ["epic-events audit list --entity c", ["client", "contract"]],
  ["epic-events contract update 3 --signed-status ", ["true", "false", "yes", "no"]],
  ["epic-events help client ", ["list", "show", "create", "update", "delete"]],
  ["epic-events completions ", ["bash", "zsh", "fish"]],
  ["epic-events migrate ", ["status", "up", "down"]],
  ["epic-events migrate down --", [
    "--to",
    "--dry-run",
    "--yes",
    "--json",
    "--format",
    "--debug",
    "--wide",
    "--lang",
    "--help",
  ]],
  ["epic-events user create --first-name Ada --las", ["--last-name"]],
  ["epic-events --lang ", ["en", "fr"]],
  ["epic-events login --email ", []],
];

Deno.test("completions: an unknown shell is exit 2 naming the shells", async () => {
  const result = await runCli(["completions", "tcsh"], { env: { NO_COLOR: "1" } });
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr, "error: SHELL: must be one of bash, zsh, fish\n");
  assert.equal((await runCli(["completions", "BASH"], { env: { NO_COLOR: "1" } })).code, 0, "any case");
});

Deno.test("completions come from the commander tree: a new command and its flag complete with no other change", async () => {
  const program = await buildProgram(new Runtime(testIo(), []));
  program.command("frobnicate").option("--speed <n>", "how fast").option("--role <role>", "whose");
  const nodes = completionTree(program);
  const frob = nodes.find((n) => n.path === "frobnicate")!;
  assert.ok(nodes[0].subcommands.some((s) => s.name === "frobnicate"));
  assert.deepEqual(frob.flags.filter((f) => f.owner === "frobnicate").map((f) => [f.long, f.values]), [
    ["--speed", null],
    ["--role", { words: ["MANAGEMENT", "SALES", "SUPPORT"] }],
  ]);
  assert.match(
    completionScript("bash", nodes),
    /'frobnicate\|--role'\) __ee_kind=words __ee_words='MANAGEMENT SALES SUPPORT'/,
  );
  // Hidden flags (the --password trap) and --version below the program are not offered.
  const clientList = nodes.find((n) => n.path === "client list")!;
  assert.ok(!clientList.flags.some((f) => f.long === "--password" || f.long === "--version"));
  assert.ok(nodes[0].flags.some((f) => f.long === "--version"));
});

Deno.test("bash: the script parses, and its completion function offers commands, flags and values", async () => {
  const file = await tempFile(await script("bash"), ".bash");
  try {
    await sh("bash", ["-n", file]);
    const lines = CASES.map(([line]) => {
      const words = line.split(" ");
      const quoted = words.map((w) => `'${w}'`).join(" ");
      return `COMP_WORDS=(${quoted}); COMP_CWORD=${
        words.length - 1
      }; COMPREPLY=(); _epic_events; echo "\${COMPREPLY[*]}"`;
    });
    const out = await sh("bash", ["-c", `source '${file}'\n${lines.join("\n")}`]);
    assert.deepEqual(out.split("\n").slice(0, -1), CASES.map(([, offered]) => offered.join(" ")));
    // Paths: a file for `backup verify`, folders for `--dir`.
    const dir = await Deno.makeTempDir({ prefix: "epic-completion-" });
    await Deno.writeTextFile(`${dir}/one.jsonl.gz`, "");
    await Deno.mkdir(`${dir}/sub`);
    const paths = await sh("bash", [
      "-c",
      `source '${file}'
COMP_WORDS=(epic-events backup verify '${dir}/o'); COMP_CWORD=3; _epic_events; echo "\${COMPREPLY[*]}"
COMP_WORDS=(epic-events backup create --dir '${dir}/'); COMP_CWORD=4; _epic_events; echo "\${COMPREPLY[*]}"`,
    ]);
    assert.deepEqual(paths.split("\n").slice(0, -1), [`${dir}/one.jsonl.gz`, `${dir}/sub`]);
    await Deno.remove(dir, { recursive: true });
    assert.match(await sh("bash", ["-c", `source '${file}'; complete -p epic-events`]), /-F _epic_events epic-events/);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test({
  name: "zsh: the script parses, and its completion function offers commands, flags and values",
  ignore: !HAS.zsh,
  async fn() {
    const file = await tempFile(await script("zsh"), ".zsh");
    try {
      await sh("zsh", ["-n", file]);
      assert.match(await Deno.readTextFile(file), /^#compdef epic-events\n/);
      // Outside a completion widget, the completion system's builtins are stubbed to print what they are given.
      const stubs = `compdef() { print -r -- "compdef $*"; }
source '${file}'
_describe() { local name=\${@[-1]}; local -a items; items=("\${(@P)name}"); print -r -- \${items%%:*}; }
compadd() { while [[ $1 == -* && $1 != -- ]]; do [[ $1 == -M ]] && shift; shift; done; [[ $1 == -- ]] && shift; print -r -- "$*"; }
_files() { print -r -- "files $*"; }`;
      const lines = CASES.map(([line]) => {
        const words = line.split(" ").map((w) => `'${w}'`).join(" ");
        return `words=(${words}); CURRENT=\${#words}; print -r -- "$(_epic_events)"`;
      });
      const out = await sh("zsh", ["-f", "-c", `${stubs}\n${lines.join("\n")}`]);
      const got = out.split("\n").slice(0, -1);
      assert.equal(got[0], "compdef _epic_events epic-events", "sourced: registers itself");
      // zsh matches the typed prefix itself: it is offered every candidate of the position.
      const expected = CASES.map(([line, offered]) => {
        if (line.endsWith("--role s")) return "MANAGEMENT SALES SUPPORT";
        if (line.endsWith(" cl")) return got[1];
        if (line.endsWith("--entity c")) return "user client contract event";
        if (line.endsWith("--l")) return got[12];
        if (line.endsWith("down --")) return "--to --dry-run -y --yes --json --format --debug --wide --lang -h --help";
        return offered.join(" ");
      });
      assert.deepEqual(got.slice(1), expected);
      assert.ok(got[1].split(" ").includes("client") && got[12].split(" ").includes("--last-name"));
    } finally {
      await Deno.remove(file);
    }
  },
});

Deno.test({
  name: "fish: the script parses, and `complete -C` offers commands, flags and values",
  ignore: !HAS.fish,
  async fn() {
    const file = await tempFile(await script("fish"), ".fish");
    try {
      await sh("fish", ["--no-execute", file]);
      const lines = CASES.map(([line]) =>
        `echo (complete -C '${line}' | string replace -r '\\t.*' '' | string join ' ')`
      );
      const out = await sh("fish", ["--no-config", "-c", `source '${file}'\n${lines.join("\n")}`]);
      const got = out.split("\n").slice(0, -1);
      // fish sorts what it offers.
      assert.deepEqual(got, CASES.map(([, offered]) => [...offered].sort().join(" ")));
    } finally {
      await Deno.remove(file);
    }
  },
});
