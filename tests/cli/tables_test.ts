/**
 * Tables for people (issue 18): every list fits the terminal's width
 * (`COLUMNS`), long text shortened with `…` and ids, amounts and dates never;
 * `--wide` shows everything; amounts right-aligned and written as the
 * language writes them; wide characters measured as they show. Machine
 * output (JSON, CSV, TSV) is the same bytes in every language, and French
 * input habits (amounts, dates, roles) are read end to end.
 * @module
 */
import assert from "node:assert/strict";
import { displayWidth } from "../../src/cli/output/table.ts";
import { type Backend, backendTest } from "../support/backends.ts";
import { type Crew, ok, type Person, setupCrew } from "../support/fixtures.ts";
import { startInTerminal } from "../support/pty.ts";

const LONG_NOTES = "Bring the projector, the long extension cord and the spare microphones; vegan menu for 12; " +
  "the client wants photos of every table before the guests arrive";

/** Records with long text, wide characters and large amounts, and an audit trail of their making. */
async function world(b: Backend): Promise<Crew> {
  const crew = await setupCrew(b);
  const wide = await crew.build.client(crew.sales, {
    full_name: "山田 太郎 🎉 Ōkubo-Érard",
    company_name: "株式会社テスト・エンタープライズ国際事業部",
    email: "taro.yamada.international-events@very-long-company-domain.example",
  });
  const plain = await crew.build.client(crew.sales2, {
    full_name: "Kate Hastroff-Montgomery de la Tour d'Auvergne",
    company_name: "Cool Startup With A Rather Long Registered Name LLC",
  });
  await crew.build.contract(plain, { total_amount: "999999999999.99", amount_due: "12500.50" });
  const signed = await crew.build.contract(wide, { total_amount: "1500.50", signed: true });
  await crew.build.event(signed, {
    name: "Annual general assembly and gala dinner of the shareholders",
    location: "53 rue du Château, 75000 Paris, salle des fêtes du deuxième étage",
    notes: LONG_NOTES,
    support: crew.support,
  });
  // Audit entries with long changes.
  await ok(crew.manager.cli(["client", "update", String(plain.id), "--company-name", "A".repeat(90), "--json"]));
  return crew;
}

/** The lines of a table (what is above the line that names hidden columns, if any). */
function tableLines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => /^[┌│├└]/.test(line));
}

function assertFits(label: string, stdout: string, width: number): void {
  const lines = tableLines(stdout);
  assert.ok(lines.length >= 4, `${label}: a table\n${stdout}`);
  const widths = lines.map(displayWidth);
  assert.ok(Math.max(...widths) <= width, `${label}: wider than ${width} (${Math.max(...widths)})\n${stdout}`);
  // Every line as wide as the others: the columns are aligned, wide characters included.
  assert.equal(new Set(widths).size, 1, `${label}: lines of different widths ${widths}\n${stdout}`);
}

/** The ids of the first column, in order. */
function firstColumn(stdout: string): number[] {
  return [...stdout.matchAll(/^│ *(\d+) *│/gm)].map((m) => Number(m[1]));
}

const LISTS: Array<[string, string[]]> = [
  ["user list", ["user", "list"]],
  ["client list", ["client", "list"]],
  ["contract list", ["contract", "list"]],
  ["event list", ["event", "list"]],
  ["audit list", ["audit", "list"]],
];

