/**
 * Fails when an import runs up the layers of the program (DESIGN.md: "imports
 * only point down this picture; no cycles; nothing imports `src/cli`"). Run by
 * `deno task check`:
 *
 *     deno run --allow-read --allow-run tools/check_layers.ts [--root DIR]
 *
 * It reads the module graph with `deno info --json main.ts` (plus any module
 * of `src/` or `migrations/` that `main.ts` does not reach, such as a server
 * not wired in yet) and checks every import between two of our files, static
 * or dynamic, code or type-only:
 *
 * - the importing file's layer must rank above the imported file's (same
 *   layer is fine); skipping layers downwards is fine (`cli` → `db`);
 * - every file of the program belongs to a layer: a module of `tools/`,
 *   `bench/` or `tests/` (outside the picture) imported by the program is an
 *   error, as is a new folder of `src/` nobody placed in {@link LAYERS};
 * - no import cycle, even inside one layer.
 *
 * Imports of packages (`npm:`, `jsr:`, `node:`) are not ours and not checked.
 * @module
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** `root` as a `file:` URL ending with `/`, the prefix of its modules' specifiers. */
function toRootUrl(root: string): string {
  const url = pathToFileURL(root).href;
  return url.endsWith("/") ? url : `${url}/`;
}

/** One layer of the picture: the files under `paths` (folders end with `/`). */
export interface Layer {
  /** Short name used in messages. */
  name: string;
  /** Paths relative to the repository root: a file, or a folder ending with `/`. */
  paths: readonly string[];
  /** Higher ranks may import lower ones; equal ranks (other layers) may not import each other. */
  rank: number;
  /** Why it sits there. */
  note: string;
}

/**
 * The picture, top to bottom: main → cli → port → services → repositories →
 * db; domain at the very bottom imports nothing of ours. Cross-cutting
 * modules sit where what they import and who imports them put them.
 */
export const LAYERS: readonly Layer[] = [
  { name: "main", paths: ["main.ts"], rank: 8, note: "argv and exit code; the only importer of src/cli" },
  { name: "cli", paths: ["src/cli/"], rank: 7, note: "flags, prompts, output; nothing imports it but main" },
  { name: "server", paths: ["src/server/"], rank: 6, note: "HTTP handlers: may use the port and the services" },
  { name: "port", paths: ["src/port/"], rank: 5, note: "the use cases the commands call, and their local adapter" },
  {
    name: "observability",
    paths: ["src/observability/"],
    rank: 5,
    note: "logs and Sentry: implement the Reporter of src/domain/reporting.ts",
  },
  { name: "services", paths: ["src/services/"], rank: 4, note: "authorise, validate, transact" },
  { name: "repositories", paths: ["src/repositories/"], rank: 3, note: "the SQL, one module per table" },
  { name: "migrations", paths: ["migrations/"], rank: 3, note: "data the program embeds; given to the migrator" },
  { name: "security", paths: ["src/security/"], rank: 3, note: "passwords, tokens, token store" },
  { name: "backup format", paths: ["src/backup/"], rank: 3, note: "the backup file format" },
  { name: "calendar format", paths: ["src/calendar/"], rank: 3, note: "the iCalendar (RFC 5545) format" },
  { name: "import format", paths: ["src/import/"], rank: 3, note: "reading import files (CSV, JSON Lines)" },
  { name: "db", paths: ["src/db/"], rank: 2, note: "the Database interface, its adapters, the migrator" },
  { name: "config", paths: ["src/config.ts"], rank: 1, note: "settings read from the environment" },
  {
    name: "contract",
    paths: ["src/contract/"],
    rank: 1,
    note: "records, inputs and operations every layer derives from; imports only the domain",
  },
  {
    name: "i18n",
    paths: ["src/i18n/"],
    rank: 1,
    note: "the catalogs of messages people read, and the function that fills them; imports only the domain",
  },
  { name: "domain", paths: ["src/domain/"], rank: 0, note: "what every layer agrees on; imports nothing of ours" },
];

/**
 * Narrower rules inside a layer: files under `from` never import the named
 * layers, even though those rank lower (DESIGN.md: a command reaches the use
 * cases through a port, never the services or the database directly).
 */
export const FORBIDDEN: readonly { from: string; layers: readonly string[] }[] = [
  { from: "src/cli/commands/", layers: ["services", "repositories", "db", "migrations"] },
];

/** Folders outside the picture: they may import anything, and nothing of the program may import them. */
export const OUTSIDE: readonly string[] = ["tools/", "bench/", "tests/"];

/** The part of `deno info --json` this check reads. */
export interface ModuleGraph {
  modules: {
    specifier: string;
    dependencies?: {
      specifier: string;
      code?: { specifier?: string; span?: { start: { line: number } } };
      type?: { specifier?: string; span?: { start: { line: number } } };
      isDynamic?: boolean;
    }[];
  }[];
}

/** An import the picture does not allow. */
export interface Violation {
  /** The importing file, relative to the root. */
  from: string;
  /** 1-based line of the import, when known. */
  line?: number;
  /** The imported file, relative to the root (the first file of a cycle). */
  to: string;
  /** Why it is refused. */
  reason: string;
}

/** The layer of `path` (relative to the root, `/`-separated), or undefined. */
export function layerOf(path: string, layers: readonly Layer[] = LAYERS): Layer | undefined {
  return layers.find((layer) => layer.paths.some((p) => p.endsWith("/") ? path.startsWith(p) : path === p));
}

function isOutside(path: string): boolean {
  return OUTSIDE.some((folder) => path.startsWith(folder));
}

