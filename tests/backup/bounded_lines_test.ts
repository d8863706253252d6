/**
 * The bounded line reader on its own: lines split across chunks, a last line
 * without its newline, and the two bounds, refused as soon as they are
 * passed (before the rest of the input is read).
 * @module
 */
import assert from "node:assert/strict";
import { BoundedLineReader, gunzipInSlices, InputLimitError } from "../../src/backup/bounded_lines.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A source of the given chunks that counts how many were pulled. */
function chunks(parts: string[]): { source: AsyncIterable<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  return {
    source: (async function* () {
      for (const part of parts) {
        pulled++;
        yield encode(part);
      }
    })(),
    pulled: () => pulled,
  };
}

async function readAll(reader: BoundedLineReader): Promise<string[]> {
  const lines: string[] = [];
  for (let batch = await reader.next(); batch; batch = await reader.next()) lines.push(...batch.map(decode));
  return lines;
}

Deno.test("lines come whole, wherever the chunks split them; a last line without newline comes as it is", async () => {
  const { source } = chunks(["a", "b\nc", "d\ne\n", "", "f", "g"]);
  const reader = new BoundedLineReader(source, { maxLineBytes: 16 });
  assert.deepEqual(await readAll(reader), ["ab\n", "cd\n", "e\n", "fg"]);
  assert.equal(reader.lineNumber, 4);
  assert.equal(reader.bytesRead, 10);
});

Deno.test("a line longer than the bound is refused at once, even split over many chunks", async () => {
  const { source, pulled } = chunks(["ok\n", ...Array(100).fill("xxxx"), "\n"]);
  const reader = new BoundedLineReader(source, { maxLineBytes: 10 });
  assert.deepEqual((await reader.next())!.map(decode), ["ok\n"]);
  const error = await reader.next().then(() => null, (e) => e);
  assert.ok(error instanceof InputLimitError);
  assert.equal(error.limit, "line");
  assert.equal(error.line, 2);
  assert.match(error.message, /line 2 is longer than 10 bytes/);
  assert.ok(pulled() <= 5, `stopped reading after ${pulled()} chunks`);
  assert.equal(await reader.next(), null, "closed");
});

Deno.test("an input larger than the total bound is refused at once", async () => {
  const { source, pulled } = chunks([...Array(300).fill("line\n")]);
  const reader = new BoundedLineReader(source, { maxTotalBytes: 1024 });
  const error = await readAll(reader).then(() => null, (e) => e);
  assert.ok(error instanceof InputLimitError);
  assert.equal(error.limit, "total");
  assert.match(error.message, /larger than 1 KiB/);
  assert.ok(pulled() <= 206, `stopped reading after ${pulled()} chunks`);
});

Deno.test("gunzipInSlices decompresses what gzip wrote, and a bomb never comes out in one piece", async () => {
  const text = "x".repeat(4 << 20) + "\nend\n";
  const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  let largest = 0;
  const sized = gunzipInSlices(compressed).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        largest = Math.max(largest, chunk.length);
        controller.enqueue(chunk);
      },
    }),
  );
  const lines = await readAll(new BoundedLineReader(sized, { maxLineBytes: 8 << 20 }));
  assert.deepEqual(lines.map((l) => l.length), [(4 << 20) + 1, 4]);
  assert.ok(largest <= 4200 * 1032, `largest chunk ${largest} bytes`);
});
