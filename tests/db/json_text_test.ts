/**
 * `event list --json` on PostgreSQL prints the JSON text the database builds
 * (`SqlFeatures.jsonValue`, `recordJsonSql`): it must be byte-identical to
 * what the CLI's JSON writer prints of the records (`JSON.stringify(rows,
 * null, 2)`), on data chosen to break it — every character JSON escapes or
 * could be tempted to (quotes, backslashes, control characters, U+2028 and
 * U+2029, DEL, C1 controls, emoji, combining marks), the largest counts,
 * instants with 0 to 6 digits of fraction at the ends of the years 1000 to
 * 9999, nulls — and to give the same rows for every filter and caller.
 * @module
 */
import assert from "node:assert/strict";
import type { Database } from "../../src/db/database.ts";
import { NotAuthenticatedError } from "../../src/domain/errors.ts";
import { jsonText } from "../../src/cli/output/formats.ts";
import { streamJson } from "../../src/cli/output/print.ts";
import type { Io } from "../../src/cli/app/io.ts";
import { POSTGRES_FEATURES } from "../../src/db/postgres.ts";
import { recordJsonSql } from "../../src/repositories/json_text.ts";
import { contractRecord } from "../../src/contract/contracts.ts";
import { listEvents, listEventsJson } from "../../src/services/events.ts";
import { listClients, listClientsJson } from "../../src/services/clients.ts";
import { listContracts, listContractsJson } from "../../src/services/contracts.ts";
import type { ActorLike } from "../support/fixtures.ts";
import { loginAs, PASSWORD, serviceContext } from "../support/fixtures.ts";
import { seed } from "../../tools/seed.ts";
import { backendTest, postgresTest } from "../support/backends.ts";

/** A deterministic generator (the same cases at every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** Characters that JSON escapes, or that a hand-made escaper might get wrong. */
const TRICKY = [
  '"',
  "\\",
  "/",
  "'",
  "\b",
  "\f",
  "\n",
  "\r",
  "\t",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u0080",
  "\u009f",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\uffff",
  "é",
  "e\u0301",
  "ß",
  "ﬁ",
  "中",
  "😀",
  "👩‍👩‍👧",
  "𝄞",
  "<",
  "&",
  "%",
  "_",
  "\\u0041",
  " ",
  "a",
  "Z",
  "0",
];

function trickyText(next: () => number, max: number): string {
  const length = 1 + Math.floor(next() * max);
  let text = "";
  for (let i = 0; i < length; i++) text += TRICKY[Math.floor(next() * TRICKY.length)];
  return text;
}

/** An instant of the years 1000–9999 as PostgreSQL reads it, with 0 to 6 digits of fraction. */
function instant(next: () => number): string {
  const min = Date.UTC(1000, 0, 1);
  const max = Date.UTC(9999, 11, 31, 23, 59, 59);
  const iso = new Date(min + Math.floor(next() * (max - min))).toISOString();
  const digits = Math.floor(next() * 7);
  const fraction = Array.from({ length: digits }, () => Math.floor(next() * 10)).join("");
  return `${iso.slice(0, 19)}${digits ? `.${fraction}` : ""}+00`;
}

