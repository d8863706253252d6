import assert from "node:assert/strict";
import { join } from "node:path";
import { databaseEntry, databaseKey, serverEntry, TOKEN_FILE, TokenStore } from "../../src/security/token_store.ts";

const ENTRY = serverEntry(new URL("https://crm.example.com/"));

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

Deno.test("read is null before any write; write creates 0700 folders and a 0600 file", async () => {
  await withTempDir(async (dir) => {
    const configDir = join(dir, "config", "epic-events");
    const store = new TokenStore(configDir, ENTRY);
    assert.equal(await store.path(), join(configDir, "servers", "https_crm.example.com_443", "token"));
    assert.equal(await store.read(), null);
    await store.write("header.payload.signature");
    assert.equal(await store.read(), "header.payload.signature");
    for (const folder of [configDir, join(configDir, "servers"), join(configDir, ENTRY)]) {
      assert.equal(await modeOf(folder), 0o700, folder);
    }
    assert.equal(await modeOf(await store.path()), 0o600);
  });
});

Deno.test("an existing 0755 folder is used as it is: the program never changes a folder it did not create", async () => {
  // Issue 8 point 14 reverses the earlier rule ("narrowed to 0700"): a folder
  // we did not create keeps its mode; the token file in it is still 0600.
  await withTempDir(async (dir) => {
    const configDir = join(dir, "epic-events");
    await Deno.mkdir(configDir);
    await Deno.chmod(configDir, 0o755);
    const store = new TokenStore(configDir, ENTRY);
    await store.write("t1");
    assert.equal(await modeOf(configDir), 0o755);
    assert.equal(await modeOf(await store.path()), 0o600);
    assert.equal(await store.read(), "t1");
  });
});

Deno.test("writes replace the token atomically and leave no temporary file", async () => {
  await withTempDir(async (dir) => {
    const store = new TokenStore(dir, ENTRY);
    const entry = join(dir, ENTRY);
    await store.write("first.token.value");
    await store.write("second.token.value");
    assert.equal(await store.read(), "second.token.value");
    assert.deepEqual(await names(entry), ["token"]);
    assert.equal(await modeOf(await store.path()), 0o600);
    // Many concurrent writers: the result is one complete token, and nothing else is left behind.
    const tokens = Array.from({ length: 20 }, (_, i) => `token-${i}.${"p".repeat(2000)}.sig`);
    await Promise.all(tokens.map((t) => store.write(t)));
    assert.ok(tokens.includes((await store.read())!));
    assert.deepEqual(await names(entry), ["token"]);
  });
});

Deno.test("a pre-existing 0644 token file is replaced by a 0600 one", async () => {
  await withTempDir(async (dir) => {
    const store = new TokenStore(dir, ENTRY);
    await Deno.mkdir(join(dir, ENTRY), { recursive: true });
    await Deno.writeTextFile(await store.path(), "old");
    await Deno.chmod(await store.path(), 0o644);
    await store.write("new");
    assert.equal(await modeOf(await store.path()), 0o600);
    assert.equal(await store.read(), "new");
  });
});

Deno.test("remove deletes the token and is idempotent", async () => {
  await withTempDir(async (dir) => {
    const store = new TokenStore(join(dir, "never-created"), ENTRY);
    await store.remove();
    const real = new TokenStore(dir, ENTRY);
    await real.write("abc");
    await real.remove();
    assert.equal(await real.read(), null);
    await real.remove();
    assert.deepEqual(await names(join(dir, ENTRY)), []);
  });
});

Deno.test("an empty token file reads as null", async () => {
  await withTempDir(async (dir) => {
    const store = new TokenStore(dir, ENTRY);
    await Deno.mkdir(join(dir, ENTRY), { recursive: true });
    await Deno.writeTextFile(await store.path(), "\n");
    assert.equal(await store.read(), null);
  });
});

