/**
 * `epic-events import clients|contracts|events FILE` as a user runs it, on
 * SQLite, PostgreSQL and through the server (`[remote]`: the file streamed to
 * the import endpoint): exports import back (`--format csv` and `--json` one
 * record a line) into an empty database giving the same rows, every kind of
 * bad line and bad file ends with exit 2 naming its line and nothing
 * written, permission refusals, `--dry-run`, `skip`/`update` idempotence, a
 * failure in the middle of a long file, standard input.
 * @module
 */
import assert from "node:assert/strict";
import type { Database } from "../../src/db/database.ts";
import { type Backend, backendTest, createBackend } from "../support/backends.ts";
import { type Crew, type Person, setupCrew } from "../support/fixtures.ts";

/** Rows of each table, and audit entries: what "nothing written" is checked against. */
async function counts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ["clients", "contracts", "events", "audit_log"]) {
    out[table] = Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);
  }
  return out;
}

/** Writes `content` to a file of the backend's folder and returns its path. */
async function file(b: Backend, name: string, content: string | Uint8Array): Promise<string> {
  const path = `${b.dir}/${name}`;
  if (typeof content === "string") await Deno.writeTextFile(path, content);
  else await Deno.writeFile(path, content);
  return path;
}

const WITHOUT_TIMES = (rows: Record<string, unknown>[]) =>
  rows.map(({ created_at: _c, last_updated: _l, ...rest }) => rest);

