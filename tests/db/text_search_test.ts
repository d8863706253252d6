/**
 * Client search through the trigram indexes keeps exactly the semantics of
 * a case-insensitive, literal substring match: the SQLite FTS5 index is only
 * asked for texts whose every letter it folds like JavaScript's case mapping
 * (checked here over every code point), and the index stays in step with the
 * clients as they are created, renamed and deleted.
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { caseVariants, trigramSearchable } from "../../src/db/sqlite.ts";
import type { Database } from "../../src/db/database.ts";
import { clientListQuery, listClients } from "../../src/repositories/clients.ts";
import { seed } from "../../tools/seed.ts";
import { backendTest, createBackend } from "../support/backends.ts";

Deno.test("SQLite: FTS5 finds every case variant of each letter the index is used for", async () => {
  const b = await createBackend("sqlite");
  try {
    const db = await b.db();
    await seed(db, { clients: 0, events: 0, bcryptRounds: 4 });
    // The tokenizer exactly as migration 0005 declared it.
    const declared = (await db.one<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'clients_search'"))!;
    const tokenize = /tokenize\s*=\s*'([^']+)'/.exec(declared.sql)![1];
    const scratch = new DatabaseSync(":memory:");
    scratch.exec(`CREATE VIRTUAL TABLE t USING fts5(a, tokenize = '${tokenize}')`);
    const insert = scratch.prepare("INSERT INTO t (rowid, a) VALUES (?, ?)");
    const found = scratch.prepare("SELECT rowid FROM t WHERE t MATCH ?");
    const missed: string[] = [];
    let checked = 0;
    let rowid = 0;
    scratch.exec("BEGIN");
    for (let cp = 0x20; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const variants = caseVariants(ch);
      if (variants.length < 2 || !trigramSearchable(`a${ch}b`)) continue;
      checked++;
      for (const variant of variants) {
        insert.run(++rowid, `a${variant}b`);
        const rowids = (found.all(`"a${ch}b"`) as { rowid: number }[]).map((r) => r.rowid);
        if (!rowids.includes(rowid)) {
          missed.push(`${ch} (U+${cp.toString(16)}) misses ${variant} (U+${variant.codePointAt(0)!.toString(16)})`);
        }
      }
    }
    scratch.exec("COMMIT");
    scratch.close();
    assert.ok(checked > 900, `${checked} letters checked`);
    assert.deepEqual(missed, []);
  } finally {
    await b.dispose();
  }
});

Deno.test("SQLite: texts the index cannot serve exactly are searched without it", () => {
  assert.equal(trigramSearchable("mül"), true);
  assert.equal(trigramSearchable("Élodie Lefèvre"), true);
  assert.equal(trigramSearchable("100%_*?[\\"), true, "symbols have no case: the index matches them literally");
  assert.equal(trigramSearchable("mü"), false, "shorter than a trigram");
  assert.equal(trigramSearchable("ıldız"), false, "dotless ı: its upper case I folds to i in FTS5");
  assert.equal(trigramSearchable("ლევანი"), false, "Georgian: Mtavruli capitals are newer than FTS5's tables");
});

/** Creates clients straight through SQL (the triggers keep the search index). */
async function addClients(db: Database, names: [string, string, string][]): Promise<number[]> {
  const sales = await db.one<{ id: number }>("SELECT id FROM users WHERE role = 'SALES' ORDER BY id");
  const ids: number[] = [];
  for (const [full_name, email, company_name] of names) {
    const row = await db.one<{ id: number }>(
      `INSERT INTO clients (full_name, email, phone, company_name, sales_contact_id, created_at, last_updated)
       VALUES ($1, $2, '0102030405', $3, $4, $5, $5) RETURNING id`,
      [full_name, email, company_name, sales!.id, new Date().toISOString()],
    );
    ids.push(row!.id);
  }
  return ids;
}

async function search(db: Database, text: string): Promise<number[]> {
  return (await Array.fromAsync(listClients(db, { search: text }))).map((c) => c.id);
}

backendTest("search: letters beyond FTS5's folding, short texts, renames and deletes stay exact", async (b) => {
  const db = await b.db();
  await seed(db, { clients: 30, events: 0, bcryptRounds: 4 });
  const [georgian, turkish, plain] = await addClients(db, [
    ["ᲚᲔᲕᲐᲜᲘ Ჯაფარიძე", "levani@example.test", "ᲗᲑᲘᲚᲘᲡᲘ Ltd"],
    ["YILDIZ Kaya", "yildiz@example.test", "Işık A.Ş."],
    ["Zoë Quintessence", "zq@example.test", "Quux Ltd"],
  ]);
  // Georgian capitals (Mtavruli) found from their lower case, and the reverse.
  assert.deepEqual(await search(db, "ლევანი"), [georgian]);
  assert.deepEqual(await search(db, "თბილისი"), [georgian]);
  assert.deepEqual(await search(db, "ᲯᲐᲤᲐᲠᲘᲫᲔ"), [georgian]);
  // Dotless ı finds I (its upper case), the same on both backends; I finds I and i, not ı.
  assert.deepEqual(await search(db, "yıldız"), [turkish]);
  assert.deepEqual(await search(db, "işık"), [turkish]);
  assert.deepEqual(await search(db, "IŞIK"), []);
  // Short texts, through no index.
  assert.ok((await search(db, "Ë")).includes(plain));
  assert.deepEqual(await search(db, "ZQ"), [plain]);
  // Renamed and deleted clients: the index follows.
  await db.execute("UPDATE clients SET full_name = 'Zoë Xylophone', company_name = 'Other' WHERE id = $1", [plain]);
  assert.deepEqual(await search(db, "quintessence"), []);
  assert.deepEqual(await search(db, "quux"), []);
  assert.deepEqual(await search(db, "XYLOPHONE"), [plain]);
  assert.deepEqual(await search(db, "zq@example"), [plain], "an unchanged column is still found");
  await db.execute("DELETE FROM clients WHERE id = $1", [plain]);
  assert.deepEqual(await search(db, "xylophone"), []);
});

backendTest(
  "search through the index gives the clients whose lower-cased fields contain the lower-cased text",
  async (b) => {
    const db = await b.db();
    await seed(db, { clients: 400, events: 0, bcryptRounds: 4 });
    for (const text of ["müller", "MÜLLER", "son", "é", "Ève", ".example.", "& Fils", "o'b", "no such text"]) {
      const { sql, params } = clientListQuery(db, { search: text });
      const rows = await db.query<{ id: number }>(sql, params);
      const all = await db.query<{ id: number; full_name: string; email: string; company_name: string }>(
        "SELECT id, full_name, email, company_name FROM clients ORDER BY id",
      );
      const lower = text.toLowerCase();
      const expected = all.filter((c) =>
        [c.full_name, c.email, c.company_name].some((v) => v.toLowerCase().includes(lower))
      );
      assert.deepEqual(rows.map((r) => r.id), expected.map((c) => c.id), text);
    }
  },
);
