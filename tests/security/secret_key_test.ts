import assert from "node:assert/strict";
import { join } from "node:path";
import { type Config, loadConfig } from "../../src/config.ts";
import { InvalidInputError } from "../../src/domain/errors.ts";
import { resolveSecretKey } from "../../src/security/secret_key.ts";

const SECRET_KEY_MODULE = new URL("../../src/security/secret_key.ts", import.meta.url).href;

function modeOf(path: string): number {
  return Deno.statSync(path).mode! & 0o777;
}

async function withTempDir(body: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-secret-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function configFor(dir: string, env: Record<string, string> = {}): Config {
  // cwd = the temp folder, so no .env of the repository is read.
  return loadConfig({ HOME: dir, EPIC_EVENTS_DATA_DIR: join(dir, "data", "epic-events"), ...env }, dir);
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("SECRET_KEY, when set, is used as is and no file is created", async () => {
  await withTempDir((dir) => {
    const secret = "k".repeat(40);
    assert.equal(resolveSecretKey(configFor(dir, { SECRET_KEY: secret })), secret);
    assert.equal(
      resolveSecretKey(configFor(dir, { SECRET_KEY: secret, DATABASE_URL: "postgres://u:p@localhost:5432/db" })),
      secret,
    );
    assert.throws(() => Deno.statSync(join(dir, "data")), Deno.errors.NotFound);
  });
});

Deno.test("PostgreSQL without SECRET_KEY is an InvalidInputError naming SECRET_KEY", async () => {
  await withTempDir((dir) => {
    const config = configFor(dir, { DATABASE_URL: "postgres://u:p@localhost:5432/db" });
    assert.throws(() => resolveSecretKey(config), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError);
      assert.equal(error.field, "SECRET_KEY");
      assert.equal(error.message, "SECRET_KEY is required with a PostgreSQL DATABASE_URL");
      return true;
    });
    assert.throws(() => Deno.statSync(join(dir, "data")), Deno.errors.NotFound, "nothing generated");
  });
});

Deno.test("embedded SQLite: the key is generated once into a 0600 file in a 0700 folder", async () => {
  await withTempDir((dir) => {
    const config = configFor(dir);
    const key = resolveSecretKey(config);
    assert.match(key, /^[A-Za-z0-9_-]{64}$/, "48 random bytes, base64url");
    const file = join(config.dataDir, "secret.key");
    assert.equal(modeOf(file), 0o600);
    assert.equal(modeOf(config.dataDir), 0o700);
    assert.equal(Deno.readTextFileSync(file).trim(), key);
    assert.deepEqual([...Deno.readDirSync(config.dataDir)].map((e) => e.name), ["secret.key"], "no temp file left");
    assert.equal(resolveSecretKey(config), key, "same key on the second call");
    assert.equal(resolveSecretKey(configFor(dir, { DATABASE_URL: "sqlite::memory:" })), key);
    // A new data directory gets a different key.
    const other = loadConfig({ HOME: dir, EPIC_EVENTS_DATA_DIR: join(dir, "other") }, dir);
    assert.notEqual(resolveSecretKey(other), key);
  });
});

Deno.test("an existing key file is read, and a corrupt (too short) one is refused", async () => {
  await withTempDir((dir) => {
    const config = configFor(dir);
    Deno.mkdirSync(config.dataDir, { recursive: true });
    const file = join(config.dataDir, "secret.key");
    Deno.writeTextFileSync(file, `${"z".repeat(40)}\n`, { mode: 0o644 });
    Deno.chmodSync(file, 0o644);
    assert.equal(resolveSecretKey(config), "z".repeat(40));
    assert.equal(modeOf(file), 0o600, "a readable-by-others key file is narrowed to 0600");
    Deno.writeTextFileSync(file, "");
    assert.throws(() => resolveSecretKey(config), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError);
      assert.equal(error.field, "SECRET_KEY");
      return true;
    });
  });
});

Deno.test("concurrent first runs in separate processes agree on one key", async () => {
  await withTempDir(async (dir) => {
    const dataDir = join(dir, "data");
    const startAt = Date.now() + 1500;
    // Each child waits for the same instant, then resolves the key and prints its SHA-256 (never the key).
    const code = `
      import { resolveSecretKey } from ${JSON.stringify(SECRET_KEY_MODULE)};
      while (Date.now() < ${startAt}) { /* line up the start */ }
      const key = resolveSecretKey({ dataDir: ${
      JSON.stringify(dataDir)
    }, database: { kind: "sqlite", path: ":memory:", isDefault: false } });
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
      console.log(Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""));
    `;
    const children = Array.from({ length: 4 }, () =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", "--no-config", code],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output());
    const outputs = await Promise.all(children);
    const digests = outputs.map((o) => {
      assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
      return new TextDecoder().decode(o.stdout).trim();
    });
    assert.equal(new Set(digests).size, 1, `children disagree: ${digests.join(", ")}`);
    const key = Deno.readTextFileSync(join(dataDir, "secret.key")).trim();
    assert.equal(digests[0], await sha256(key));
    assert.deepEqual([...Deno.readDirSync(dataDir)].map((e) => e.name), ["secret.key"], "no temp file left");
  });
});
