/**
 * Builds the shipped JavaScript artifact: `deno bundle` with code splitting,
 * so that every package the program imports lazily (postgres.js, Sentry,
 * string-width, @inquirer/prompts, jose, hash-wasm, LogTape) stays in a chunk of
 * its own that is read and evaluated only when a command needs it. Without
 * splitting, the bundler inlines dynamic imports and every start parses all
 * of them. A `deno.json` beside the entry turns on Deno's
 * `lazy-dynamic-imports` as the repository's does: without it, `deno run`
 * reads and parses every chunk any `import()` names before the first line
 * runs (`--version` of the bundle went from ~1.8× to ~1.3× Deno's floor).
 *
 *     deno task bundle                      # dist/epic-events.js + dist/*.js chunks
 *     deno run -A tools/bundle.ts --outdir /tmp/x
 *
 * The entry is `epic-events.js`; the chunks sit beside it and are imported by
 * relative path, so the folder is self-contained: copy all of it, then
 * `deno run -A epic-events.js …` (Deno finds the `deno.json` beside the entry
 * from any working directory). Earlier `.js` files of the folder are
 * removed first (chunk names carry a content hash).
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";

/** File name of the entry point in the output folder. */
export const ENTRY = "epic-events.js";

/**
 * The configuration written beside the entry: lazily loaded dynamic imports
 * (the chunks are read when imported, not all at start), and no lock file
 * (the bundle imports nothing from a registry).
 */
export const BUNDLE_CONFIG = { unstable: ["lazy-dynamic-imports"], lock: false };

/** What a build produced. */
export interface BundleResult {
  outdir: string;
  /** The entry point's path. */
  entry: string;
  /** Every file written (the entry first), with its size in bytes. */
  files: { name: string; bytes: number }[];
}

/** Relative imports of a chunk: static (`import … from "./x.js"`) and dynamic (`import("./x.js")`). */
export function chunkImports(code: string): { static: string[]; dynamic: string[] } {
  const statics = new Set<string>();
  const dynamics = new Set<string>();
  for (const m of code.matchAll(/(?:^|[\s;}])(?:import|export)\s*(?:[\w$*{}\s,]*?\sfrom\s*)?["'](\.\/[^"']+)["']/g)) {
    statics.add(m[1]);
  }
  for (const m of code.matchAll(/\bimport\s*\(\s*["'](\.\/[^"']+)["']\s*\)/g)) dynamics.add(m[1]);
  return { static: [...statics], dynamic: [...dynamics] };
}

/**
 * The files of `dir` that evaluating `entry` loads before any dynamic import:
 * the entry and its static imports, transitively.
 */
export async function staticClosure(dir: string, entry: string = ENTRY): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const imports = chunkImports(await Deno.readTextFile(join(dir, name)));
    for (const spec of imports.static) queue.push(spec.replace(/^\.\//, ""));
  }
  return [...seen];
}

/**
 * esbuild's runtime helpers (one chunk, which the entry imports for its side
 * effects) create `require` at once for the CommonJS packages' `require()`
 * calls, with a static import of `node:module`: the first `node:` built-in a
 * Deno process loads costs it its Node compatibility layer (~25 ms, more than
 * the whole of `--help` without it). Made lazy, that `require` is created
 * when a CommonJS package first calls it, from the same `node:module`.
 */
const EAGER_REQUIRE = 'import { createRequire as __deno_internal_createRequire } from "node:module";\n' +
  "var __require = __deno_internal_createRequire(import.meta.url);";
const LAZY_REQUIRE = "var __deno_internal_require;\n" +
  "var __require = (id) => (__deno_internal_require ??= " +
  'globalThis.process.getBuiltinModule("node:module").createRequire(import.meta.url))(id);';

/**
 * `code` with esbuild's eager `require` made lazy (see {@link EAGER_REQUIRE});
 * throws when `code` loads `node:module` some other way, so that a new
 * esbuild's helpers are noticed, not silently slower.
 */
export function lazyRequire(code: string): string {
  const lazy = code.replace(EAGER_REQUIRE, LAZY_REQUIRE);
  if (lazy.includes('"node:module"') && lazy.includes("__deno_internal_createRequire")) {
    throw new Error("esbuild's runtime helpers changed: update EAGER_REQUIRE in tools/bundle.ts");
  }
  return lazy;
}

/** Bundles `main.ts` (of this repository) into `outdir`. */
export async function bundle(outdir: string, options: { quiet?: boolean } = {}): Promise<BundleResult> {
  const root = resolve(import.meta.dirname!, "..");
  const target = resolve(outdir);
  const staging = await Deno.makeTempDir({ prefix: "epic-bundle-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "deno", "--code-splitting", "--outdir", staging, "main.ts"],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const log = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    if (!out.success) throw new Error(`deno bundle failed:\n${log}`);
    if (!options.quiet) {
      // Keep the bundler's errors and warnings, not its per-file listing.
      const warnings = log.split("\n").filter((line) => /warning|error/i.test(line));
      if (warnings.length) console.error(warnings.join("\n"));
    }
    const names: string[] = [];
    for await (const entry of Deno.readDir(staging)) if (entry.isFile) names.push(entry.name);
    if (!names.includes("main.js")) throw new Error(`deno bundle wrote no main.js (got ${names.join(", ")})`);
    // The entry is renamed: nothing may import it by its old name.
    for (const name of names) {
      const imports = chunkImports(await Deno.readTextFile(join(staging, name)));
      if ([...imports.static, ...imports.dynamic].includes("./main.js")) {
        throw new Error(`${name} imports the entry ./main.js; it cannot be renamed`);
      }
    }
    await Deno.mkdir(target, { recursive: true });
    for await (const entry of Deno.readDir(target)) {
      if (entry.isFile && entry.name.endsWith(".js")) await Deno.remove(join(target, entry.name));
    }
    const files: BundleResult["files"] = [];
    for (const name of ["main.js", ...names.filter((n) => n !== "main.js").sort()]) {
      const finalName = name === "main.js" ? ENTRY : name;
      const text = lazyRequire(await Deno.readTextFile(join(staging, name)));
      await Deno.writeTextFile(join(target, finalName), text);
      files.push({ name: finalName, bytes: new TextEncoder().encode(text).length });
    }
    const config = JSON.stringify(BUNDLE_CONFIG, null, 2) + "\n";
    await Deno.writeTextFile(join(target, "deno.json"), config);
    files.push({ name: "deno.json", bytes: new TextEncoder().encode(config).length });
    return { outdir: target, entry: join(target, ENTRY), files };
  } finally {
    await Deno.remove(staging, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { outdir: { type: "string" } }, strict: true });
  try {
    const result = await bundle(values.outdir ?? "dist");
    const eager = new Set(await staticClosure(result.outdir));
    const kb = (files: BundleResult["files"]) => `${(files.reduce((sum, f) => sum + f.bytes, 0) / 1024).toFixed(0)} KB`;
    const atStart = result.files.filter((f) => eager.has(f.name));
    const onDemand = result.files.filter((f) => !eager.has(f.name) && f.name.endsWith(".js"));
    console.error(
      `bundled ${result.entry}: ${atStart.length} file(s) loaded at start (${kb(atStart)}), ` +
        `${onDemand.length} chunk(s) loaded on demand (${kb(onDemand)})`,
    );
  } catch (error) {
    console.error(`bundle: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
