import assert from "node:assert/strict";
import { BrokenArrayError, parseJsonArray } from "../../src/port/json_stream.ts";

async function* pieces(parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function all(parts: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of parseJsonArray(pieces(parts))) out.push(value);
  return out;
}

const ROWS = [
  { id: 1, name: 'A "quoted" name, with [brackets] and {braces}', notes: 'back\\slash\\"\nline' },
  { id: 2, name: "Ünïcödé ✓ 🎉", nested: { list: [1, [2, 3], { a: "]" }] }, empty: [] },
  { id: 3, name: "", value: null, flag: false, amount: "1500.00" },
];
const TEXT = `[\n${ROWS.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`;

Deno.test("a streamed JSON array reads the same cut at every position", async () => {
  for (let cut = 0; cut <= TEXT.length; cut++) {
    assert.deepEqual(await all([TEXT.slice(0, cut), TEXT.slice(cut)]), ROWS, `cut at ${cut}`);
  }
  assert.deepEqual(await all([...TEXT]), ROWS, "one character at a time");
  assert.deepEqual(await all([JSON.stringify(ROWS)]), ROWS, "compact");
  assert.deepEqual(await all(["  [ ] \n"]), []);
  assert.deepEqual(await all(["[", "]"]), []);
  assert.deepEqual(await all(['[1, "two", null, true, [3]]']), [1, "two", null, true, [3]]);
});

Deno.test("each row is yielded before the rest of the array has arrived", async () => {
  const seen: unknown[] = [];
  let sent = 0;
  async function* slow(): AsyncGenerator<string> {
    sent = 1;
    yield '[{"id":1},';
    // The first row must be out before the second chunk is asked for.
    assert.deepEqual(seen, [{ id: 1 }]);
    sent = 2;
    yield '{"id":2}]';
  }
  for await (const row of parseJsonArray(slow())) seen.push(row);
  assert.equal(sent, 2);
  assert.deepEqual(seen, [{ id: 1 }, { id: 2 }]);
});

Deno.test("a broken or foreign answer is a BrokenArrayError, after the rows that were complete", async () => {
  const cases: Array<[string[], RegExp, unknown[]]> = [
    [['[{"id":1},{"id":'], /ended before the end/, [{ id: 1 }]],
    [['[{"id":1}'], /ended before the end/, []],
    [[""], /ended before the end/, []],
    [['{"error":{}}'], /not a JSON array/, []],
    [["[1,]"], /empty element/, [1]],
    [["[1,", "]"], /empty element/, [1]],
    [["[1] x"], /after the end/, [1]],
    [["[nope]"], /not valid JSON/, []],
  ];
  for (const [parts, message, before] of cases) {
    const got: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const value of parseJsonArray(pieces(parts))) got.push(value);
      },
      (error: unknown) => error instanceof BrokenArrayError && message.test(error.message),
      JSON.stringify(parts),
    );
    assert.deepEqual(got, before, JSON.stringify(parts));
  }
});
