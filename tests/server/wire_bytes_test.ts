/**
 * What `serve` puts on the wire for text beyond ASCII, read off a raw
 * loopback socket: an answer's text is written as its UTF-8 bytes (the
 * listener hands node:http those bytes as a one-byte string, `asLatin1` in
 * src/server/listener.ts), so a list of accented and emoji names must still
 * be one chunk whose size line counts its bytes, an HTTP/1.0 client must get
 * the same text up to the connection's end, and a record's `Content-Length`
 * must count bytes, for answers below and past the listener's reused 16 KiB.
 */
import assert from "node:assert/strict";
import { api, apiLogin } from "../support/http.ts";
import { initManager, PASSWORD } from "../support/fixtures.ts";
import { remoteTest } from "../support/remote.ts";

const encoder = new TextEncoder();
const strict = new TextDecoder("utf-8", { fatal: true });
const NAME = "Élodie Müller-Ñúñez 🎉 Ζωή";

/** The raw bytes the server sends for one request, read until it closes the connection. */
async function rawAnswer(base: string, head: string): Promise<{ head: string; body: Uint8Array }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(base).port) });
  const chunks: Uint8Array[] = [];
  try {
    await conn.write(encoder.encode(head));
    const buffer = new Uint8Array(64 * 1024);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) chunks.push(buffer.slice(0, n));
  } finally {
    conn.close();
  }
  const all = new Uint8Array(chunks.reduce((size, c) => size + c.length, 0));
  chunks.reduce((at, c) => (all.set(c, at), at + c.length), 0);
  const end = all.findIndex((_, i) => all[i] === 13 && all[i + 1] === 10 && all[i + 2] === 13 && all[i + 3] === 10);
  assert.ok(end > 0, "an answer head");
  return { head: new TextDecoder().decode(all.subarray(0, end)), body: all.subarray(end + 4) };
}

function request(path: string, token: string, version = "1.1"): string {
  return `GET ${path} HTTP/${version}\r\nhost: 127.0.0.1\r\nconnection: close\r\nauthorization: Bearer ${token}\r\n\r\n`;
}

/** The data of a chunked body made of one chunk and the last, checking that each size line counts bytes. */
function dechunk(body: Uint8Array): Uint8Array {
  const text = new TextDecoder("latin1").decode(body);
  const line = text.indexOf("\r\n");
  const size = parseInt(text.slice(0, line), 16);
  const data = body.subarray(line + 2, line + 2 + size);
  assert.equal(text.slice(line + 2 + size), "\r\n0\r\n\r\n", "the chunk ends where its size line says, then the last");
  return data;
}

remoteTest(
  "accented and emoji names go out as their UTF-8 bytes: chunk sizes and Content-Length count bytes, HTTP/1.0 too",
  async (b) => {
    const manager = await initManager(b);
    const base = b.servers[0].url;
    const token = await apiLogin(base, manager.email, PASSWORD);
    const db = await b.db();
    await db.execute(
      `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
       SELECT $2 || ' ' || n, 'client' || n || '@wire.test', '+33 1 02 03 04 05', repeat('Société Ève ✓ ', 6), $1,
              '2031-01-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z'
       FROM generate_series(1, 60) AS n`,
      [manager.id, NAME],
    );
    for (const limit of [2, 60]) {
      const path = `/api/v1/clients?limit=${limit}`;
      const expected = await api(base, "GET", path, { token });
      assert.equal(expected.json<{ full_name: string }[]>()[0].full_name, `${NAME} 1`);
      const bytes = encoder.encode(expected.text);
      // Past the listener's reused 16 KiB for the whole page, under it for two rows.
      assert.ok(limit === 2 ? bytes.length < 16 * 1024 : bytes.length > 16 * 1024, `${bytes.length} bytes`);

      const chunked = await rawAnswer(base, request(path, token));
      assert.match(chunked.head, /^HTTP\/1\.1 200 /);
      assert.match(chunked.head, /\r\ntransfer-encoding: chunked/i);
      assert.equal(strict.decode(dechunk(chunked.body)), expected.text);

      const old = await rawAnswer(base, request(path, token, "1.0"));
      assert.match(old.head, /^HTTP\/1\.1 200 /);
      assert.doesNotMatch(old.head, /transfer-encoding/i);
      assert.equal(strict.decode(old.body), expected.text);
    }

    const one = await api(base, "GET", "/api/v1/clients?limit=1", { token });
    const id = one.json<{ id: number }[]>()[0].id;
    const record = await rawAnswer(base, request(`/api/v1/clients/${id}`, token));
    assert.match(record.head, /^HTTP\/1\.1 200 /);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(record.head)?.[1]);
    assert.equal(length, record.body.length, "Content-Length counts the body's bytes");
    const parsed = JSON.parse(strict.decode(record.body)) as { full_name: string };
    assert.equal(parsed.full_name, `${NAME} 1`);
  },
);