backendTest("every list fits COLUMNS=80: text shortened with …, ids, amounts and dates whole", async (b) => {
  const { manager } = await world(b);
  const env = { COLUMNS: "80", TZ: "Europe/Paris" };
  for (const [label, args] of LISTS) {
    const table = await manager.cli([...args, "--format", "table"], { env });
    assert.equal(table.code, 0, `${label}: ${table.stderr}`);
    assertFits(label, table.stdout, 80);
    const json = await ok<{ id: number }[]>(manager.cli([...args, "--json"], { env }));
    assert.deepEqual(firstColumn(table.stdout), json.map((r) => r.id), `${label}: every id, whole`);
    // A terminal (no COLUMNS there: the same width said by the variable) fits the same way.
    const tty = await manager.cli(args, { env, tty: true });
    assert.equal(tty.stdout, table.stdout, `${label}: on a terminal as with --format table`);
  }
  const clients = await manager.cli(["client", "list", "--format", "table"], { env });
  assert.match(clients.stdout, /…/, "long names and emails are shortened");
  const contracts = await manager.cli(["contract", "list", "--format", "table"], { env });
  assert.match(contracts.stdout, /│ €999,999,999,999\.99 │/, "an amount is never shortened");
  assert.match(contracts.stdout, / +€1,500\.50 │/, "amounts are right-aligned");
  const events = await manager.cli(["event", "list", "--format", "table"], { env });
  assert.match(events.stdout, /│ 2027-06-04 13:00 CEST │/, "a date is never shortened");
  assert.match(events.stdout, /…/);
  assert.match(events.stdout, /columns? hidden to fit 80 columns: .*--wide/, "hidden columns are named");
  const audit = await manager.cli(["audit", "list", "--format", "table"], { env });
  assert.match(audit.stdout, /│ \d{4}-\d{2}-\d{2} \d{2}:\d{2} CES?T │/);
  // The changes are kept, shortened: the entity goes first (the action names it).
  assert.match(audit.stdout, /│ CHANGES +│/);
  assert.match(audit.stdout, /client\.updat.*│ company_na.*… │/);
  assert.match(audit.stdout, /1 column hidden to fit 80 columns: ENTITY \(/);
  // An event keeps its start, support and place; the client's contact (day one's import column), its end, contract
  // and count go first.
  assert.match(events.stdout, /4 columns hidden to fit 80 columns: CONTRACT, END, ATTENDEES, CLIENT CONTACT \(/);
});

backendTest("--wide: nothing shortened nor hidden, whatever COLUMNS says", async (b) => {
  const { manager } = await world(b);
  for (const [label, args] of LISTS) {
    const wide = await manager.cli([...args, "--format", "table", "--wide"], { env: { COLUMNS: "80" } });
    assert.equal(wide.code, 0, `${label}: ${wide.stderr}`);
    assert.doesNotMatch(wide.stdout, /…|hidden/, `${label}: nothing shortened or hidden`);
    // The global flag also goes before the command.
    const before = await manager.cli(["--wide", ...args, "--format", "table"], { env: { COLUMNS: "80" } });
    assert.equal(before.stdout, wide.stdout, label);
  }
  const events = await manager.cli(["event", "list", "--format", "table", "--wide"], { env: { COLUMNS: "80" } });
  assert.ok(tableLines(events.stdout).every((line) => displayWidth(line) > 80));
  assert.match(events.stdout, /Annual general assembly and gala dinner of the shareholders/);
  const clients = await manager.cli(["client", "list", "--format", "table", "--wide"], { env: { COLUMNS: "80" } });
  assert.match(clients.stdout, /山田 太郎 🎉 Ōkubo-Érard/);
  assert.match(clients.stdout, /taro\.yamada\.international-events@very-long-company-domain\.example/);
  // Without COLUMNS and off a terminal, a table is as wide as its content.
  const piped = await manager.cli(["event", "list", "--format", "table"]);
  assert.equal(piped.stdout, events.stdout);
});

backendTest("a record's view fits too: long text wraps, nothing is lost", async (b) => {
  const { manager } = await world(b);
  const [event] = await ok<{ id: number }[]>(manager.cli(["event", "list", "--json"]));
  const show = await manager.cli(["event", "show", String(event.id), "--format", "table"], {
    env: { COLUMNS: "60", TZ: "Europe/Paris" },
  });
  assert.equal(show.code, 0, show.stderr);
  assertFits("event show", show.stdout, 60);
  assert.doesNotMatch(show.stdout, /…/);
  const words = tableLines(show.stdout).map((line) => line.split("│")[2]?.trim() ?? "").join(" ");
  assert.ok(words.replace(/\s+/g, " ").includes(LONG_NOTES), "every word of the notes, in order");
  assert.match(show.stdout, /│ 2027-06-04 13:00 CEST *│/);
});

backendTest("a wide-character name is measured as it shows: two columns per ideograph and emoji", async (b) => {
  const { manager } = await world(b);
  for (const columns of ["100", "80", "60"]) {
    const table = await manager.cli(["client", "list", "--format", "table"], { env: { COLUMNS: columns } });
    assertFits(`client list at ${columns}`, table.stdout, Number(columns));
    assert.match(table.stdout, /山田/);
  }
  const wide = await manager.cli(["client", "list", "--format", "table", "--wide"]);
  assertFits("client list --wide", wide.stdout, Infinity);
});

backendTest("French: amounts as 1 500,50 €, right-aligned; dates in the French style; role names", async (b) => {
  const { manager } = await world(b);
  const env = { LANG: "fr_FR.UTF-8", COLUMNS: "120", TZ: "Europe/Paris" };
  const contracts = await manager.cli(["contract", "list", "--format", "table"], { env });
  assert.equal(contracts.code, 0, contracts.stderr);
  assert.match(contracts.stdout, /│ 999\u202f999\u202f999\u202f999,99\u00a0€ │/);
  assert.match(contracts.stdout, / +1\u202f500,50\u00a0€ │/);
  assert.match(
    contracts.stdout,
    /│ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC\+1 │|│ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC\+2 │/,
  );
  const events = await manager.cli(["event", "list", "--format", "table"], { env });
  assert.match(events.stdout, /│ 04\/06\/2027 13:00 UTC\+2 │/);
  const users = await manager.cli(["user", "list", "--format", "table"], { env });
  assert.match(users.stdout, /│ Gestion +│/);
  assert.match(users.stdout, /│ Commercial +│/);
  assert.match(users.stdout, /│ Support +│/);
  const english = await manager.cli(["user", "list", "--format", "table"], { env: { COLUMNS: "120" } });
  assert.match(english.stdout, /│ Management +│/);
  assert.match(english.stdout, /│ Sales +│/);
  const whoami = await manager.cli(["whoami", "--format", "table"], { env });
  assert.match(whoami.stdout, /│ Gestion/);
});

backendTest("JSON, CSV and TSV are the same bytes in French and in English, never shortened", async (b) => {
  const { manager } = await world(b);
  const [event] = await ok<{ id: number }[]>(manager.cli(["event", "list", "--json"]));
  const commands = [
    ...LISTS.map(([, args]) => args),
    ["event", "show", String(event.id)],
    ["whoami"],
  ];
  for (const args of commands) {
    for (const format of ["json", "csv", "tsv"]) {
      const run = (env: Record<string, string>) =>
        manager.cli([...args, "--format", format], { env: { COLUMNS: "40", TZ: "Europe/Paris", ...env } });
      const c = await run({ LANG: "C" });
      const fr = await run({ LANG: "fr_FR.UTF-8" });
      const frTerminal = await manager.cli([...args, "--format", format], {
        env: { LANG: "fr_FR.UTF-8", COLUMNS: "40" },
        tty: true,
      });
      assert.equal(c.code, 0, c.stderr);
      assert.equal(fr.stdout, c.stdout, `${args.join(" ")} --format ${format}`);
      assert.equal(fr.code, c.code);
      if (args[0] !== "whoami") {
        assert.equal(frTerminal.stdout.replace(/expires_at.*\n/g, ""), c.stdout.replace(/expires_at.*\n/g, ""));
      }
      assert.doesNotMatch(c.stdout, /…/, "never shortened");
    }
  }
  // Piped without --format: TSV, the same.
  const piped = await manager.cli(["contract", "list"], { env: { LANG: "fr_FR.UTF-8", COLUMNS: "40" } });
  assert.match(piped.stdout, /\t999999999999\.99\t12500\.50\t/);
});

/** A SALES person's new client, for the French input tests. */
async function salesClient(sales: Person): Promise<number> {
  const client = await ok<{ id: number }>(sales.cli([
    "client",
    "create",
    "--full-name",
    "Léa Martin",
    "--email",
    "lea@exemple.fr",
    "--company-name",
    "Fêtes & Co",
    "--phone",
    "+33 4 72 00 00 00",
    "--json",
  ]));
  return client.id;
}

backendTest("French input: 1 500,50 and 1500,5 as amounts, JJ/MM/AAAA HH:MM as dates, roles by name", async (b) => {
  const { manager, sales } = await setupCrew(b);
  const fr = { LANG: "fr_FR.UTF-8", TZ: "Europe/Paris" };
  const clientId = await salesClient(sales);
  for (
    const [typed, exact] of [
      ["1 500,50", "1500.50"],
      ["1\u00a0500,50", "1500.50"],
      ["1\u202f500,50", "1500.50"],
      ["1500,5", "1500.50"],
      ["1500.50", "1500.50"],
      ["12 345 678,00", "12345678.00"],
    ]
  ) {
    const contract = await ok<{ total_amount: string }>(
      sales.cli(["contract", "create", "--client", String(clientId), "--total", typed, "--json"], { env: fr }),
    );
    assert.equal(contract.total_amount, exact, typed);
  }
  // The same text in English is refused: a decimal comma is French.
  const english = await sales.cli(["contract", "create", "--client", String(clientId), "--total", "1500,50"]);
  assert.equal(english.code, 2);
  assert.match(english.stderr, /--total/);
  for (const bad of ["1 50,00", "1,500.50", "15 00", "1500,505", "-1 500,00"]) {
    const refused = await sales.cli(["contract", "create", "--client", String(clientId), "--total", bad], {
      env: fr,
    });
    assert.equal(refused.code, 2, bad);
    assert.match(refused.stderr, /--total/, bad);
  }

  const contract = await ok<{ id: number }>(
    sales.cli(["contract", "create", "--client", String(clientId), "--total", "1 000", "--json"], { env: fr }),
  );
  await ok(manager.cli(["contract", "sign", String(contract.id), "--json"]));
  const event = await ok<{ id: number; start_date: string; end_date: string }>(sales.cli([
    "event",
    "create",
    "--contract",
    String(contract.id),
    "--name",
    "Gala",
    "--client-contact",
    "Léa",
    "--start-date",
    "04/06/2027 18:00",
    "--end-date",
    "5/6/2027",
    "--location",
    "Lyon",
    "--attendees",
    "40",
    "--json",
  ], { env: fr }));
  assert.equal(event.start_date, "2027-06-04T16:00:00.000Z");
  assert.equal(event.end_date, "2027-06-04T22:00:00.000Z");
  const moved = await ok<{ start_date: string }>(
    manager.cli(["event", "update", String(event.id), "--start-date", "2027-06-04T17:00:00Z", "--json"], { env: fr }),
  );
  assert.equal(moved.start_date, "2027-06-04T17:00:00.000Z", "ISO 8601 is read in French too");
  for (const bad of ["31/02/2027 10:00", "04/06/27 18:00", "04/06/2027 25:00"]) {
    const refused = await manager.cli(["event", "update", String(event.id), "--start-date", bad], { env: fr });
    assert.equal(refused.code, 2, bad);
    assert.match(refused.stderr, /--start-date/, bad);
  }
  // Audit since a French date.
  const since = await manager.cli(["audit", "list", "--since", "01/01/2020", "--json"], { env: fr });
  assert.equal(since.code, 0, since.stderr);

  // Roles by name, either language, any case; the value stays the role.
  for (
    const [typed, role] of [["commercial", "SALES"], ["Gestion", "MANAGEMENT"], ["SALES", "SALES"], [
      "support",
      "SUPPORT",
    ]]
  ) {
    for (const env of [fr, {}]) {
      const listed = await ok<{ role: string }[]>(manager.cli(["user", "list", "--role", typed, "--json"], { env }));
      assert.ok(listed.length > 0 && listed.every((u) => u.role === role), `${typed} → ${role}`);
    }
  }
  const created = await ok<{ id: number; role: string }>(manager.cli([
    "user",
    "create",
    "--first-name",
    "Zoé",
    "--last-name",
    "Durand",
    "--email",
    "zoe@epic.test",
    "--role",
    "Commerciale",
    "--password-stdin",
    "--json",
  ], { env: fr, stdin: "correct horse battery\n" }));
  assert.equal(created.role, "SALES");
  const updated = await ok<{ role: string }>(
    manager.cli(["user", "update", String(created.id), "--role", "gestion", "--json"], { env: fr }),
  );
  assert.equal(updated.role, "MANAGEMENT");
  const refused = await manager.cli(["user", "list", "--role", "chef"], { env: fr });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--role/);
});

backendTest("backup list fits COLUMNS=80 too; --wide shows every column", async (b) => {
  const { manager } = await world(b);
  const dir = `${b.dir}/backups of the agency, kept for the auditors and the insurance company`;
  const first = await ok<{ file: string }>(manager.cli(["backup", "create", "--dir", dir, "--json"]));
  await new Promise((r) => setTimeout(r, 5));
  await ok(manager.cli(["backup", "create", "--dir", dir, "--json"]));
  const table = await manager.cli(["backup", "list", "--dir", dir, "--format", "table"], { env: { COLUMNS: "80" } });
  assert.equal(table.code, 0, table.stderr);
  assertFits("backup list", table.stdout, 80);
  const wide = await manager.cli(["backup", "list", "--dir", dir, "--format", "table", "--wide"], {
    env: { COLUMNS: "80" },
  });
  assert.doesNotMatch(wide.stdout, /…|hidden/);
  assert.ok(wide.stdout.includes(first.file));
  const tsv = await manager.cli(["backup", "list", "--dir", dir], { env: { COLUMNS: "80", LANG: "fr_FR.UTF-8" } });
  const english = await manager.cli(["backup", "list", "--dir", dir], { env: { COLUMNS: "80", LANG: "C" } });
  assert.equal(tsv.stdout, english.stdout);
  assert.ok(tsv.stdout.includes(first.file), "piped: never shortened");
}, { remote: false });

backendTest("on a real terminal of 72 columns, without COLUMNS, a list fits the terminal's width", async (b) => {
  const { manager } = await world(b);
  const term = await startInTerminal(["event", "list"], { ...manager.env, TZ: "Europe/Paris" }, b.dir, {
    columns: 72,
  });
  try {
    assert.equal(await term.exitCode(), 0, await term.screen());
    const screen = await term.screen();
    const table = screen.slice(screen.indexOf("┌"), screen.indexOf("┘") + 1);
    assertFits("event list on a terminal", table, 72);
    assert.match(table, /…/);
    assert.match(table, /2027-06-04 13:00 CEST/);
  } finally {
    await term.close();
  }
}, { remote: false });

backendTest("the role prompt names the roles in the reader's language", async (b) => {
  const { manager } = await setupCrew(b);
  const args = ["user", "create", "--first-name", "Zoé", "--last-name", "Durand", "--email", "zoe@epic.test"];
  for (
    const [lang, names] of [["fr_FR.UTF-8", /Gestion[\s\S]*Commercial[\s\S]*Support/], [
      "C",
      /Management[\s\S]*Sales[\s\S]*Support/,
    ]] as const
  ) {
    const term = await startInTerminal(args, { ...manager.env, LANG: lang }, b.dir);
    try {
      const screen = await term.waitFor(names);
      assert.doesNotMatch(screen, /MANAGEMENT|SALES/, "the values stay for scripts");
      await term.press("C-c");
      assert.notEqual(await term.exitCode(), 0);
    } finally {
      await term.close();
    }
  }
}, { remote: false });
