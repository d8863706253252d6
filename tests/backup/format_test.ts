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
  MAX_EXPANSION,
  MAX_LINE_BYTES,
  openBackup,
  parseBackupFileName,
  type ReadOptions,
  verifyBackup,
} from "../../src/backup/format.ts";
import { BackupKey } from "../../src/security/backup_key.ts";
import { withSha256Trailer } from "./helpers.ts";

const MATERIAL = "format-test-key-material-0123456789abcdef";
const KEY = new BackupKey(MATERIAL);
const AUTH: ReadOptions = { key: KEY };

function header(rows: { a: number; b: number }): BackupHeader {
  return {
    format: FORMAT_NAME,
    format_version: FORMAT_VERSION,
    key_id: KEY.id,
    program_version: "test",
    schema_version: "0003",
    backend: "sqlite",
    created_at: "2025-01-02T03:04:05.678Z",
    tables: [{ name: "a", columns: ["id", "text"], rows: rows.a }, { name: "b", columns: ["id"], rows: rows.b }],
  };
}

async function writeSample(path: string, rowsOfA = 5000): Promise<void> {
  const writer = await createBackupFile(path, header({ a: rowsOfA, b: 2 }), KEY);
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

async function refusal(path: string, auth: ReadOptions = AUTH): Promise<string> {
  const error = await verifyBackup(path, auth).then(() => null, (e) => e);
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
    const reader = await openBackup(path, AUTH);
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
    const verified = await verifyBackup(path, AUTH);
    assert.equal(verified.rows, 30_002);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the trailer is the HMAC-SHA-256 of every byte before it, under an HKDF-derived key", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.jsonl.gz");
    await writeSample(path, 3);
    const text = await gunzip(await Deno.readFile(path));
    const lines = text.slice(0, -1).split("\n");
    const trailer = JSON.parse(lines.at(-1)!);
    const body = new TextEncoder().encode(lines.slice(0, -1).join("\n") + "\n");
    // Computed independently with WebCrypto: HKDF-SHA-256 (salt, purpose label), then HMAC-SHA-256.
    const encode = (s: string) => new TextEncoder().encode(s);
    const material = await crypto.subtle.importKey("raw", encode(MATERIAL), "HKDF", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: encode("epic-events backup key"),
        info: encode("epic-events backup authentication v1"),
      },
      material,
      256,
    );
    const mac = await crypto.subtle.importKey("raw", bits, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const digest = new Uint8Array(await crypto.subtle.sign("HMAC", mac, body));
    assert.equal(trailer.hmac_sha256, Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
    assert.equal(trailer.sha256, undefined, "no plain checksum anyone could recompute");
    assert.equal(trailer.rows, 5);
    assert.equal(JSON.parse(lines[0]).key_id, KEY.id);
    assert.doesNotMatch(JSON.stringify(KEY) + String(KEY), new RegExp(MATERIAL), "a key shows its id only");
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
      [
        "a value changed",
        await gzip(text.replace('"id":17,', '"id":71,')),
        /MAC mismatch in the trailer: the file was altered/,
      ],
      ["a row removed", await gzip([...lines.slice(0, 3), ...lines.slice(4)].join("\n") + "\n"), /MAC mismatch/],
      [
        "a row added past the header's count",
        await gzip([...lines.slice(0, -1), lines.at(-2)!, lines.at(-1)].join("\n") + "\n"),
        /table b has more rows than the header counts \(2\)/,
      ],
      [
        "a value changed and a SHA-256 trailer written instead",
        await gzip(
          await withSha256Trailer([lines[0], ...lines.slice(1, -1).map((l) => l.replace('"id":17,', '"id":71,'))]),
        ),
        /the trailer has no MAC/,
      ],
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
    const writer = await createBackupFile(path, header({ a: 0, b: 0 }), KEY);
    await assert.rejects(writer.finish(), Deno.errors.AlreadyExists);
    assert.equal(await Deno.readTextFile(path), "precious");

    const short = await createBackupFile(join(dir, "y.jsonl.gz"), header({ a: 2, b: 0 }), KEY);
    await short.write("a", { id: 1 });
    await assert.rejects(short.finish(), /header says 2/, "fewer rows than the header counts");
    const aborted = await createBackupFile(join(dir, "z.jsonl.gz"), header({ a: 1, b: 0 }), KEY);
    await aborted.abort();
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["x.jsonl.gz"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a backup of another key is refused naming both key ids, and read with that key", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.jsonl.gz");
    await writeSample(path, 10);
    const mine = new BackupKey("another-installation-key-0123456789abcdef");
    const problem = await refusal(path, { key: mine });
    assert.match(problem, new RegExp(`another key \\(key id ${KEY.id}; .* is ${mine.id}\\).*--trust-key`));
    assert.equal((await verifyBackup(path, { key: new BackupKey(` ${MATERIAL}\n`) })).rows, 12, "trimmed material");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("format 1 (a SHA-256 without key) is refused unless accepted explicitly; its checksum still holds", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = join(dir, "good.jsonl.gz");
    await writeSample(good, 10);
    const lines = (await gunzip(await Deno.readFile(good))).slice(0, -1).split("\n").slice(0, -1);
    const { key_id: _, ...rest } = JSON.parse(lines[0]);
    lines[0] = JSON.stringify({ ...rest, format_version: 1 });
    const old = join(dir, "old.jsonl.gz");
    await Deno.writeFile(old, await gzip(await withSha256Trailer(lines)));
    assert.match(await refusal(old), /format 1 is not authenticated .*--accept-unauthenticated/);
    const accepted = await verifyBackup(old, { ...AUTH, acceptUnauthenticated: true });
    assert.deepEqual([accepted.rows, accepted.authenticated], [12, false]);
    // Its checksum is still checked.
    const text = await withSha256Trailer(lines);
    await Deno.writeFile(old, await gzip(text.replace('"id":7,', '"id":70,')));
    assert.match(await refusal(old, { ...AUTH, acceptUnauthenticated: true }), /checksum mismatch/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a line over 1 MiB, or a file that grows past the ratio, is refused as it is read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.jsonl.gz");
    const head = JSON.stringify(header({ a: 1, b: 0 }));
    // One line just over the bound (incompressible, so that the ratio is not what refuses it).
    const noise = Array.from({ length: MAX_LINE_BYTES / 32 + 1 }, () => crypto.randomUUID().slice(0, 32)).join("");
    await Deno.writeFile(path, await gzip(`${head}\n{"table":"a","row":{"id":1,"text":"${noise}"}}\n`));
    assert.match(await refusal(path), /line 2 is longer than 1 MiB: not a backup \(or a compression bomb\)/);
    // Lines of a kilobyte, each under the bound, but 8 MiB of them from a few kilobytes: more than the
    // ratio (plus its allowance of 1 MiB) allows. In format 1 (accepted on request), where no MAC
    // checkpoint stops a forged file sooner.
    const row = `{"table":"a","row":{"id":1,"text":"${"x".repeat(1000)}"}}\n`;
    const { key_id: _, ...old } = header({ a: 100_000, b: 0 });
    const rows = row.repeat(8192);
    await Deno.writeFile(path, await gzip(JSON.stringify({ ...old, format_version: 1 }) + "\n" + rows));
    assert.ok((await Deno.stat(path)).size * MAX_EXPANSION + (1 << 20) < 8 << 20, "the sample passes the bound");
    assert.match(
      await refusal(path, { ...AUTH, acceptUnauthenticated: true }),
      new RegExp(`decompresses to more than ${MAX_EXPANSION} times its size`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a MAC checkpoint follows each MiB of lines: a forged file is refused at its first one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.jsonl.gz");
    await writeSample(path, 60_000);
    const text = await gunzip(await Deno.readFile(path));
    const lines = text.slice(0, -1).split("\n");
    const checkpoints = lines.flatMap((l, i) => (l.startsWith('{"mac":') ? [i + 1] : []));
    assert.ok(checkpoints.length >= 2, `checkpoints at lines ${checkpoints}`);
    assert.equal((await verifyBackup(path, AUTH)).rows, 60_002, "checkpoints are not rows");
    // A row changed before the first checkpoint: refused there, long before the trailer.
    const altered = text.replace('{"table":"a","row":{"id":17,', '{"table":"a","row":{"id":18,');
    await Deno.writeFile(path, await gzip(altered));
    assert.match(await refusal(path), new RegExp(`MAC mismatch at line ${checkpoints[0]}: the file was altered`));
    // Checkpoints removed: refused once more lines than a checkpoint allows have been read.
    await Deno.writeFile(path, await gzip(lines.filter((l) => !l.startsWith('{"mac":')).join("\n") + "\n"));
    assert.match(await refusal(path), /a MAC checkpoint is missing/);
    // A checkpoint of another key: refused at once, naming both keys.
    await writeSample(join(dir, "y.jsonl.gz"), 60_000);
    const other = new BackupKey("another-installation-key-0123456789abcdef");
    assert.match(await refusal(join(dir, "y.jsonl.gz"), { key: other }), /MAC mismatch at line \d+: .*another key/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
