/**
 * The import endpoint of the API (`POST /api/v1/imports/{entity}`): the file
 * is the body, streamed, with a limit of its own above the 1 MiB of every
 * other body; a refusal before the file is read is still answered (the rest
 * of the body is read and dropped); its answer is checked against the
 * OpenAPI document by the remote backend's proxy in the CLI tests, and here
 * against the contract's schema.
 * @module
 */
import assert from "node:assert/strict";
import { importResultSchema, MAX_IMPORT_BYTES } from "../../src/contract/dayone.ts";
import { MAX_BODY_BYTES } from "../../src/server/http.ts";
import { uploadedFile } from "../../src/server/http.ts";
import { type Person, setupCrew } from "../support/fixtures.ts";
import { api } from "../support/http.ts";
import { remoteTest } from "../support/remote.ts";
import { storedToken } from "../support/tokens.ts";

const tokenOf = (person: Person) => storedToken(person.env.EPIC_EVENTS_CONFIG_DIR);

/** A CSV of `rows` clients of sam@epic.test, streamed in 64 KiB chunks without a Content-Length. */
function clientsStream(rows: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i > rows) return controller.close();
      let text = i === 0 ? "NAME,COMPANY,EMAIL,PHONE,SALES CONTACT EMAIL\n" : "";
      for (let n = 0; n < 500 && i < rows; n++) {
        i++;
        text += `Client ${i},Company with a long name ${i},client${i}@example.com,+33 6 12 34 56 78,sam@epic.test\n`;
      }
      if (i >= rows) i++;
      controller.enqueue(encoder.encode(text));
    },
  });
}

remoteTest("an import's body is streamed past the 1 MiB of other bodies; refusals are still answered", async (b) => {
  const crew = await setupCrew(b);
  const base = b.servers[0].url;
  const token = await tokenOf(crew.manager);
  const db = await b.db();

  // 20,000 rows: ~2 MiB, twice what any other route accepts.
  const big = await api(base, "POST", "/api/v1/imports/clients?format=csv", {
    token,
    rawBody: clientsStream(20_000),
    headers: { "content-type": "text/csv" },
  });
  assert.equal(big.status, 200, big.text);
  const result = importResultSchema.parse(big.json());
  assert.deepEqual([result.created, result.committed, result.error_count], [20_000, true, 0]);
  assert.equal(Number((await db.one<{ n: number }>("SELECT count(*) AS n FROM clients"))!.n), 20_000);

  // SUPPORT may not import clients: 403 before the file is read, while the client is still sending it.
  const refused = await api(base, "POST", "/api/v1/imports/clients?format=csv", {
    token: await tokenOf(crew.support),
    rawBody: clientsStream(20_000),
    headers: { "content-type": "text/csv" },
  });
  assert.equal(refused.status, 403, refused.text);

  // Bad options are 400 naming the parameter; a dry run writes nothing; a bad line commits nothing.
  const format = await api(base, "POST", "/api/v1/imports/clients?format=xlsx", { token, rawBody: "x" });
  assert.equal(format.status, 400);
  assert.equal(format.json<{ error: { field: string } }>().error.field, "format");
  const entity = await api(base, "POST", "/api/v1/imports/users?format=csv", { token, rawBody: "x" });
  assert.equal(entity.status, 400);
  const bad = await api(base, "POST", "/api/v1/imports/clients?format=csv&on_conflict=skip", {
    token,
    rawBody: "NAME,COMPANY,EMAIL,PHONE,SALES CONTACT EMAIL\nNew,Corp,new@example.com,0123456,sam@epic.test\n" +
      "Bad,Corp,bad,0123456,sam@epic.test\n",
  });
  assert.equal(bad.status, 200);
  const failed = importResultSchema.parse(bad.json());
  assert.deepEqual([failed.committed, failed.created, failed.errors[0].line, failed.errors[0].field], [
    false,
    1,
    3,
    "email",
  ]);
  assert.equal(Number((await db.one<{ n: number }>("SELECT count(*) AS n FROM clients"))!.n), 20_000);
  const unauthenticated = await api(base, "POST", "/api/v1/imports/clients?format=csv", { rawBody: "x" });
  assert.equal(unauthenticated.status, 401);
});

Deno.test("an upload's own limit: a declared length above it is 413 at once, a stream past it 413 when it passes", async () => {
  assert.ok(MAX_IMPORT_BYTES > MAX_BODY_BYTES);
  const declared = new Request("http://localhost/", {
    method: "POST",
    body: "abc",
    headers: { "content-length": String(MAX_IMPORT_BYTES + 1) },
  });
  assert.throws(() => uploadedFile(declared, MAX_IMPORT_BYTES), (e: Error & { status?: number }) => e.status === 413);
  await declared.body?.cancel();

  const streamed = new Request("http://localhost/", { method: "POST", body: "0123456789".repeat(3) });
  const upload = uploadedFile(streamed, 25);
  let read = 0;
  await assert.rejects(async () => {
    for await (const chunk of upload.file) read += chunk.byteLength;
  }, (e: Error & { status?: number }) => e.status === 413 && /larger than 25 bytes/.test(e.message));
  assert.equal(read, 0, "the chunk that passes the limit is not handed on");
});
