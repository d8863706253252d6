/**
 * The program's own help (`--help`, `-h`, `help`) is printed without
 * commander (src/cli/app/top_help.ts: commander's module costs Deno its Node
 * layer at start). These tests hold it to commander's text byte for byte, in
 * both languages and at several terminal widths, and check from the source
 * what `--help` evaluates, so that neither the text nor the start-up drifts.
 * @module
 */
import assert from "node:assert/strict";
import { run } from "../../src/cli/app/run.ts";
import { runProgram } from "../../src/cli/app/run_program.ts";
import { testIo } from "../support/io.ts";
import { InvalidInputError } from "../../src/domain/errors.ts";
import { DENO_DIR, MAIN } from "../support/cli.ts";

const ROOT = new URL("../../", import.meta.url);

/** Each language, as a reader's environment chooses it. */
const LANGUAGES: Record<string, Record<string, string>> = {
  en: { LANG: "C" },
  fr: { LANG: "fr_FR.UTF-8" },
};

/** No terminal (80 columns), then terminals of these widths: below, at and above where commander wraps. */
const WIDTHS: (number | undefined)[] = [undefined, 0, 20, 40, 59, 60, 61, 79, 80, 100, 132, 250];

/** What `argv` prints on stdout and its exit code, run by `runner` (the quick path, or commander). */
async function helpOf(
  runner: typeof run,
  argv: string[],
  env: Record<string, string>,
  columns: number | undefined,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = testIo({ env, terminal: columns !== undefined, columns });
  const code = await runner(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

Deno.test("the program's help is commander's, byte for byte, in both languages and at every width", async () => {
  for (const [lang, env] of Object.entries(LANGUAGES)) {
    for (const columns of WIDTHS) {
      const what = `${lang}, ${columns ?? "no terminal"}`;
      const commander = await helpOf(runProgram, ["--help"], env, columns);
      assert.equal(commander.code, 0, commander.stderr);
      const quick = await helpOf(run, ["--help"], env, columns);
      assert.equal(quick.code, 0, `${what}: ${quick.stderr}`);
      assert.equal(quick.stderr, "", what);
      // A difference here: a command or global flag was added to the program, not to TOP_LEVEL_HELP (top_help.ts).
      assert.equal(quick.stdout, commander.stdout, what);
    }
  }
});

Deno.test("a terminal that says 0 columns (a pty never sized, as `script` gives) gets help unwrapped, as commander does", async () => {
  // `script` runs the program on a pseudo-terminal of its own; with no terminal around it, of 0 columns.
  for (const argv of ["--help", "client --help"]) {
    const out = await new Deno.Command("script", {
      args: ["-qec", `${Deno.execPath()} run -A ${MAIN} ${argv}`, "/dev/null"],
      env: { DENO_DIR, LANG: "C", NO_COLOR: "1", PATH: "/usr/bin:/bin" },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).replaceAll("\r", "");
    assert.equal(out.code, 0, text);
    const longest = Math.max(...text.split("\n").map((line) => line.length));
    assert.ok(longest > 80, `${argv}: wrapped at ${longest} columns\n${text}`);
  }
});

Deno.test("-h, help and --lang give the same help as commander does for them", async () => {
  const cases: [string[], Record<string, string>][] = [
    [["-h"], LANGUAGES.en],
    [["help"], LANGUAGES.fr],
    [["--lang", "fr", "--help"], LANGUAGES.en],
    [["--lang=en", "-h"], LANGUAGES.fr],
    [["help", "--lang", "FR"], {}],
    [["--help"], { EPIC_EVENTS_LANG: "fr", LANG: "C" }],
  ];
  for (const [argv, env] of cases) {
    const commander = await helpOf(runProgram, argv, env, undefined);
    const quick = await helpOf(run, argv, env, undefined);
    assert.equal(commander.code, 0, `${argv.join(" ")}: ${commander.stderr}`);
    assert.deepEqual(quick, commander, argv.join(" "));
  }
  const french = await helpOf(run, ["--lang", "fr", "--help"], {}, undefined);
  assert.match(french.stdout, /^Utilisation\s: epic-events/);
});

Deno.test("what is not the program's help alone goes to commander: errors and exit codes unchanged", async () => {
  const cases: [string[], Record<string, string>][] = [
    [["--lang", "xx", "--help"], {}],
    [["--help"], { EPIC_EVENTS_LANG: "klingon" }],
    [["--help", "--lang"], {}],
    [["--lang", "--help"], {}],
    [["--lang", "fr", "--help", "--lang"], {}],
    [["--lang=", "--help"], {}],
    [["--help", "--help"], {}],
    [["--json", "--help"], {}],
    [["help", "client"], {}],
    [["--version"], { EPIC_EVENTS_LANG: "klingon" }],
  ];
  for (const [argv, env] of cases) {
    const commander = await helpOf(runProgram, argv, env, undefined);
    const quick = await helpOf(run, argv, env, undefined);
    assert.deepEqual(quick, commander, argv.join(" "));
  }
  const wrong = await helpOf(run, ["--lang", "xx", "--help"], {}, undefined);
  assert.equal(wrong.code, 2);
});

Deno.test("--help into a reader that went away (`| head -1`): the first line, exit 0", async () => {
  const io = testIo({ env: LANGUAGES.en, stdoutLimit: 10 });
  assert.equal(await run(["--help"], io), 0);
  assert.equal(io.stdout, "Usage: epi");
});

/** The modules `deno run main.ts args` evaluates, by URL, from a V8 coverage of the run. */
async function evaluatedModules(args: string[], env: Record<string, string>): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "epic-help-coverage-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `--coverage=${dir}`, MAIN, ...args],
      cwd: ROOT,
      env: { DENO_DIR, HOME: dir, ...env },
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const urls: string[] = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.endsWith(".json")) urls.push(JSON.parse(await Deno.readTextFile(`${dir}/${entry.name}`)).url);
    }
    return urls.sort();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("from the source, --help evaluates no node: built-in, no package, one language's catalog", async () => {
  for (const [lang, env] of Object.entries(LANGUAGES)) {
    const modules = await evaluatedModules(["--help"], env);
    assert.ok(modules.some((url) => url.endsWith("/src/cli/app/top_help.ts")), `${lang}: ${modules.join("\n")}`);
    // Not even i18next: the help's messages have no plural forms (top_help.ts reads the catalog as it is).
    assert.deepEqual(modules.filter((url) => !url.startsWith(ROOT.href)), [], `${lang}: packages`);
    const ours = modules.filter((url) => url.startsWith(ROOT.href)).map((url) => url.slice(ROOT.href.length));
    // The first node: module costs Deno its Node layer (~1× the floor): none on the way to the help.
    for (const path of ours) {
      const code = await Deno.readTextFile(new URL(path, ROOT));
      assert.doesNotMatch(code, /^import[^;]*["']node:/m, `${lang}: ${path} imports a node: built-in`);
    }
    const catalogs = ours.filter((path) => path.startsWith("src/i18n/catalogs/"));
    assert.ok(catalogs.length > 0, `${lang}: no catalog evaluated`);
    assert.deepEqual(catalogs.filter((path) => !path.startsWith(`src/i18n/catalogs/${lang}/`)), [], lang);
    // No command's module: every noun is a name and a description here.
    assert.deepEqual(
      ours.filter((path) => path.startsWith("src/cli/commands/") && path !== "src/cli/commands/nouns.ts"),
      [],
    );
  }
});

Deno.test("a failure while printing the help is reported as commander's run reports it", async () => {
  const logDir = await Deno.makeTempDir({ prefix: "epic-help-logs-" });
  const failing = (runner: typeof run) => {
    const io = testIo({ env: { ...LANGUAGES.fr, EPIC_EVENTS_LOG_DIR: logDir } });
    io.writeOut = () => {
      throw new InvalidInputError("stdout: refused");
    };
    return runner(["--help"], io).then((code) => ({ code, stderr: io.stderr }));
  };
  const quick = await failing(run);
  assert.deepEqual(quick, await failing(runProgram));
  assert.equal(quick.code, 2);
  await Deno.remove(logDir, { recursive: true });
});
