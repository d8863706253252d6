/**
 * The lint plugin of `deno task check` (tools/lint/i18n_plugin.ts) finds
 * English prose written in the code instead of the catalogs, and lets the
 * rest through: keys given to `t`, imports, property keys, marked lines, and
 * outside error constructions in the services.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const CONFIG = join(import.meta.dirname!, "..", "..", "tools", "lint", "i18n.json");

async function lint(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir();
  try {
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(join(dir, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, path), text);
    }
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["lint", "--config", CONFIG, join(dir, "src")],
      env: { NO_COLOR: "1" },
    }).output();
    return { code, out: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("English prose in src/cli and in a service's error is reported, with its file and line", async () => {
  const { code, out } = await lint({
    "src/cli/commands/x.ts": 'export const done = "Client created successfully";\n',
    "src/services/y.ts": 'export function f() {\n  throw new RangeError("this is not allowed here");\n}\n',
  });
  assert.equal(code, 1, out);
  assert.match(out, /no-english-literal.*"Client created successfully"/);
  assert.match(out, /src\/cli\/commands\/x\.ts:1/);
  assert.match(out, /no-english-literal.*"this is not allowed here"/);
  assert.match(out, /src\/services\/y\.ts:2/);
  assert.match(out, /Found 2 problems/);
});

Deno.test("keys, imports, property keys, marked lines and a service's other strings pass", async () => {
  const { code, out } = await lint({
    "src/cli/commands/x.ts": [
      'import { t } from "../../i18n/mod.ts";',
      'export const a = t("cli.client created");',
      'export const b = { "some key here": 1 };',
      'export const c = "listening on it"; // i18n-ignore: machine output',
      "",
    ].join("\n"),
    "src/services/y.ts": 'export const sql = "SELECT id FROM clients WHERE id = $1";\n',
  });
  assert.equal(code, 0, out);
});
