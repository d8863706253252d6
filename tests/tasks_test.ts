/**
 * The program runs with the same V8 flags however it is started from this
 * repository (`deno task start`) or shipped (`deno task compile` embeds them):
 * docs/performance.md gives the memory they keep a full export in.
 * @module
 */
import assert from "node:assert/strict";

const tasks = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url))).tasks as Record<
  string,
  string
>;

function v8Flags(task: string): string[] {
  return tasks[task].split(/\s+/).filter((arg) => arg.startsWith("--v8-flags="));
}

Deno.test("deno task start and deno task compile give the program the same V8 flags", () => {
  assert.deepEqual(v8Flags("start"), ["--v8-flags=--max-semi-space-size=8,--heap-growing-percent=50"]);
  assert.deepEqual(v8Flags("compile"), v8Flags("start"));
});

Deno.test("the V8 flags are ones this Deno knows (an unknown flag would stop every run)", async () => {
  const [flag] = v8Flags("start");
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["eval", flag, "console.log('ok')"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(result.stderr);
  assert.equal(result.code, 0, err);
  assert.equal(new TextDecoder().decode(result.stdout), "ok\n");
});
