/**
 * The layer check of `deno task check` (`tools/check_layers.ts`): it refuses
 * an import that runs up the layers, a cycle, and a file outside the picture,
 * both on synthetic graphs and on a small project on disk; this repository
 * passes it.
 * @module
 */
import assert from "node:assert/strict";
import { checkGraph, layerOf, type ModuleGraph } from "../../tools/check_layers.ts";

const ROOT = "file:///repo/";

/** A `deno info --json`-shaped graph: each file with the files it imports (`type:` prefix: type-only). */
function graph(files: Record<string, string[]>): ModuleGraph {
  return {
    modules: [
      ...Object.entries(files).map(([file, imports]) => ({
        specifier: ROOT + file,
        dependencies: imports.map((target, i) => {
          const typeOnly = target.startsWith("type:");
          const name = typeOnly ? target.slice(5) : target;
          const specifier = /^[a-z]+:/.test(name) ? name : ROOT + name;
          const resolved = { specifier, span: { start: { line: i } } };
          return typeOnly ? { specifier: name, type: resolved } : { specifier: name, code: resolved };
        }),
      })),
      { specifier: "npm:/zod@4.6.7" },
    ],
  };
}

/** What the check says, as `from:line → to` lines. */
function check(files: Record<string, string[]>): string[] {
  return checkGraph(graph(files), ROOT).map((v) => `${v.from}:${v.line ?? "-"} → ${v.to}`);
}

/** The program as it is meant to be: every import points down. */
const GOOD: Record<string, string[]> = {
  "main.ts": ["src/cli/run.ts"],
  "src/cli/run.ts": ["src/port/local.ts", "src/observability/logger.ts", "src/db/connect.ts", "npm:commander"],
  "src/port/local.ts": ["src/services/clients.ts", "type:src/port/crm.ts"],
  "src/port/crm.ts": ["type:src/domain/roles.ts"],
  "src/server/mod.ts": ["src/port/crm.ts", "src/services/clients.ts"],
  "src/observability/logger.ts": ["type:src/services/context.ts", "src/security/scrub.ts"],
  "src/services/clients.ts": ["src/repositories/clients.ts", "migrations/mod.ts", "src/security/passwords.ts"],
  "src/services/context.ts": ["type:src/db/database.ts"],
  "src/repositories/clients.ts": ["src/db/database.ts", "src/domain/errors.ts"],
  "migrations/mod.ts": ["migrations/0001_initial.ts"],
  "migrations/0001_initial.ts": ["type:src/db/migration.ts"],
  "src/db/migration.ts": ["type:src/db/database.ts"],
  "src/db/connect.ts": ["src/config.ts", "src/db/database.ts"],
  "src/db/database.ts": ["src/domain/errors.ts", "node:crypto"],
  "src/config.ts": ["src/domain/errors.ts"],
  "src/domain/errors.ts": [],
  "src/domain/roles.ts": [],
  "src/security/passwords.ts": ["src/config.ts", "npm:hash-wasm"],
  "src/security/scrub.ts": [],
  "tools/seed.ts": ["src/services/clients.ts", "src/cli/run.ts"],
  "tests/cli/run_test.ts": ["src/cli/run.ts", "tests/support/cli.ts"],
  "tests/support/cli.ts": ["src/cli/run.ts"],
};

Deno.test("a program whose imports all point down passes; tools, bench and tests are outside the picture", () => {
  // (The graph's "migrations/mod.ts" is not under the root: like a package, it is not ours.)
  assert.deepEqual(check(GOOD), []);
});

