/**
 * The release binaries, as `.github/workflows/release.yml` builds them on a
 * tag: one `deno compile --target` per platform, with exactly the permissions
 * and V8 flags of `deno task compile`, then a `SHA256SUMS` file that
 * `install.sh` checks every download against.
 *
 *     deno run -A tools/release.ts build --target x86_64-unknown-linux-gnu --outdir dist/release
 *     deno run -A tools/release.ts build --target … --dry-run     # print the command only
 *     deno run -A tools/release.ts sums dist/release              # writes dist/release/SHA256SUMS
 *
 * The asset names are made here and nowhere else in TypeScript: install.sh
 * spells the same names (tests/install/install_sh_test.ts checks that they
 * agree, for every target of the workflow).
 * @module
 */
import { parseArgs } from "node:util";
import { basename, join, resolve } from "node:path";

/** The targets a release carries (`deno compile --target` names). */
export const TARGETS: readonly string[] = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

/** Name of the file listing every asset's SHA-256, in `sha256sum` format. */
export const SUMS_FILE = "SHA256SUMS";

/** The release asset of `target`: `epic-events-<target>`, with `.exe` for Windows. */
export function assetName(target: string): string {
  if (!TARGETS.includes(target)) throw new Error(`unknown target "${target}": one of ${TARGETS.join(", ")}`);
  return `epic-events-${target}${target.includes("windows") ? ".exe" : ""}`;
}

const ROOT = resolve(import.meta.dirname!, "..");

/** The arguments of `deno task compile`, as a list (without `deno`). */
export async function compileTaskArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const [deno, ...args] = String(config.tasks.compile).trim().split(/\s+/);
  if (deno !== "deno" || args[0] !== "compile") throw new Error("deno.json: the compile task is not `deno compile …`");
  return args;
}

/**
 * `deno compile` for `target` into `outdir`: the compile task's arguments with
 * its `--output` replaced and `--target` added before the entry point.
 */
export async function compileArgs(target: string, outdir: string): Promise<string[]> {
  const args = await compileTaskArgs();
  const output = args.indexOf("--output");
  if (output < 0) throw new Error("deno.json: the compile task has no --output");
  args.splice(output, 2);
  const entry = args.pop()!;
  return [...args, "--target", target, "--output", join(outdir, assetName(target)), entry];
}

/** Lines of a `SHA256SUMS` file for `files` (`<hex>  <name>`, sorted by name). */
export async function sumsOf(files: string[]): Promise<string> {
  const lines: string[] = [];
  for (const file of [...files].sort((a, b) => basename(a).localeCompare(basename(b)))) {
    const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(file));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    lines.push(`${hex}  ${basename(file)}\n`);
  }
  return lines.join("");
}

/** Writes `dir/SHA256SUMS` for every other file of `dir`; returns its text. */
export async function writeSums(dir: string): Promise<string> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name !== SUMS_FILE) files.push(join(dir, entry.name));
  }
  const text = await sumsOf(files);
  await Deno.writeTextFile(join(dir, SUMS_FILE), text);
  return text;
}

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      target: { type: "string" },
      outdir: { type: "string", default: "dist/release" },
      "dry-run": { type: "boolean" },
    },
  });
  const [command, dir] = positionals;
  if (command === "build" && values.target) {
    const args = await compileArgs(values.target, values.outdir);
    console.log(["deno", ...args].join(" "));
    if (!values["dry-run"]) {
      await Deno.mkdir(values.outdir, { recursive: true });
      const { code } = await new Deno.Command(Deno.execPath(), {
        args,
        cwd: ROOT,
        stdout: "inherit",
        stderr: "inherit",
      })
        .output();
      Deno.exit(code);
    }
  } else if (command === "sums" && dir) {
    Deno.stdout.writeSync(new TextEncoder().encode(await writeSums(dir)));
  } else {
    console.error("usage: release.ts build --target TARGET [--outdir DIR] [--dry-run] | release.ts sums DIR");
    Deno.exit(2);
  }
}
