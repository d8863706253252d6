/**
 * Bar charts (`src/cli/output/charts.ts`): scaled to the largest value within the
 * width, eighth blocks on a terminal, `#` under `NO_COLOR` or `TERM=dumb`.
 * @module
 */
import assert from "node:assert/strict";
import { bar, bars, barStyle, barWidth } from "../../src/cli/output/charts.ts";

Deno.test("bar: blocks to the nearest eighth of a cell, never wider than the width", () => {
  const blocks = { width: 10, style: "blocks" as const };
  assert.equal(bar(100, 100, blocks), "██████████");
  assert.equal(bar(50, 100, blocks), "█████");
  assert.equal(bar(1, 16, blocks), "▋"); // 10 cells × 8 / 16 = 5 eighths
  assert.equal(bar(1, 20, blocks), "▌"); // 4 eighths: half a cell
  assert.equal(bar(33, 100, blocks), "███▎"); // 26.4 eighths → 26: 3 cells and 2 eighths
  assert.equal(bar(250, 100, blocks), "██████████", "a value above the maximum is clipped");
  assert.equal(bar(1n, 1_000_000n, blocks), "▏", "a little is never nothing");
  for (
    const zero of [bar(0, 100, blocks), bar(5, 0, blocks), bar(-3, 100, blocks), bar(5, 100, { ...blocks, width: 0 })]
  ) {
    assert.equal(zero, "");
  }
});

Deno.test("bar: plain # to the nearest cell", () => {
  const plain = { width: 8, style: "plain" as const };
  assert.equal(bar(100, 100, plain), "########");
  assert.equal(bar(50, 100, plain), "####");
  assert.equal(bar(1, 1000, plain), "#");
  assert.equal(bar(0, 1000, plain), "");
  assert.doesNotMatch(bar(37, 100, plain), /[^#]/);
});

Deno.test("bars: one column scaled to its largest value, padded to the width", () => {
  const column = bars([10, 5, 0, 20n], { width: 4, style: "blocks" });
  assert.deepEqual(column, ["██  ", "█   ", "    ", "████"]);
  assert.ok(column.every((cell) => cell.length === 4));
  assert.deepEqual(bars([], { width: 4, style: "plain" }), []);
  assert.deepEqual(bars([0, 0], { width: 3, style: "plain" }), ["   ", "   "]);
});

Deno.test("barStyle: plain under NO_COLOR (not empty) or TERM=dumb", () => {
  assert.equal(barStyle({}), "blocks");
  assert.equal(barStyle({ TERM: "xterm-256color" }), "blocks");
  assert.equal(barStyle({ NO_COLOR: "" }), "blocks");
  assert.equal(barStyle({ NO_COLOR: "1" }), "plain");
  assert.equal(barStyle({ TERM: "dumb" }), "plain");
});

Deno.test("barWidth: what the terminal leaves, within bounds", () => {
  assert.equal(barWidth(120, 40), 60);
  assert.equal(barWidth(80, 40), 40);
  assert.equal(barWidth(40, 38), 10);
  assert.equal(barWidth(200, 10, { max: 100 }), 100);
});