/** Rewrites the seeded events with adversarial values (straight in SQL: the program would refuse some). */
async function makeAdversarial(db: Database): Promise<void> {
  const next = random(20);
  const ids = (await db.query<{ id: number }>("SELECT id FROM events ORDER BY id")).map((r) => r.id);
  const edges: [string, string][] = [
    ["1000-01-01 00:00:00+00", "1000-01-01 00:00:00.000001+00"],
    ["9999-12-31 23:59:59.998999+00", "9999-12-31 23:59:59.999999+00"],
    ["2027-06-04 18:00:00.1239+00", "2027-06-04 18:00:00.9999+00"],
    ["1969-12-31 23:59:59.5+00", "1970-01-01 00:00:00+00"],
    // Years the SQL does not write (the record's own text is printed): one before 1000.
    ["0999-12-31 23:59:59.5+00", "2000-01-01 00:00:00+00"],
  ];
  for (const [i, id] of ids.entries()) {
    const [start, end] = i < edges.length ? edges[i] : [instant(next), instant(next)];
    // The earlier first (the end must be after the start).
    await db.execute(
      `UPDATE events SET name = $1, client_contact = $2, location = $3, notes = $4, attendees = $5,
         start_date = least($6::text::timestamptz, $7::text::timestamptz),
         end_date = CASE WHEN $6::text::timestamptz = $7::text::timestamptz THEN $7::text::timestamptz + interval '1 ms'
           ELSE greatest($6::text::timestamptz, $7::text::timestamptz) END,
         support_contact_id = CASE WHEN $8 THEN NULL ELSE support_contact_id END
       WHERE id = $9`,
      [
        trickyText(next, 40),
        trickyText(next, 40),
        trickyText(next, 80),
        next() < 0.3 ? null : trickyText(next, 200),
        [0, 1, 2_147_483_647][Math.floor(next() * 3)],
        start,
        end,
        next() < 0.3,
        id,
      ],
    );
  }
}

/** The text of a JSON array streamed by the CLI's printer from `rows`. */
async function printed(rows: AsyncIterable<unknown> | readonly unknown[]): Promise<string> {
  let out = "";
  const io = { writeOut: (text: string) => out += text } as unknown as Io;
  await streamJson(
    io,
    Symbol.asyncIterator in rows ? rows : (async function* () {
      yield* rows;
    })(),
  );
  return out;
}

/** One collaborator of each role, as seeded. */
async function actors(db: Database): Promise<Record<"MANAGEMENT" | "SALES" | "SUPPORT", ActorLike>> {
  const found: Record<string, ActorLike> = {};
  for (const role of ["MANAGEMENT", "SALES", "SUPPORT"] as const) {
    // The collaborator with the most events, so that --mine has rows.
    const column = role === "SALES" ? "client_sales_contact_id" : "support_contact_id";
    const user = await db.one<ActorLike>(
      `SELECT u.id, u.email, u.role FROM users u WHERE u.role = $1
       ORDER BY (SELECT count(*) FROM events e WHERE e.${column} = u.id) DESC, u.id LIMIT 1`,
      [role],
    );
    found[role] = user!;
  }
  return found as Record<"MANAGEMENT" | "SALES" | "SUPPORT", ActorLike>;
}

postgresTest("PostgreSQL: the JSON text built by the database is the records' JSON, byte for byte", async (db) => {
  await seed(db, { clients: 60, events: 700, bcryptRounds: 4 });
  await makeAdversarial(db);
  const now = new Date("2600-01-01T00:00:00Z");
  const who = await actors(db);
  const filters: Record<string, unknown>[] = [
    {},
    { mine: true },
    { unassigned: true },
    { upcoming: true },
    { contract: (await db.one<{ c: number }>("SELECT contract_id AS c FROM events WHERE id = 10"))!.c },
    { limit: 7 },
    { limit: 300, offset: 5 },
    { limit: 1000, offset: 250 },
    { mine: true, upcoming: true, limit: 40 },
  ];
  let texts = 0;
  for (const actor of Object.values(who)) {
    const ctx = serviceContext(db, actor, { now: () => now });
    for (const filter of filters) {
      const label = `${actor.role} ${JSON.stringify(filter)}`;
      const records = await Array.fromAsync(listEvents(ctx, { ...filter, display: false }));
      const rows = listEventsJson(ctx, filter);
      assert.ok(rows, "PostgreSQL builds the JSON text");
      const items = await Array.fromAsync(rows);
      texts += items.filter((item) => item instanceof Uint8Array).length;
      assert.equal(await printed(items), jsonText(records), label);
      assert.equal(await printed(listEventsJson(ctx, filter)!), jsonText(records), label);
    }
  }
  // Every row but the one of year 999 (printed from its record) came as text.
  assert.ok(texts > 0);
  const all = await Array.fromAsync(listEventsJson(serviceContext(db, who.MANAGEMENT), {})!);
  assert.deepEqual(
    all.map((item, i) => item instanceof Uint8Array ? null : i),
    all.map((_, i) => i === 4 ? 4 : null),
  );
  // Whoever may not list events may not list their text either.
  assert.throws(() => listEventsJson(serviceContext(db, null), {}), NotAuthenticatedError);
});

