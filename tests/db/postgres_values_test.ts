/**
 * What the PostgreSQL adapter reads: instants as the ISO 8601 text
 * `Date.prototype.toISOString` gives (the adapter rearranges PostgreSQL's
 * text instead of building a Date), and a stream that fails part-way.
 * @module
 */
import assert from "node:assert/strict";
import { instantText } from "../../src/db/postgres.ts";
import { postgresTest } from "../support/backends.ts";

/** What the driver's Date gave before: the reference for every instant. */
const viaDate = (text: string) => new Date(text).toISOString();

Deno.test("instantText gives the text of Date's toISOString for every form PostgreSQL prints", () => {
  const samples = [
    "2027-06-04 18:00:00+00",
    "1000-01-01 00:00:00+00",
    "1969-12-31 23:59:59+00",
    "9999-12-31 23:59:59.999999+00",
    // Fractions of 1 to 6 digits: milliseconds are their first three, truncated.
    "2027-06-04 18:00:00.1+00",
    "2027-06-04 18:00:00.12+00",
    "2027-06-04 18:00:00.123+00",
    "2027-06-04 18:00:00.1239+00",
    "2027-06-04 18:00:00.12399+00",
    "2027-06-04 18:00:00.999999+00",
    // Forms that go through Date: other offsets, other types, odd years.
    "2027-06-04 18:00:00+02",
    "2027-06-04 18:00:00.5-08",
    "2027-06-04 18:00:00+05:30",
    "2027-06-04 18:00:00",
    "2027-06-04",
    "0999-01-01 00:00:00+00",
    "0999-12-31 23:59:59.999999+00",
    "10000-01-01 00:00:00+00",
    "12345-06-07 08:09:10.5+00",
    "2027-06-04 18:00:00.123456",
    "2027-06-04 18:00:00.5",
    "0999-01-01",
    "10000-01-01",
  ];
  for (const text of samples) assert.equal(instantText(text), viaDate(text), text);
  // What Date cannot read (years before Christ, infinities) fails as it did.
  for (const text of ["0044-03-15 12:00:00+00 BC", "0001-01-01 00:00:00.5+00 BC", "0044-03-15 BC", "-infinity"]) {
    assert.throws(() => instantText(text), RangeError, text);
    assert.throws(() => viaDate(text), RangeError, text);
  }
  assert.equal(instantText("2027-06-04 18:00:00.5+00"), "2027-06-04T18:00:00.500Z");
  assert.equal(instantText("2027-06-04 18:00:00.123456+02"), "2027-06-04T16:00:00.123Z");
  // What Date cannot read fails as it did.
  assert.throws(() => instantText("infinity"), RangeError);
});

Deno.test("instantText agrees with Date on random instants of every precision", () => {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  for (let i = 0; i < 5_000; i++) {
    const ms = Math.floor((random() * 2 - 1) * 30_000_000_000_000);
    const iso = new Date(ms).toISOString(); // 1019-… to 2920-…
    const digits = Math.floor(random() * 7);
    const fraction = digits === 0
      ? ""
      : `.${iso.slice(20, 23)}${pad(Math.floor(random() * 1000), 3)}`.slice(0, 1 + digits);
    const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00`;
    assert.equal(instantText(text), viaDate(text), text);
  }
});

postgresTest(
  "PostgreSQL: instants, dates and timestamps read as Date's ISO text, by query and by stream",
  async (db) => {
    const sql = `SELECT '2027-06-04 18:00:00.123456+02'::timestamptz AS micro,
      '2027-06-04 18:00:00+00'::timestamptz AS whole,
      '1969-12-31 23:59:59.9-01'::timestamptz AS before_epoch,
      NULL::timestamptz AS none,
      '2027-06-04'::date AS day,
      '2027-06-04 18:00:00.25'::timestamp AS local`;
    const expected = {
      micro: "2027-06-04T16:00:00.123Z",
      whole: "2027-06-04T18:00:00.000Z",
      before_epoch: "1970-01-01T00:59:59.900Z",
      none: null,
      day: "2027-06-04T00:00:00.000Z",
      // A timestamp without a zone is read in the process's zone, as the driver's Date did.
      local: viaDate("2027-06-04 18:00:00.25"),
    };
    assert.deepEqual(await db.query(sql), [expected]);
    assert.deepEqual(await Array.fromAsync(db.stream(sql)), [expected]);
  },
);

postgresTest(
  "PostgreSQL: every instant, date and timestamp it prints is read as Date reads that text",
  async (db) => {
    // 3,000 instants from the year 900 to 12000, with fractions of every length (PostgreSQL drops
    // trailing zeros) and none; each beside the text PostgreSQL prints for it in this session.
    const rows = await db.query<Record<string, string>>(
      `SELECT v AS value, v::text AS raw, v::date AS day, v::date::text AS day_raw,
         v::timestamp AS local, v::timestamp::text AS local_raw
       FROM (SELECT timestamptz '0900-01-01 00:00:00+00' + n * interval '1351 days 7 hours 13 minutes 17 seconds'
              + ((n * 7919) % 1000000 / (10 ^ (n % 7))::int * (10 ^ (n % 7))::int) * interval '1 microsecond' AS v
             FROM generate_series(0, 2999) AS n) AS t`,
    );
    assert.equal(rows.length, 3000);
    const fractions = new Set<number>();
    for (const row of rows) {
      assert.equal(row.value, viaDate(row.raw), row.raw);
      assert.equal(row.day, viaDate(row.day_raw), row.day_raw);
      assert.equal(row.local, viaDate(row.local_raw), row.local_raw);
      fractions.add(/\.(\d+)/.exec(row.raw)?.[1].length ?? 0);
    }
    assert.deepEqual([...fractions].sort(), [0, 1, 2, 3, 4, 5, 6]);
    assert.ok(rows.some((row) => row.raw.startsWith("09")) && rows.some((row) => row.raw.startsWith("11")));
  },
);

postgresTest(
  "PostgreSQL: a statement that fails after some rows leaves nothing behind for the next one",
  async (db) => {
    const sql = "SELECT n, 1 / (n - 1500) AS q FROM generate_series(1, 3000) AS n";
    const seen: number[] = [];
    await assert.rejects(
      async () => {
        for await (const row of db.stream<{ n: number }>(sql)) seen.push(row.n);
      },
      /division by zero/,
    );
    assert.ok(seen.length > 0 && seen.length < 1500, `${seen.length} rows before the error`);
    assert.deepEqual(seen, Array.from({ length: seen.length }, (_, i) => i + 1));
    // The connection went back to the pool, and what it runs next has its own rows only
    // (postgres.js left empty slots for the failed statement's rows: porsager/postgres#1181).
    const series = "SELECT n FROM generate_series(1, 600) AS n";
    const expected = Array.from({ length: 600 }, (_, i) => ({ n: i + 1 }));
    for (let i = 0; i < 6; i++) assert.deepEqual(await Array.fromAsync(db.stream(series)), expected);
    await assert.rejects(db.query(sql), /division by zero/);
    for (let i = 0; i < 6; i++) assert.deepEqual(await db.query(series), expected);
    assert.deepEqual(await db.one("SELECT 7 AS n"), { n: 7 });
  },
);