Deno.test("an import up the layers is refused, naming the file, the line and the rule", () => {
  const refused: [from: string, to: string][] = [
    ["src/db/migrator.ts", "migrations/mod.ts"], // the old db ↔ migrations knot
    ["src/domain/policy.ts", "src/db/database.ts"], // domain imports nothing of ours
    ["src/domain/roles.ts", "src/config.ts"],
    ["src/services/clients.ts", "src/cli/run.ts"], // nothing imports src/cli …
    ["src/server/mod.ts", "src/cli/run.ts"], // … not even the server
    ["src/port/local.ts", "src/cli/run.ts"],
    ["src/repositories/clients.ts", "src/services/clients.ts"],
    ["src/repositories/clients.ts", "migrations/mod.ts"], // equal ranks, other layers
    ["src/services/clients.ts", "src/port/crm.ts"],
    ["src/services/clients.ts", "src/observability/logger.ts"],
    ["src/port/local.ts", "src/server/mod.ts"],
    ["src/db/database.ts", "src/repositories/clients.ts"],
    ["migrations/0001_initial.ts", "src/repositories/clients.ts"],
  ];
  for (const [from, to] of refused) {
    // (Some of these also close an import cycle, reported on its own.)
    const violations = checkGraph(graph({ ...GOOD, [from]: [...(GOOD[from] ?? []), to] }), ROOT)
      .filter((v) => !v.reason.startsWith("import cycle"));
    assert.equal(violations.length, 1, `${from} → ${to}: ${JSON.stringify(violations)}`);
    const [v] = violations;
    assert.equal(v.from, from);
    assert.equal(v.to, to);
    assert.equal(v.line, (GOOD[from] ?? []).length + 1, "1-based line of the import");
    assert.match(v.reason, /runs up the layers \(.+ may import: /, `${from} → ${to}`);
  }
  const [domain] = checkGraph(graph({ ...GOOD, "src/domain/roles.ts": ["src/config.ts"] }), ROOT);
  assert.equal(domain.reason, "domain → config runs up the layers (domain may import: nothing of ours)");
});

Deno.test("type-only and dynamic imports count like any other", () => {
  assert.deepEqual(check({ ...GOOD, "src/domain/roles.ts": ["type:src/services/context.ts"] }), [
    "src/domain/roles.ts:1 → src/services/context.ts",
  ]);
  const dynamic = graph(GOOD);
  dynamic.modules.find((m) => m.specifier === `${ROOT}src/db/connect.ts`)!.dependencies!.push({
    specifier: "../port/crm.ts",
    code: { specifier: `${ROOT}src/port/crm.ts`, span: { start: { line: 41 } } },
    isDynamic: true,
  });
  assert.deepEqual(checkGraph(dynamic, ROOT).map((v) => `${v.from}:${v.line}`), ["src/db/connect.ts:42"]);
});

Deno.test("the program may not import tools, bench or tests, nor a file of no layer", () => {
  assert.deepEqual(check({ ...GOOD, "src/services/clients.ts": ["tools/seed.ts"] }), [
    "src/services/clients.ts:1 → tools/seed.ts",
  ]);
  assert.match(
    checkGraph(graph({ ...GOOD, "src/cli/run.ts": ["tests/support/cli.ts"] }), ROOT)[0].reason,
    /outside the program/,
  );
  const unplaced = checkGraph(graph({ ...GOOD, "src/cli/run.ts": ["src/plugins/x.ts"], "src/plugins/x.ts": [] }), ROOT);
  assert.deepEqual(unplaced.map((v) => [v.from, v.reason]), [
    ["src/cli/run.ts", "cli imports a file that belongs to no layer"],
    ["src/plugins/x.ts", "belongs to no layer: place it in LAYERS (tools/check_layers.ts)"],
  ]);
});

Deno.test("an import cycle is refused, even inside one layer", () => {
  const violations = checkGraph(
    graph({
      ...GOOD,
      "src/cli/a.ts": ["src/cli/b.ts"],
      "src/cli/b.ts": ["src/cli/c.ts"],
      "src/cli/c.ts": ["src/cli/a.ts"],
    }),
    ROOT,
  );
  assert.deepEqual(violations.map((v) => v.reason), ["import cycle: src/cli/a.ts → src/cli/b.ts → src/cli/c.ts"]);
});

Deno.test("every folder of the program has a layer", () => {
  for (const path of ["main.ts", "src/cli/x.ts", "src/server/x.ts", "migrations/0001.ts", "src/config.ts"]) {
    assert.ok(layerOf(path), path);
  }
  assert.equal(layerOf("src/configuration.ts"), undefined, "a file path is matched exactly");
  assert.equal(layerOf("tools/seed.ts"), undefined);
});

/** Runs the check as `deno task check` does, on `root`. */
async function runCheck(root?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = new URL("../../tools/check_layers.ts", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-run", script, ...(root ? ["--root", root] : [])],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

Deno.test("on a small project on disk: deno info's graph, a module main.ts does not reach, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "layers-" });
  try {
    const write = async (path: string, text: string) => {
      await Deno.mkdir(`${dir}/${path.split("/").slice(0, -1).join("/")}`, { recursive: true });
      await Deno.writeTextFile(`${dir}/${path}`, text);
    };
    await write("main.ts", 'import { run } from "./src/cli/run.ts";\nrun();\n');
    await write("src/cli/run.ts", 'import { ROLES } from "../domain/roles.ts";\nexport function run() { ROLES; }\n');
    await write(
      "src/domain/roles.ts",
      'import type { Database } from "../db/database.ts";\nexport const ROLES = [];\n',
    );
    await write("src/db/database.ts", "export interface Database {}\n");
    // Not reached from main.ts, and importing the CLI.
    await write("src/server/mod.ts", '\n\nimport { run } from "../cli/run.ts";\nrun();\n');
    const result = await runCheck(dir);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stderr.trim().split("\n");
    assert.deepEqual(lines.slice(0, -1), [
      "src/domain/roles.ts:1: imports src/db/database.ts: domain → db runs up the layers (domain may import: nothing of ours)",
      "src/server/mod.ts:3: imports src/cli/run.ts: server → cli runs up the layers (server may import: port, observability, services, repositories, migrations, security, backup format, calendar format, import format, db, config, contract, i18n, domain)",
    ]);
    assert.match(lines.at(-1)!, /^check_layers: 2 import\(s\) break the layers of /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("this repository keeps its layers", async () => {
  const result = await runCheck();
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /every import points down the layers/);
});

Deno.test("a command that imports a service or the database directly is refused: commands go through a port", () => {
  const files = {
    ...GOOD,
    "src/cli/run.ts": [...GOOD["src/cli/run.ts"], "src/cli/commands/client/list.ts"],
    "src/cli/commands/client/list.ts": ["type:src/port/crm.ts", "src/services/clients.ts", "src/db/database.ts"],
  };
  assert.deepEqual(check(files), [
    "src/cli/commands/client/list.ts:2 → src/services/clients.ts",
    "src/cli/commands/client/list.ts:3 → src/db/database.ts",
  ]);
  assert.deepEqual(check({ ...files, "src/cli/commands/client/list.ts": ["type:src/port/crm.ts"] }), []);
});