postgresTest("PostgreSQL: amounts, booleans and nulls as JSON text, as the records print them", async (db) => {
  await seed(db, { clients: 5, events: 0, bcryptRounds: 4 });
  const cents = [0, 1, 5, 99, 100, 150_050, 99_999_999_999_999, 9_007_199_254_740_991];
  const json = recordJsonSql(POSTGRES_FEATURES, contractRecord, "c")!;
  const ids = (await db.query<{ id: number }>("SELECT id FROM contracts ORDER BY id")).map((r) => r.id);
  for (const [i, value] of cents.entries()) {
    const id = ids[i % ids.length];
    await db.execute(
      "UPDATE contracts SET total_amount_cents = $1, amount_due_cents = $2, signed_status = $3 WHERE id = $4",
      [value, i % 2 ? value : 0, i % 2 === 0, id],
    );
    const row = await db.one<{ json: string }>(`SELECT ${json} AS json FROM contracts c WHERE c.id = $1`, [id]);
    const { toRecord } = await import("../../src/contract/meta.ts");
    const stored = await db.one(`SELECT * FROM contracts WHERE id = $1`, [id]);
    assert.equal(`[\n  ${row!.json}\n]\n`, jsonText([toRecord(contractRecord, stored!)]), String(value));
  }
  // Beyond JavaScript's safe integers, no text: the record's own printing decides.
  await db.execute("UPDATE contracts SET total_amount_cents = $1 WHERE id = $2", ["9007199254740993", ids[0]]);
  const row = await db.one<{ json: string | null }>(`SELECT ${json} AS json FROM contracts c WHERE c.id = $1`, [
    ids[0],
  ]);
  assert.equal(row!.json, null);
});

postgresTest(
  "PostgreSQL: client and contract lists as JSON text are their records' JSON, byte for byte",
  async (db) => {
    await seed(db, { clients: 120, events: 0, bcryptRounds: 4 });
    const next = random(7);
    for (const { id } of await db.query<{ id: number }>("SELECT id FROM clients ORDER BY id")) {
      await db.execute(
        `UPDATE clients SET full_name = $1, email = $2, phone = $3, company_name = $4,
         created_at = $5::text::timestamptz, last_updated = $6::text::timestamptz WHERE id = $7`,
        [
          trickyText(next, 40),
          `${trickyText(next, 20)}${id}@x`,
          `${[...trickyText(next, 6)].slice(0, 10).join("")}-${String(id).padStart(4, "0")}`,
          trickyText(next, 40),
          instant(next),
          instant(next),
          id,
        ],
      );
    }
    const cents = [0, 1, 5, 99, 100, 150_050, 99_999_999_999_999, 9_007_199_254_740_991];
    for (const { id } of await db.query<{ id: number }>("SELECT id FROM contracts ORDER BY id")) {
      const total = cents[Math.floor(next() * cents.length)];
      await db.execute(
        "UPDATE contracts SET total_amount_cents = $1, amount_due_cents = $2, created_at = $3::text::timestamptz WHERE id = $4",
        [total, Math.floor(total * next()), instant(next), id],
      );
    }
    const who = await actors(db);
    const client = (await db.one<{ id: number }>("SELECT client_id AS id FROM contracts ORDER BY id LIMIT 1"))!.id;
    const cases: [string, Record<string, unknown>][] = [
      ["clients", {}],
      ["clients", { mine: true }],
      ["clients", { search: "é" }],
      ["clients", { limit: 9, offset: 3 }],
      ["contracts", {}],
      ["contracts", { mine: true }],
      ["contracts", { unsigned: true }],
      ["contracts", { unpaid: true, limit: 50 }],
      ["contracts", { client }],
    ];
    for (const actor of Object.values(who)) {
      const ctx = serviceContext(db, actor);
      for (const [list, filter] of cases) {
        const [records, texts]: [AsyncIterable<unknown>, AsyncIterable<unknown> | undefined] = list === "clients"
          ? [listClients(ctx, { ...filter, display: false }), listClientsJson(ctx, filter)]
          : [listContracts(ctx, { ...filter, display: false }), listContractsJson(ctx, filter)];
        assert.ok(texts);
        assert.equal(
          await printed(texts),
          jsonText(await Array.fromAsync(records)),
          `${actor.role} ${list} ${JSON.stringify(filter)}`,
        );
      }
    }
  },
);