Deno.test("one entry per server origin: another scheme, host or port reads none of its token", async () => {
  await withTempDir(async (dir) => {
    const entries = [
      "https://crm.example.com",
      "https://crm.example.com:443/crm/", // the same origin: another path
      "https://CRM.example.com:8443",
      "http://crm.example.com",
      "http://127.0.0.1:8080",
      "http://localhost:8080",
      "http://[::1]:8080",
    ].map((url) => serverEntry(new URL(url)));
    assert.deepEqual(entries, [
      "servers/https_crm.example.com_443",
      "servers/https_crm.example.com_443",
      "servers/https_crm.example.com_8443",
      "servers/http_crm.example.com_80",
      "servers/http_127.0.0.1_8080",
      "servers/http_localhost_8080",
      "servers/http_[--1]_8080",
    ]);
    await new TokenStore(dir, entries[0]).write("issued.by.crm");
    assert.equal(await new TokenStore(dir, entries[1]).read(), "issued.by.crm");
    for (const other of entries.slice(2)) assert.equal(await new TokenStore(dir, other).read(), null, other);
  });
});

Deno.test("a database is keyed by its real file, or PostgreSQL host, port, database, user and schema, never the password", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "crm.db");
    await Deno.writeTextFile(file, "");
    await Deno.symlink(file, join(dir, "link.db"));
    const sqlite = (path: string) => ({ kind: "sqlite" as const, path, isDefault: false });
    assert.equal(await databaseKey(sqlite(join(dir, "link.db"))), `sqlite ${await Deno.realPath(file)}`);
    assert.equal(await databaseEntry(sqlite(join(dir, "link.db"))), await databaseEntry(sqlite(file)));
    assert.notEqual(await databaseEntry(sqlite(join(dir, "other.db"))), await databaseEntry(sqlite(file)));

    const pg = (url: string) => ({ kind: "postgres" as const, url });
    const key = await databaseKey(pg("postgres://epic:s3cret@DB.example:5432/crm?sslmode=require"));
    assert.equal(key, "postgres epic@db.example:5432/crm");
    assert.ok(!key.includes("s3cret"));
    const entry = await databaseEntry(pg("postgres://epic:s3cret@db.example/crm"));
    assert.match(entry, /^databases\/[0-9a-f]{64}$/);
    assert.equal(await databaseEntry(pg("postgresql://epic:other@db.example:5432/crm")), entry, "not the password");
    for (
      const other of [
        "postgres://epic@db.example:5433/crm",
        "postgres://epic@db2.example/crm",
        "postgres://epic@db.example/crm2",
        "postgres://ann@db.example/crm",
        "postgres://epic@db.example/crm?search_path=t_1",
      ]
    ) {
      assert.notEqual(await databaseEntry(pg(other)), entry, other);
    }
  });
});

Deno.test("the token of older versions is only read on demand, and adopted only while unchanged and without replacing a token", async () => {
  await withTempDir(async (dir) => {
    const legacy = join(dir, TOKEN_FILE);
    await Deno.writeTextFile(legacy, "old.single.token\n", { mode: 0o600 });
    const store = new TokenStore(dir, ENTRY);
    assert.equal(await store.read(), null, "not an entry's token by itself");
    assert.equal(await store.readLegacy(), "old.single.token");
    assert.equal(await store.adoptLegacy("another.token.value"), false, "changed meanwhile: left alone");

    const taken = new TokenStore(dir, serverEntry(new URL("https://other.example")));
    await taken.write("its.own.token");
    assert.equal(await taken.adoptLegacy("old.single.token"), false, "an entry's own token is never replaced");
    assert.equal(await taken.read(), "its.own.token");

    assert.equal(await store.adoptLegacy("old.single.token"), true);
    assert.equal(await store.read(), "old.single.token");
    assert.equal(await modeOf(await store.path()), 0o600);
    assert.equal(await store.readLegacy(), null, "moved, not copied");
    assert.deepEqual(await names(dir), ["servers"]);
  });
});
