/**
 * The backup file format on its own (no database): round trip, every way a
 * file can be damaged, file names, atomic publication.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  backupFileName,
  BackupFormatError,
  type BackupHeader,
  createBackupFile,
  FORMAT_NAME,
  FORMAT_VERSION,
  openBackup,
  parseBackupFileName,
  verifyBackup,
} from "../../src/backup/format.ts";

function header(rows: { a: number; b: number }): BackupHeader {
  return {
    format: FORMAT_NAME,
    format_version: FORMAT_VERSION,
    program_version: "test",
    schema_version: "0003",
    backend: "sqlite",
    created_at: "2025-01-02T03:04:05.678Z",
    tables: [{ name: "a", columns: ["id", "text"], rows: rows.a }, { name: "b", columns: ["id"], rows: rows.b }],
  };
}

async function writeSample(path: string, rowsOfA = 5000): Promise<void> {
  const writer = await createBackupFile(path, header({ a: rowsOfA, b: 2 }));
  for (let i = 1; i <= rowsOfA; i++) {
    // Incompressible text, so that a large sample spans many chunks of the file.
    const noise = i % 3 === 0 ? crypto.randomUUID() : "";
    await writer.write("a", { id: i, text: `row ${i} ${"é".repeat(i % 7)}\n"q"${noise}` });
  }
  await writer.write("b", { id: 1 });
  await writer.write("b", { id: 2 });
  await writer.finish();
}

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function gunzip(bytes: Uint8Array): Promise<string> {
  return await new Response(new Blob([bytes as BufferSource]).stream().pipeThrough(new DecompressionStream("gzip")))
    .text();
}

async function refusal(path: string): Promise<string> {
  const error = await verifyBackup(path).then(() => null, (e) => e);
  assert.ok(error instanceof BackupFormatError, `expected a BackupFormatError, got ${error}`);
  assert.equal(error.exitCode, 6);
  return error.message;
}

Deno.test("a backup reads back exactly what was written, in order, in batches", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.jsonl.gz");
    await writeSample(path, 30_000);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["x.jsonl.gz"], "no temporary file left");
    const reader = await openBackup(path);
    assert.deepEqual(reader.header, header({ a: 30_000, b: 2 }));
    const seen: string[] = [];
    let batches = 0;
    for await (const batch of reader.batches()) {
      batches++;
      for (const { table, row } of batch) seen.push(`${table}:${row.id}:${row.text ?? ""}`);
    }
    assert.equal(seen.length, 30_002);
    assert.equal(seen[0], 'a:1:row 1 é\n"q"');
    assert.equal(seen[30_001], "b:2:");
    assert.ok(batches > 1, "streamed in several batches");
    const verified = await verifyBackup(path);
    assert.equal(verified.rows, 30_002);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the trailer is the SHA-256 of every byte before it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.jsonl.gz");
    await writeSample(path, 3);
    const text = await gunzip(await Deno.readFile(path));
    const lines = text.slice(0, -1).split("\n");
    const trailer = JSON.parse(lines.at(-1)!);
    const body = new TextEncoder().encode(lines.slice(0, -1).join("\n") + "\n");
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    assert.equal(trailer.sha256, Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
    assert.equal(trailer.rows, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a damaged backup is refused naming what is wrong", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = join(dir, "good.jsonl.gz");
    await writeSample(good);
    const bytes = await Deno.readFile(good);
    const text = await gunzip(bytes);
    const lines = text.slice(0, -1).split("\n");
    const bad = join(dir, "bad.jsonl.gz");
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ["a flipped byte in the middle", bytes.map((b, i) => i === bytes.length >> 1 ? b ^ 0x20 : b), /./],
      ["a flipped byte in the gzip checksum", bytes.map((b, i) => i === bytes.length - 6 ? b ^ 1 : b), /corrupt/],
      ["cut in half", bytes.slice(0, bytes.length >> 1), /truncated|corrupt/],
      ["the last bytes cut", bytes.slice(0, bytes.length - 3), /truncated|corrupt/],
      ["empty", new Uint8Array(), /not a gzip file/],
      ["not gzip", new TextEncoder().encode(text), /not a gzip file/],
      ["no trailer", await gzip(lines.slice(0, -1).join("\n") + "\n"), /truncated: the trailer/],
      ["a line cut", await gzip(text.slice(0, -10)), /truncated/],
      ["a value changed", await gzip(text.replace('"id":17,', '"id":71,')), /checksum mismatch/],
      ["a row removed", await gzip([...lines.slice(0, 3), ...lines.slice(4)].join("\n") + "\n"), /checksum mismatch/],
      ["data after the trailer", await gzip(text + lines[1] + "\n"), /after the trailer/],
      [
        "not JSON",
        await gzip(text.replace('{"table":"a","row":{"id":9,', '{"table":"a","row":{"id":9')),
        /not valid JSON/,
      ],
      ["not ours", await gzip('{"format":"something-else"}\n'), /not an epic-events backup/],
      [
        "a newer format",
        await gzip(text.replace(`"format_version":${FORMAT_VERSION}`, '"format_version":99')),
        /format 99 by a newer program/,
      ],
    ];
    for (const [what, data, message] of cases) {
      await Deno.writeFile(bad, data);
      const problem = await refusal(bad);
      assert.match(problem, message, what);
      assert.ok(problem.startsWith(bad), `${what}: names the file`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("backup names carry their UTC time; other names are not ours", () => {
  const time = new Date("2025-03-04T05:06:07.089Z");
  assert.equal(backupFileName(time), "epic-events-20250304T050607.089Z.jsonl.gz");
  assert.deepEqual(parseBackupFileName(backupFileName(time)), time);
  for (
    const name of [
      "epic-events-20250304T050607.089Z.jsonl",
      "epic-events-20250304T050607Z.jsonl.gz",
      "epic-events-20251304T050607.089Z.jsonl.gz",
      "xepic-events-20250304T050607.089Z.jsonl.gz",
      "epic-events-20250304T050607.089Z.jsonl.gz.tmp",
      ".epic-events-20250304T050607.089Z.jsonl.gz.1234.tmp",
      "notes.txt",
    ]
  ) {
    assert.equal(parseBackupFileName(name), null, name);
  }
});

Deno.test("a backup never overwrites an existing file, and a failed one leaves nothing behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.jsonl.gz");
    await Deno.writeTextFile(path, "precious");
    const writer = await createBackupFile(path, header({ a: 0, b: 0 }));
    await assert.rejects(writer.finish(), Deno.errors.AlreadyExists);
    assert.equal(await Deno.readTextFile(path), "precious");

    const short = await createBackupFile(join(dir, "y.jsonl.gz"), header({ a: 2, b: 0 }));
    await short.write("a", { id: 1 });
    await assert.rejects(short.finish(), /header says 2/, "fewer rows than the header counts");
    const aborted = await createBackupFile(join(dir, "z.jsonl.gz"), header({ a: 1, b: 0 }));
    await aborted.abort();
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["x.jsonl.gz"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