backendTest("a raw stream gives each column's text as UTF-8 bytes, null as null", async (b) => {
  const db = await b.db();
  const sql = "SELECT 'é😀\"\\' AS a, 42 AS b, NULL AS c, '' AS d";
  const bytes = (text: string) => new TextEncoder().encode(text);
  const expected = [[bytes('é😀"\\'), bytes("42"), null, bytes("")]];
  // Compared as plain Uint8Arrays (PostgreSQL's are Node Buffers over the received message).
  const plain = (rows: (Uint8Array | null)[][]) => rows.map((row) => row.map((v) => v && new Uint8Array(v)));
  for (const options of [{ raw: true }, { raw: true, rows: 1 }]) {
    const rows = await Array.fromAsync(db.stream<(Uint8Array | null)[]>(sql, [], options));
    assert.ok(rows.every((row) => row.every((v) => v === null || v instanceof Uint8Array)));
    assert.deepEqual(plain(rows), expected);
  }
}, { remote: false });

backendTest("event list --json prints the records' JSON on every backend, whoever builds the text", async (b) => {
  const db = await b.db();
  await seed(db, { clients: 30, events: 600, bcryptRounds: 4, password: PASSWORD });
  if (b.name !== "sqlite") await makeAdversarial(db);
  const who = await actors(db);
  for (const actor of Object.values(who)) {
    const person = await loginAs(b, { id: actor.id, email: actor.email, role: actor.role });
    for (const args of [[], ["--mine"], ["--unassigned", "--limit", "260"], ["--offset", "3"]]) {
      const result = await person.cli(["event", "list", "--json", ...args]);
      assert.equal(result.code, 0, result.stderr);
      const ctx = serviceContext(db, actor);
      const records = await Array.fromAsync(listEvents(ctx, {
        mine: args.includes("--mine") || undefined,
        unassigned: args.includes("--unassigned") || undefined,
        limit: args.includes("--limit") ? 260 : undefined,
        offset: args.includes("--offset") ? 3 : undefined,
        display: false,
      }));
      assert.equal(result.stdout, jsonText(records), `${actor.role} ${args.join(" ")}`);
    }
  }
});

postgresTest(
  "PostgreSQL: a row printed from its record and deleted since the list began is left out, the list goes on",
  async (db) => {
    await seed(db, { clients: 20, events: 700, bcryptRounds: 4 });
    const ids = (await db.query<{ id: number }>("SELECT id FROM events ORDER BY id")).map((row) => row.id);
    const gone = ids[600]; // in the third batch of 250
    // A year the SQL does not write: this row is read back by id to be printed.
    await db.execute("UPDATE events SET start_date = '0999-12-31 23:59:59+00' WHERE id = $1", [gone]);
    const who = await actors(db);
    const rows = listEventsJson(serviceContext(db, who.MANAGEMENT), {})![Symbol.asyncIterator]();
    const first = await rows.next(); // the list's query has begun: its rows are those of this moment
    assert.ok(!first.done);
    await db.execute("DELETE FROM events WHERE id = $1", [gone]);
    const items = [first.value];
    for (let next = await rows.next(); !next.done; next = await rows.next()) items.push(next.value);
    assert.equal(items.length, ids.length - 1);
    const printedIds = (JSON.parse(await printed(items)) as { id: number }[]).map((event) => event.id);
    assert.deepEqual(printedIds, ids.filter((id) => id !== gone));
  },
);