/** Records of `noun list --json`. */
async function listed(person: Person, noun: string): Promise<Record<string, unknown>[]> {
  const result = await person.cli([noun, "list", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  return result.json<Record<string, unknown>[]>();
}

/** Clients, contracts and events with commas, quotes, accents and line breaks. */
async function someData(crew: Crew): Promise<void> {
  const { build } = crew;
  const c1 = await build.client(crew.sales, { full_name: "Kévin Casey", company_name: "Cool, Startup" });
  const c2 = await build.client(crew.sales2, { full_name: 'Ann "Q" Lee', email: "ann@example.com" });
  const k1 = await build.contract(c1, { total_amount: "1500.50", amount_due: "200.00", signed: true });
  await build.contract(c1, { total_amount: "10.00" });
  const k3 = await build.contract(c2, { total_amount: "99.99", signed: true });
  await build.event(k1, { name: "Lancement", notes: 'Line one, with a comma\nand "quotes"', support: crew.support });
  await build.event(k1, { name: "Gala", start_date: "2027-07-01T18:00:00Z", end_date: "2027-07-02T01:00:00Z" });
  await build.event(k3, { name: "Brunch", location: "Lyon, France" });
}

/** What a source database holds, as `--json` lists. */
async function snapshot(person: Person) {
  return {
    clients: WITHOUT_TIMES(await listed(person, "client")),
    contracts: WITHOUT_TIMES(await listed(person, "contract")),
    events: await listed(person, "event"),
  };
}

for (const format of ["csv", "jsonl"] as const) {
  backendTest(`exports import back (${format}): an empty database gets the same rows`, async (a) => {
    const crew = await setupCrew(a);
    await someData(crew);
    const before = await snapshot(crew.manager);
    const exports: Record<string, string> = {};
    for (const noun of ["client", "contract", "event"]) {
      if (format === "csv") {
        const result = await crew.manager.cli([noun, "list", "--format", "csv"]);
        assert.equal(result.code, 0, result.stderr);
        exports[noun] = result.stdout;
      } else {
        exports[noun] = (await listed(crew.manager, noun)).map((r) => JSON.stringify(r) + "\n").join("");
      }
    }
    const b = await createBackend(a.name);
    try {
      const target = await setupCrew(b);
      for (const noun of ["client", "contract", "event"]) {
        const path = await file(b, `${noun}s.${format}`, exports[noun]);
        const result = await target.manager.cli(["import", `${noun}s`, path]);
        assert.equal(result.code, 0, `${noun}: ${result.stderr}`);
        assert.match(result.stdout, new RegExp(`^Imported ${noun}s: \\d+ created, 0 updated, 0 skipped\\.\\n$`));
      }
      const after = await snapshot(target.manager);
      // A list's CSV holds the list's columns: an event's notes travel in JSON Lines (or `event show`).
      if (format === "csv") { for (const e of before.events) e.notes = null; }
      assert.deepEqual(after, before);
      // One audit entry per record imported, as for a create.
      const db = await b.db();
      const audits = await db.query<{ action: string; n: number }>(
        "SELECT action, count(*) AS n FROM audit_log WHERE action LIKE '%.created' AND entity <> 'user' " +
          "GROUP BY action ORDER BY action",
      );
      assert.deepEqual(audits.map((r) => [r.action, Number(r.n)]), [
        ["client.created", 2],
        ["contract.created", 3],
        ["event.created", 3],
      ]);
    } finally {
      await b.dispose();
    }
  });
}

const HEADER = "NAME,COMPANY,EMAIL,PHONE,SALES CONTACT EMAIL";

function clientLine(n: number, sales = "sam@epic.test"): string {
  return `Client ${n},Corp ${n},client${n}@example.com,+33 6 12 34 56 78,${sales}`;
}

backendTest("bad lines: every one reported as `line N: field: …`, exit 2, nothing written", async (b) => {
  const crew = await setupCrew(b);
  const db = await b.db();
  await crew.build.client(crew.sales, { email: "taken@example.com" });
  const before = await counts(db);
  const path = await file(
    b,
    "clients.csv",
    [
      HEADER,
      clientLine(1),
      "Bad Email,Corp,not-an-email,+33 6 12 34 56 78,sam@epic.test",
      "Too,few,fields",
      "Taken,Corp,taken@example.com,+33 6 12 34 56 78,sam@epic.test",
      clientLine(1),
    ].join("\n") + "\n",
  );
  const result = await crew.manager.cli(["import", "clients", path]);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assert.deepEqual(lines.slice(0, -1), [
    "line 3: email: must be a valid email address",
    "line 4: has 3 fields, the header 5",
    "line 5: email: a client with this email already exists (client 1)",
    "line 6: email: the same as line 2",
  ]);
  assert.match(lines.at(-1)!, /^error: .*clients\.csv: 4 line errors; nothing was written$/);
  assert.deepEqual(await counts(db), before);

  // --json: the errors as an array on stdout, the error object on stderr; --dry-run says the same.
  const json = await crew.manager.cli(["import", "clients", path, "--json", "--dry-run"]);
  assert.equal(json.code, 2);
  assert.deepEqual(json.json<unknown[]>()[0], {
    line: 3,
    field: "email",
    code: "invalid_input",
    message: "email: must be a valid email address",
  });
  assert.equal(json.json<unknown[]>().length, 4);
  assert.equal(JSON.parse(json.stderr).error.code, "invalid_input");
  assert.deepEqual(await counts(db), before);
});

backendTest("bad files: not UTF-8, bad header, unclosed quote, huge line — exit 2 with the line", async (b, t) => {
  const crew = await setupCrew(b);
  const db = await b.db();
  const before = await counts(db);
  const encoder = new TextEncoder();
  const good = `${HEADER}\n${clientLine(1)}\n`;
  const latin1 = new Uint8Array([
    ...encoder.encode(good),
    ...encoder.encode("Zo"),
    0xe9,
    ...encoder.encode(",C,z@x.io,0123456,sam@epic.test\n"),
  ]);
  const cases: [string, string | Uint8Array, RegExp][] = [
    ["not UTF-8", latin1, /^line 3: .*UTF-8/m],
    ["bad header", "NAME,COMPNAY,EMAIL,PHONE\nA,B,c@d.io,0123456\n", /^line 1: unknown column "COMPNAY"/m],
    ["too many fields", `${good}${clientLine(2)},extra\n`, /^line 3: has 6 fields, the header 5$/m],
    ["unclosed quote", `${good}"Open,Corp,o@x.io,0123456,sam@epic.test\n${clientLine(3)}\n`, /^line 3: .*quote/m],
    ["huge line", `${good}${"x".repeat(3 * 1024 * 1024)}\n`, /^line 3: .*(long|MiB|bytes)/m],
  ];
  for (const [name, content, expected] of cases) {
    await t.step(name, async () => {
      const path = await file(b, `bad-${name.replaceAll(" ", "-")}.csv`, content);
      const result = await crew.manager.cli(["import", "clients", path]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, expected);
      assert.deepEqual(await counts(db), before);
    });
  }
});

backendTest("permissions: SUPPORT may not import clients (exit 4); SALES imports their own only", async (b) => {
  const crew = await setupCrew(b);
  const db = await b.db();
  const path = await file(b, "clients.csv", `${HEADER}\n${clientLine(1)}\n`);
  const support = await crew.support.cli(["import", "clients", path]);
  assert.equal(support.code, 4, support.stderr);
  // A SALES collaborator's clients become theirs; one naming another sales contact is refused, as by hand.
  const mine = await file(b, "mine.csv", "NAME,COMPANY,EMAIL,PHONE\nMine,Corp,mine@example.com,01234567\n");
  const own = await crew.sales.cli(["import", "clients", mine]);
  assert.equal(own.code, 0, own.stderr);
  const owner = await db.one<{ s: number }>(
    "SELECT sales_contact_id AS s FROM clients WHERE email = 'mine@example.com'",
  );
  assert.equal(owner!.s, crew.sales.id);
  const other = await file(b, "other.csv", `${HEADER}\n${clientLine(2, "sue@epic.test")}\n`);
  const refused = await crew.sales.cli(["import", "clients", other]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^line 2: .*own/m);
  assert.equal((await counts(db)).clients, 1);
});

backendTest("skip and update: a second run changes nothing; update changes what differs; dry run", async (b) => {
  const crew = await setupCrew(b);
  const db = await b.db();
  const rows = [clientLine(1), clientLine(2), clientLine(3)];
  const path = await file(b, "clients.csv", [HEADER, ...rows].join("\n") + "\n");
  const dry = await crew.manager.cli(["import", "clients", path, "--dry-run"]);
  assert.equal(dry.stdout, "Dry run, nothing written: clients: 3 would be created, 0 updated, 0 skipped.\n");
  assert.equal((await counts(db)).clients, 0);
  assert.equal((await crew.manager.cli(["import", "clients", path])).code, 0);
  const once = await counts(db);
  const again = await crew.manager.cli(["import", "clients", path, "--on-conflict", "skip", "--json"]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    (({ created, updated, skipped, committed }) => ({ created, updated, skipped, committed }))(
      again.json<Record<string, unknown>>(),
    ),
    { created: 0, updated: 0, skipped: 3, committed: true },
  );
  assert.deepEqual(await counts(db), once);
  const fail = await crew.manager.cli(["import", "clients", path]);
  assert.equal(fail.code, 2);
  assert.match(fail.stderr, /^line 2: email: a client with this email already exists/m);
  const changed = await file(
    b,
    "changed.csv",
    [HEADER, clientLine(1), clientLine(2).replace("+33 6 12 34 56 78", "+33 1 00 00 00 00"), clientLine(3)].join("\n") +
      "\n",
  );
  const update = await crew.manager.cli(["import", "clients", changed, "--on-conflict", "update"]);
  assert.equal(update.stdout, "Imported clients: 0 created, 1 updated, 2 skipped.\n");
  const phone = await db.one<{ phone: string }>("SELECT phone FROM clients WHERE email = 'client2@example.com'");
  assert.equal(phone!.phone, "+33 1 00 00 00 00");
  assert.equal(
    (await crew.manager.cli(["import", "clients", changed, "--on-conflict", "update"])).stdout,
    "Imported clients: 0 created, 0 updated, 3 skipped.\n",
  );
  const bad = await crew.manager.cli(["import", "clients", path, "--on-conflict", "merge"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--on-conflict: must be one of fail, skip, update/);
});

backendTest("a bad line in the middle of a long file leaves nothing written", async (b) => {
  const crew = await setupCrew(b);
  const db = await b.db();
  const lines = [HEADER];
  for (let i = 1; i <= 1200; i++) lines.push(i === 1000 ? "Bad,Corp,bad,0123456,sam@epic.test" : clientLine(i));
  const path = await file(b, "long.csv", lines.join("\n") + "\n");
  const before = await counts(db);
  const result = await crew.manager.cli(["import", "clients", path]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^line 1001: email: must be a valid email address$/m);
  assert.deepEqual(await counts(db), before);
});

backendTest("standard input: `-` with --format; without it, exit 2 naming --format", async (b) => {
  const crew = await setupCrew(b);
  const stdin = `${HEADER}\n${clientLine(1)}\n`;
  const missing = await crew.manager.cli(["import", "clients", "-"], { stdin });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: --format: give csv or jsonl to read standard input$/m);
  const unknown = await crew.manager.cli(["import", "clients", `${b.dir}/clients.txt`]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--format: cannot tell the format/);
  const nofile = await crew.manager.cli(["import", "clients", `${b.dir}/nothing.csv`]);
  assert.equal(nofile.code, 2);
  assert.match(nofile.stderr, /file: cannot read .*nothing\.csv: no such file/);
  const done = await crew.manager.cli(["import", "clients", "-", "--format", "csv"], { stdin });
  assert.equal(done.code, 0, done.stderr);
  assert.equal(done.stdout, "Imported clients: 1 created, 0 updated, 0 skipped.\n");
  const jsonl = JSON.stringify({
    full_name: "J L",
    company_name: "C",
    email: "jl@example.com",
    phone: "0123456",
    sales_contact_email: "sue@epic.test",
  });
  const lines = await crew.manager.cli(["import", "clients", "-", "--format", "jsonl"], { stdin: jsonl + "\n" });
  assert.equal(lines.code, 0, lines.stderr);
});

backendTest("a progress bar on a terminal only; messages in French with EPIC_EVENTS_LANG=fr", async (b) => {
  const crew = await setupCrew(b);
  const path = await file(b, "clients.csv", `${HEADER}\n${clientLine(1)}\n${clientLine(2)}\n`);
  const tty = await crew.manager.cli(["import", "clients", path, "--dry-run"], { tty: true });
  assert.equal(tty.code, 0, tty.stderr);
  assert.match(tty.stderr, /\rImporting clients/);
  const piped = await crew.manager.cli(["import", "clients", path, "--dry-run"]);
  assert.equal(piped.stderr, "");
  const dumb = await crew.manager.cli(["import", "clients", path, "--dry-run"], { tty: true, env: { TERM: "dumb" } });
  assert.doesNotMatch(dumb.stderr, /Importing/);

  const fr = { EPIC_EVENTS_LANG: "fr" };
  const done = await crew.manager.cli(["import", "clients", path], { env: fr });
  assert.equal(done.stdout, "clients importés\u00a0: 2 créés, 0 mis à jour, 0 ignorés.\n");
  const again = await crew.manager.cli(["import", "clients", path], { env: fr });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^ligne 2\u00a0: email\u00a0: un client avec cet email existe déjà \(client \d+\)$/m);
  assert.match(again.stderr, /clients\.csv\u00a0: 2 erreurs de ligne\u00a0; rien n’a été écrit/);
  // A line refused by the record's rules is said in French too, the field still named.
  const bad = await file(b, "bad.csv", `${HEADER}\nA B,C,not-an-email,0123,sam@epic.test\n`);
  const refused = await crew.manager.cli(["import", "clients", bad], { env: fr });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^ligne 2\u00a0: email\u00a0: doit être une adresse e-mail valide$/m);
  const english = await crew.manager.cli(["import", "clients", bad]);
  assert.match(english.stderr, /^line 2: email: must be a valid email address$/m);
  // Machine output does not change with the language; the message is the reader's, as in the JSON error object.
  const json = await crew.manager.cli(["import", "clients", path, "--json"], { env: fr });
  const [first] = json.json<{ code: string; field: string; message: string }[]>();
  assert.equal(first.code, "conflict");
  assert.equal(first.field, "email");
  assert.match(first.message, /^email\u00a0: un client avec cet email existe déjà/);
});

backendTest("a contract's CLIENT column names its client when the name is unique; else exit 2 naming it", async (b) => {
  const crew = await setupCrew(b);
  await crew.build.client(crew.sales, { full_name: "Ann Lee", email: "ann1@example.com" });
  await crew.build.client(crew.sales, { full_name: "Ann Lee", email: "ann2@example.com" });
  await crew.build.client(crew.sales, { full_name: "Bo Chen", email: "bo@example.com" });
  const path = await file(
    b,
    "contracts.csv",
    "CLIENT,TOTAL,DUE,SIGNED\nBo Chen,100.00,100.00,false\nAnn Lee,5.00,5.00,false\n",
  );
  const ambiguous = await crew.manager.cli(["import", "contracts", path]);
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /^line 3: client_name: 2 clients are named Ann Lee: give client_email$/m);
  const unique = await file(b, "bo.csv", "CLIENT,TOTAL,DUE,SIGNED\nBo Chen,100.00,100.00,false\n");
  const done = await crew.manager.cli(["import", "contracts", unique]);
  assert.equal(done.code, 0, done.stderr);
  const contracts = await listed(crew.manager, "contract");
  assert.deepEqual(contracts.map((c) => [c.client_id, c.total_amount]), [[3, "100.00"]]);
});
