import assert from "node:assert/strict";
import { join } from "node:path";
import { TokenStore } from "../../src/security/token_store.ts";

async function modeOf(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-token-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function names(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("read is null before any write; write creates a 0700 folder and a 0600 file", async () => {
  await withTempDir(async (dir) => {
    const configDir = join(dir, "config", "epic-events");
    const store = new TokenStore(configDir);
    assert.equal(store.path, join(configDir, "token"));
    assert.equal(await store.read(), null);
    await store.write("header.payload.signature");
    assert.equal(await store.read(), "header.payload.signature");
    assert.equal(await modeOf(configDir), 0o700);
    assert.equal(await modeOf(store.path), 0o600);
  });
});

Deno.test("an existing 0755 folder is used as it is: the program never changes a folder it did not create", async () => {
  // Issue 8 point 14 reverses the earlier rule ("narrowed to 0700"): a folder
  // we did not create keeps its mode; the token file in it is still 0600.
  await withTempDir(async (dir) => {
    const configDir = join(dir, "epic-events");
    await Deno.mkdir(configDir);
    await Deno.chmod(configDir, 0o755);
    const store = new TokenStore(configDir);
    await store.write("t1");
    assert.equal(await modeOf(configDir), 0o755);
    assert.equal(await modeOf(store.path), 0o600);
    assert.equal(await store.read(), "t1");
  });
});

Deno.test("writes replace the token atomically and leave no temporary file", async () => {
  await withTempDir(async (dir) => {
    const store = new TokenStore(dir);
    await store.write("first.token.value");
    await store.write("second.token.value");
    assert.equal(await store.read(), "second.token.value");
    assert.deepEqual(await names(dir), ["token"]);
    assert.equal(await modeOf(store.path), 0o600);
    // Many concurrent writers: the result is one complete token, and nothing else is left behind.
    const tokens = Array.from({ length: 20 }, (_, i) => `token-${i}.${"p".repeat(2000)}.sig`);
    await Promise.all(tokens.map((t) => store.write(t)));
    assert.ok(tokens.includes((await store.read())!));
    assert.deepEqual(await names(dir), ["token"]);
  });
});

Deno.test("a pre-existing 0644 token file is replaced by a 0600 one", async () => {
  await withTempDir(async (dir) => {
    const store = new TokenStore(dir);
    await Deno.writeTextFile(store.path, "old");
    await Deno.chmod(store.path, 0o644);
    await store.write("new");
    assert.equal(await modeOf(store.path), 0o600);
    assert.equal(await store.read(), "new");
  });
});

Deno.test("remove deletes the token and is idempotent", async () => {
  await withTempDir(async (dir) => {
    const store = new TokenStore(join(dir, "never-created"));
    await store.remove();
    const real = new TokenStore(dir);
    await real.write("abc");
    await real.remove();
    assert.equal(await real.read(), null);
    await real.remove();
    assert.deepEqual(await names(dir), []);
  });
});

Deno.test("an empty token file reads as null", async () => {
  await withTempDir(async (dir) => {
    const store = new TokenStore(dir);
    await Deno.writeTextFile(store.path, "\n");
    assert.equal(await store.read(), null);
  });
});