/** Every import between two files under `rootUrl`, by importing file, with its line. */
function localImports(graph: ModuleGraph, rootUrl: string): Map<string, { to: string; line?: number }[]> {
  const local = (specifier: string | undefined) =>
    specifier?.startsWith(rootUrl) ? specifier.slice(rootUrl.length) : undefined;
  const edges = new Map<string, { to: string; line?: number }[]>();
  for (const module of graph.modules) {
    const from = local(module.specifier);
    if (from === undefined) continue;
    const out = edges.get(from) ?? [];
    edges.set(from, out);
    for (const dependency of module.dependencies ?? []) {
      for (const resolved of [dependency.code, dependency.type]) {
        const to = local(resolved?.specifier);
        if (to === undefined || out.some((e) => e.to === to)) continue;
        const line = resolved?.span?.start.line;
        out.push({ to, line: line === undefined ? undefined : line + 1 });
      }
    }
  }
  return edges;
}

function allowedBelow(layer: Layer, layers: readonly Layer[]): string {
  const below = layers.filter((l) => l.rank < layer.rank).map((l) => l.name);
  return below.length === 0 ? "nothing of ours" : below.join(", ");
}

/** Import cycles among `edges`, each as the files in order (Tarjan's strongly connected components). */
function cycles(edges: Map<string, { to: string }[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const { to: w } of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfImport = (edges.get(v) ?? []).some((e) => e.to === v);
      if (component.length > 1 || selfImport) found.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * Checks a module graph against the layers.
 *
 * @param graph `deno info --json` output (several merged are fine)
 * @param rootUrl the repository root as a `file:` URL ending with `/`
 * @returns every violation, sorted by file and line; empty when the picture holds
 */
export function checkGraph(
  graph: ModuleGraph,
  rootUrl: string,
  layers: readonly Layer[] = LAYERS,
  forbidden: readonly { from: string; layers: readonly string[] }[] = FORBIDDEN,
): Violation[] {
  const edges = localImports(graph, rootUrl);
  const violations: Violation[] = [];
  for (const [from, imports] of edges) {
    if (isOutside(from)) continue;
    const source = layerOf(from, layers);
    if (source === undefined) {
      violations.push({ from, to: from, reason: "belongs to no layer: place it in LAYERS (tools/check_layers.ts)" });
      continue;
    }
    for (const { to, line } of imports) {
      const target = layerOf(to, layers);
      if (target === undefined) {
        const what = isOutside(to) ? "is outside the program (tools, bench, tests)" : "belongs to no layer";
        violations.push({ from, line, to, reason: `${source.name} imports a file that ${what}` });
      } else if (target !== source && target.rank >= source.rank) {
        violations.push({
          from,
          line,
          to,
          reason: `${source.name} → ${target.name} runs up the layers (${source.name} may import: ${
            allowedBelow(source, layers)
          })`,
        });
      } else {
        const rule = forbidden.find((r) => from.startsWith(r.from) && r.layers.includes(target.name));
        if (rule) {
          violations.push({ from, line, to, reason: `${rule.from} never imports ${target.name}: go through a port` });
        }
      }
    }
  }
  const program = new Map([...edges].filter(([from]) => !isOutside(from)));
  for (const cycle of cycles(program)) {
    violations.push({ from: cycle[0], to: cycle[0], reason: `import cycle: ${cycle.join(" → ")}` });
  }
  return violations.sort((a, b) => a.from.localeCompare(b.from) || (a.line ?? 0) - (b.line ?? 0));
}

/** `deno info --json FILE` run in `root`. */
async function denoInfo(root: string, file: string): Promise<ModuleGraph> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`deno info --json ${file} failed:\n${new TextDecoder().decode(output.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

/** The `.ts` files under `dir` (relative to `root`), recursively. */
async function sources(root: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(resolve(root, dir))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) found.push(...await sources(root, path));
      else if (entry.isFile && entry.name.endsWith(".ts")) found.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found;
}

/**
 * The module graph of the program under `root`: from `main.ts`, plus every
 * module of `src/` and `migrations/` that it does not reach.
 */
export async function programGraph(root: string): Promise<ModuleGraph> {
  const rootUrl = toRootUrl(root);
  const graph = await denoInfo(root, "main.ts");
  const seen = new Set(graph.modules.map((m) => m.specifier));
  for (const file of [...await sources(root, "src"), ...await sources(root, "migrations")].sort()) {
    if (seen.has(rootUrl + file)) continue;
    const more = await denoInfo(root, file);
    for (const module of more.modules) {
      if (seen.has(module.specifier)) continue;
      seen.add(module.specifier);
      graph.modules.push(module);
    }
  }
  return graph;
}

/** Checks the program under `root` (default: this repository); prints violations. Returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { root: { type: "string" } } });
  const root = resolve(values.root ?? fileURLToPath(new URL("..", import.meta.url)));
  const graph = await programGraph(root);
  const violations = checkGraph(graph, toRootUrl(root));
  for (const v of violations) {
    const at = v.line === undefined ? v.from : `${v.from}:${v.line}`;
    console.error(v.to === v.from ? `${at}: ${v.reason}` : `${at}: imports ${v.to}: ${v.reason}`);
  }
  if (violations.length > 0) {
    console.error(
      `check_layers: ${violations.length} import(s) break the layers of ${root}`,
    );
    return 1;
  }
  const files = graph.modules.filter((m) => m.specifier.startsWith(toRootUrl(root))).length;
  console.log(`check_layers: ${files} modules, every import points down the layers`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
