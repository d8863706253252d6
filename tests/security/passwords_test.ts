import assert from "node:assert/strict";
import {
  hashCost,
  hashPassword,
  needsRehash,
  validatePassword,
  verifyAgainstDummy,
  verifyPassword,
} from "../../src/security/passwords.ts";
import { InvalidInputError } from "../../src/domain/errors.ts";

function assertRefused(password: string, pattern: RegExp) {
  assert.throws(
    () => validatePassword(password),
    (error: unknown) => {
      assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${error}`);
      assert.equal(error.field, "password");
      assert.equal(error.exitCode, 2);
      assert.match(error.message, pattern);
      if (password !== "") assert.ok(!error.message.includes(password), "the message must not echo the password");
      return true;
    },
  );
}

Deno.test("hash then verify: the right password matches, a wrong one does not", async () => {
  const hash = await hashPassword("correct horse battery", 4);
  assert.match(hash, /^\$2[aby]\$04\$[./A-Za-z0-9]{53}$/);
  assert.equal(await verifyPassword("correct horse battery", hash), true);
  assert.equal(await verifyPassword("correct horse batterY", hash), false);
  assert.equal(await verifyPassword("", hash), false);
});

Deno.test("two hashes of the same password differ (random salt) and never contain it", async () => {
  const password = "s3cret-Passw0rd";
  const a = await hashPassword(password, 4);
  const b = await hashPassword(password, 4);
  assert.notEqual(a, b);
  for (const hash of [a, b]) {
    assert.ok(!hash.includes(password));
    assert.ok(!hash.toLowerCase().includes("s3cret"));
  }
});

Deno.test("length bounds: 8 characters to 72 UTF-8 bytes", async () => {
  assertRefused("", /at least 8/);
  assertRefused("1234567", /at least 8/);
  validatePassword("12345678");
  validatePassword("x".repeat(72));
  assertRefused("x".repeat(73), /72 bytes.*bcrypt/);
  // 25 characters of 3 bytes each: short in characters, 75 bytes long.
  const cjk = "密".repeat(25);
  assert.equal(new TextEncoder().encode(cjk).length, 75);
  assertRefused(cjk, /72 bytes/);
  // 24 of them are exactly 72 bytes: accepted, and hash/verify round-trips.
  const cjk72 = "密".repeat(24);
  const hash = await hashPassword(cjk72, 4);
  assert.equal(await verifyPassword(cjk72, hash), true);
  // Characters, not UTF-16 units: 8 emoji are 8 characters.
  validatePassword("😀".repeat(8));
  assertRefused("😀".repeat(7), /at least 8/);
});

Deno.test("hashPassword validates before hashing", async () => {
  await assert.rejects(hashPassword("short", 4), InvalidInputError);
  await assert.rejects(hashPassword("x".repeat(73), 4), InvalidInputError);
});

Deno.test("verifyPassword never throws: malformed hashes and unhashable passwords give false", async () => {
  const hash = await hashPassword("a fine password", 4);
  for (const bad of ["", "not a hash", "$2a$04$tooshort", hash.slice(0, -1), `${hash}x`, "$2a$99$" + hash.slice(7)]) {
    assert.equal(await verifyPassword("a fine password", bad), false, bad);
  }
  assert.equal(await verifyPassword("x".repeat(100), hash), false);
});

Deno.test("verifyAgainstDummy returns false, even for the password of a real hash", async () => {
  assert.equal(await verifyAgainstDummy("whatever-password", 4), false);
  assert.equal(await verifyAgainstDummy("", 4), false);
  assert.equal(await verifyAgainstDummy("x".repeat(100), 4), false);
});

Deno.test("verifyAgainstDummy takes about as long as a real verify", async () => {
  const rounds = 6;
  const hash = await hashPassword("the real password", rounds);
  // Warm up: load the WASM module and the dummy hash.
  await verifyPassword("warm up!", hash);
  await verifyAgainstDummy("warm up!", rounds);
  let real = 0;
  let dummy = 0;
  for (let i = 0; i < 8; i++) {
    let start = performance.now();
    await verifyPassword("a wrong password", hash);
    real += performance.now() - start;
    start = performance.now();
    await verifyAgainstDummy("a wrong password", rounds);
    dummy += performance.now() - start;
  }
  const ratio = dummy / real;
  assert.ok(ratio > 0.3 && ratio < 3, `dummy/real time ratio ${ratio.toFixed(2)} (${dummy}ms / ${real}ms)`);
  // And the cost really follows `rounds`: cost 10 is 16 times the work of cost 6.
  const start = performance.now();
  await verifyAgainstDummy("a wrong password", 10);
  const slow = performance.now() - start;
  assert.ok(slow > (dummy / 8) * 4, `cost 10 took ${slow}ms, cost 6 took ${dummy / 8}ms`);
});

Deno.test("hashCost reads the cost of a hash; needsRehash says when BCRYPT_ROUNDS changed since", async () => {
  const hash = await hashPassword("the real password", 5);
  assert.equal(hashCost(hash), 5);
  assert.equal(needsRehash(hash, 5), false);
  assert.equal(needsRehash(hash, 4), true);
  assert.equal(needsRehash(hash, 12), true);
  assert.equal(hashCost("not a hash"), null);
  assert.equal(needsRehash("not a hash", 12), true);
});
