/**
 * The private calendar feed's key, on both backends: made once and shown
 * once, kept only as its SHA-256, replaced by `calendar reset` (the old key
 * then opens nothing), refused to managers, ended with its owner, kept
 * across a password change, and opening only its owner's own events.
 * @module
 */
import assert from "node:assert/strict";
import { AppError } from "../../src/domain/errors.ts";
import { feedKeyHash } from "../../src/security/feed_keys.ts";
import { calendarReset, calendarUrl, type Feed, feedEvents } from "../../src/services/calendar.ts";
import { deleteUser, updateUser } from "../../src/services/users.ts";
import { backendTest } from "../support/backends.ts";
import { builders, firstManager, serviceContext } from "../support/fixtures.ts";

async function ids(feed: Feed): Promise<number[]> {
  const out: number[] = [];
  for await (const entry of feed.events) out.push(entry.id);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e) => e);
  assert.ok(error instanceof AppError, `expected an AppError, got ${error}`);
  return error;
}

backendTest("calendar feed: a key made once, kept hashed, replaced by reset, ended with its owner", async (b, t) => {
  const db = await b.db();
  const manager = await firstManager(b);
  const build = await builders(b, manager);
  const sales = await build.user("SALES");
  const otherSales = await build.user("SALES");
  const support = await build.user("SUPPORT");
  const otherSupport = await build.user("SUPPORT");
  const contract = await build.contract(await build.client(sales), { signed: true });
  const otherContract = await build.contract(await build.client(otherSales), { signed: true });
  const mine = await build.event(contract, { support });
  const past = await build.event(otherContract, {
    support,
    start_date: "2024-01-01T10:00:00Z",
    end_date: "2024-01-01T12:00:00Z",
  });
  const notMine = await build.event(otherContract, { support: otherSupport });
  const unassigned = await build.event(contract);
  const as = (who: { id: number; email: string; role: "MANAGEMENT" | "SALES" | "SUPPORT" }) => serviceContext(db, who);
  let key = "";

  await t.step("calendar url makes a key, shown once; the database keeps only its SHA-256", async () => {
    const made = await calendarUrl(as(support));
    key = made.key;
    assert.match(key, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(made.replaced, false);
    const rows = await db.query<{ user_id: number; key_hash: string }>("SELECT user_id, key_hash FROM calendar_feeds");
    assert.deepEqual(rows.map((r) => ({ ...r, user_id: Number(r.user_id) })), [
      { user_id: support.id, key_hash: await feedKeyHash(key) },
    ]);
    assert.ok(!JSON.stringify(rows).includes(key));
  });
  await t.step("the feed holds the owner's own events, past and upcoming, and nobody else's", async () => {
    const feed = await feedEvents(db, key);
    assert.equal(feed.owner_name, `${support.first_name} ${support.last_name}`);
    assert.deepEqual(await ids(feed), [mine.id, past.id]);
    const theirs = await calendarUrl(as(otherSupport));
    assert.deepEqual(await ids(await feedEvents(db, theirs.key)), [notMine.id]);
  });
  await t.step("calendar url again: exit 6, the key cannot be shown again", async () => {
    const error = await failure(calendarUrl(as(support)));
    assert.equal(error.exitCode, 6);
    assert.equal(error.field, "feed");
    assert.match(error.message, /calendar reset/);
    assert.deepEqual(await ids(await feedEvents(db, key)), [mine.id, past.id], "the first key still works");
  });
  await t.step("calendar reset: a new key; the old one answers 404", async () => {
    const reset = await calendarReset(as(support));
    assert.equal(reset.replaced, true);
    assert.notEqual(reset.key, key);
    const gone = await failure(feedEvents(db, key));
    assert.equal(gone.exitCode, 5);
    assert.equal(gone.message, "No calendar feed at this address.");
    assert.deepEqual(await ids(await feedEvents(db, reset.key)), [mine.id, past.id]);
    key = reset.key;
  });
  await t.step("unknown and malformed keys answer 404 alike", async () => {
    for (const bad of ["", "x", `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`, `${key}=`, "../../etc"]) {
      const error = await failure(feedEvents(db, bad));
      assert.equal(error.exitCode, 5, bad);
      assert.equal(error.message, "No calendar feed at this address.");
    }
  });
  await t.step("SALES: the events of their clients", async () => {
    const made = await calendarUrl(as(sales));
    assert.deepEqual(await ids(await feedEvents(db, made.key)), [mine.id, unassigned.id]);
  });
  await t.step("MANAGEMENT has no feed: exit 4", async () => {
    assert.equal((await failure(calendarUrl(as(manager)))).exitCode, 4);
    assert.equal((await failure(calendarReset(as(manager)))).exitCode, 4);
  });
  await t.step("a password change keeps the feed; the owner's deletion ends it", async () => {
    const leaving = await build.user("SUPPORT");
    const made = await calendarReset(as(leaving)); // reset with no key makes one
    assert.equal(made.replaced, false);
    await updateUser(as(manager), { id: leaving.id, password: "a new password 123" });
    assert.deepEqual(await ids(await feedEvents(db, made.key)), []);
    await deleteUser(as(manager), { id: leaving.id });
    assert.equal((await failure(feedEvents(db, made.key))).exitCode, 5);
    const left = await db.query("SELECT user_id FROM calendar_feeds WHERE user_id = $1", [leaving.id]);
    assert.deepEqual(left, []);
  });
  await t.step("an owner who became a manager has no feed: 404", async () => {
    const promoted = await build.user("SUPPORT");
    const made = await calendarUrl(as(promoted));
    await updateUser(as(manager), { id: promoted.id, role: "MANAGEMENT" });
    assert.equal((await failure(feedEvents(db, made.key))).exitCode, 5);
  });
});
