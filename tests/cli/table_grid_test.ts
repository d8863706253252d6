/** The grid of terminal tables: display widths, shortening, wrapping and fitting (src/cli/output/table.ts). */
import assert from "node:assert/strict";
import { displayWidth, fitWidths, renderGrid, shorten, wrap } from "../../src/cli/output/table.ts";

Deno.test("display width: wide characters and emoji take two columns, combining marks none", () => {
  assert.equal(displayWidth("Kate"), 4);
  assert.equal(displayWidth("山田太郎"), 8);
  assert.equal(displayWidth("e\u0301te\u0301"), 3);
  assert.equal(displayWidth("🎉"), 2);
  assert.equal(displayWidth("👨‍👩‍👧"), 2);
  assert.equal(displayWidth("1\u202f500,00\u00a0€"), 10);
});

Deno.test("shorten: whole characters then …, never wider than asked", () => {
  assert.equal(shorten("Kate Hastroff", 20), "Kate Hastroff");
  assert.equal(shorten("Kate Hastroff", 8), "Kate Ha…");
  assert.equal(shorten("Kate Hastroff", 6), "Kate…", "no space before …");
  assert.equal(shorten("山田太郎", 6), "山田…");
  assert.equal(shorten("山田太郎", 5), "山田…");
  assert.equal(shorten("e\u0301e\u0301e\u0301e\u0301", 3), "e\u0301e\u0301…", "an accent stays with its letter");
  assert.equal(shorten("👨‍👩‍👧👨‍👩‍👧", 3), "👨‍👩‍👧…", "an emoji sequence is never cut");
  assert.equal(shorten("abc", 1), "…");
  for (const text of ["山田太郎🎉 Ōkubo", "a👍🏽b", "x".repeat(50)]) {
    for (let width = 1; width < 20; width++) assert.ok(displayWidth(shorten(text, width)) <= width, `${text} ${width}`);
  }
});

Deno.test("wrap: at spaces, long words cut, every character kept", () => {
  assert.deepEqual(wrap("vegan menu for twelve", 10), ["vegan menu", "for twelve"]);
  assert.deepEqual(wrap("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
  assert.deepEqual(wrap("山田太郎山田", 5), ["山田", "太郎", "山田"]);
  assert.deepEqual(wrap("short", 10), ["short"]);
});

Deno.test("fitWidths: the widest text columns are cut first; fixed ones never; undefined when impossible", () => {
  // Borders of 3 columns: 10. Room 40 - 10 - 5 (fixed) = 25 for two text columns of 30 and 10.
  assert.deepEqual(fitWidths([5, 30, 10], [false, true, true], 40, 8), [5, 15, 10]);
  assert.deepEqual(fitWidths([5, 30, 30], [false, true, true], 40, 8), [5, 13, 12]);
  assert.deepEqual(fitWidths([5, 3, 4], [false, true, true], 40, 8), [5, 3, 4]);
  assert.equal(fitWidths([30, 30], [false, false], 40, 8), undefined);
  assert.equal(fitWidths([20, 30, 30], [false, true, true], 40, 8), undefined);
});

Deno.test("renderGrid: columns hidden from the right, never the first; amounts right-aligned", () => {
  const columns = [
    { head: "ID" },
    { head: "NAME", shrink: true },
    { head: "TOTAL", align: "right" as const },
    { head: "START" },
  ];
  const rows = [["1", "Kate Hastroff", "€1,500.00", "2027-06-04 18:00 CEST"], [
    "22",
    "Li",
    "€5.00",
    "2027-06-05 09:00 CEST",
  ]];
  const full = renderGrid(columns, rows, { color: false });
  assert.deepEqual(full.hidden, []);
  assert.ok(full.text.includes("│ 22 │ Li            │     €5.00 │ 2027-06-05 09:00 CEST │"), full.text);
  const narrow = renderGrid(columns, rows, { width: 40, color: false });
  assert.deepEqual(narrow.hidden, ["START"]);
  assert.ok(narrow.text.split("\n").every((line) => displayWidth(line) <= 40), narrow.text);
  const named = renderGrid(columns.map((c) => c.head === "TOTAL" ? { ...c, hideFirst: 0 } : c), rows, {
    width: 45,
    color: false,
  });
  assert.deepEqual(named.hidden, ["TOTAL"], "a column named to go first goes first");
  const tiny = renderGrid(columns, rows, { width: 5, color: false });
  assert.deepEqual(tiny.hidden, ["NAME", "TOTAL", "START"]);
  const colored = renderGrid(columns, rows, { color: true });
  assert.ok(colored.text.includes("│ \x1b[36mID\x1b[39m │"), "the header in cyan");
});
