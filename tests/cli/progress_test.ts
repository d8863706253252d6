/**
 * The progress bar: only on a terminal, never under TERM=dumb, no colour
 * under NO_COLOR, redrawn at most every 100 ms, fitting the width, and its
 * line cleared at the end.
 * @module
 */
import assert from "node:assert/strict";
import { progressBar, type ProgressOptions } from "../../src/cli/output/progress.ts";
import { useLanguage } from "../../src/i18n/mod.ts";

await useLanguage("en");

function drawn(
  options: Partial<ProgressOptions>,
  steps: (bar: ReturnType<typeof progressBar>, tick: (ms: number) => void) => void,
) {
  let time = 0;
  const out: string[] = [];
  const bar = progressBar({
    write: (text) => out.push(text),
    isTerminal: true,
    env: {},
    label: "Importing clients",
    now: () => time,
    ...options,
  });
  steps(bar, (ms) => time += ms);
  return out;
}

const visible = (text: string) => text.replace(new RegExp("\u001b\\[[0-9;]*m", "g"), "").replace(/^\r/, "");

Deno.test("nothing is drawn off a terminal or on a dumb one", () => {
  for (const options of [{ isTerminal: false }, { env: { TERM: "dumb" } }]) {
    const out = drawn(options, (bar) => {
      bar.update(5, 10);
      bar.done();
    });
    assert.deepEqual(out, []);
  }
});

Deno.test("a bar with its share and numbers, in colour unless NO_COLOR, fitting the terminal", () => {
  const [colour] = drawn({ columns: 60, unit: "bytes" }, (bar) => bar.update(5_000_000, 9_700_000));
  assert.ok(colour.includes("\x1b[32m"), colour);
  assert.equal(visible(colour).length <= 59, true, visible(colour));
  assert.match(visible(colour), /^Importing clients █+░+ {2}51% 5\.0\/9\.7 MB$/);
  const [plain] = drawn({ columns: 60, env: { NO_COLOR: "1" } }, (bar) => bar.update(3, 4));
  assert.ok(!plain.includes("\x1b"), plain);
  assert.match(plain, /^\rImporting clients █+░+ {2}75% 3\/4$/);
  const [count] = drawn({}, (bar) => bar.update(1234));
  assert.equal(count, "\rImporting clients… 1,234");
});

Deno.test("numbers and sizes as the language in use writes them", async () => {
  await useLanguage("fr");
  try {
    const [bytes] = drawn({ columns: 60, unit: "bytes", env: { NO_COLOR: "1" } }, (bar) => bar.update(5e6, 9.7e6));
    assert.match(bytes, / 51% 5,0\/9,7 Mo$/);
    const [count] = drawn({}, (bar) => bar.update(1234));
    assert.equal(count, "\rImporting clients… 1\u202f234");
  } finally {
    await useLanguage("en");
  }
});

Deno.test("redrawn at most every 100 ms and only when the text changes; done clears the line once", () => {
  const out = drawn({ env: { NO_COLOR: "1" } }, (bar, tick) => {
    bar.update(1, 100);
    bar.update(50, 100); // too soon
    tick(100);
    bar.update(1, 100); // same text
    tick(100);
    bar.update(99, 100);
    bar.done();
    bar.done();
    bar.update(100, 100); // over
  });
  assert.equal(out.length, 3);
  assert.match(out[0], / {2}1% 1\/100$/);
  assert.match(out[1], / 99% 99\/100$/);
  assert.match(out[2], /^\r +\r$/);
});
