/**
 * The CLI as a newcomer and a script use it (issue 9): `--format` on every
 * list and show, stdout as data with human lines on stderr, messages naming
 * the flag typed, roles in any case, readable tables (zones, no row rules),
 * audit changes in public units.
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { addPerson, type Crew, ok, type Person, setupCrew } from "../support/fixtures.ts";
import { makeClient, makeContract, makeEvent } from "../support/world.ts";

/** A client, a signed contract and an assigned event, as the crew's SALES and manager create them. */
async function world(crew: Crew) {
  const { manager, sales, support } = crew;
  const client = await makeClient(sales, {
    full_name: "Kate Hastroff",
    email: "kate@startup.io",
    company_name: 'Cool, "Startup" LLC',
  });
  const contract = await makeContract(sales, client);
  const notes = ["--notes", "DJ\tat 10pm\nvegan menu", "--support", String(support.id)];
  return { client, contract, event: await makeEvent(manager, contract, notes) };
}

backendTest("--format json|csv|tsv|table on every list and show", async (b) => {
  const crew = await setupCrew(b);
  const ids = await world(crew);
  const { manager } = crew;
  const commands: Array<[string[], string]> = [
    [["user", "list"], "user"],
    [["user", "show", String(manager.id)], "user"],
    [["client", "list"], "client"],
    [["client", "show", String(ids.client)], "client"],
    [["contract", "list"], "contract"],
    [["contract", "show", String(ids.contract)], "contract"],
    [["event", "list"], "event"],
    [["event", "show", String(ids.event)], "event"],
    [["audit", "list"], "audit"],
  ];
  for (const [args] of commands) {
    const label = args.join(" ");
    const json = await manager.cli([...args, "--format", "json"]);
    assert.equal(json.code, 0, `${label}: ${json.stderr}`);
    assert.deepEqual(json.json(), (await manager.cli([...args, "--json"])).json(), `${label}: --json is --format json`);

    const csv = await manager.cli([...args, "--format", "csv"]);
    assert.equal(csv.code, 0, `${label}: ${csv.stderr}`);
    assert.match(csv.stdout, /^ID,[A-Z ,]+\r\n/, `${label}: a header row`);
    assert.ok(csv.stdout.endsWith("\r\n"), `${label}: CRLF`);

    const tsv = await manager.cli([...args, "--format", "tsv"], { tty: true });
    assert.equal(tsv.code, 0);
    assert.ok(tsv.stdout.includes("\t") && !tsv.stdout.includes("│"), `${label}: TSV even on a terminal`);
    assert.deepEqual(tsv.stdout, (await manager.cli(args)).stdout, `${label}: TSV is what a pipe gets`);

    const table = await manager.cli([...args, "--format", "table"]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^┌/, `${label}: a table even when piped`);
    assert.ok(!table.stdout.includes("\x1b["), `${label}: no colours when piped`);
  }
  const csv = await manager.cli(["client", "list", "--format", "csv"]);
  assert.equal(
    csv.stdout,
    "ID,NAME,COMPANY,EMAIL,PHONE,SALES CONTACT\r\n" +
      `${ids.client},Kate Hastroff,"Cool, ""Startup"" LLC",kate@startup.io,+33 6 12 34 56 78,Sam Seller\r\n`,
  );
  const bad = await manager.cli(["client", "show", String(ids.client), "--json", "--format", "csv"]);
  assert.equal(bad.code, 2);
  assert.equal(JSON.parse(bad.stderr).error.field, "format");
});

backendTest("stdout is data: human lines on stderr; `contract sign N | head -1` is the id", async (b) => {
  const crew = await setupCrew(b);
  const { manager, sales } = crew;
  const ids = await world(crew);
  const other = { id: await makeContract(sales, ids.client, { total: "50", signed: false }) };
  const signed = await sales.cli(["contract", "sign", String(other.id)]);
  assert.equal(signed.code, 0, signed.stderr);
  assert.equal(signed.stdout.split("\n")[0], `ID\t${other.id}`);
  assert.equal(signed.stderr, `Signed contract ${other.id}.\n`);
  const json = await sales.cli(["contract", "sign", String(other.id), "--json"]);
  assert.equal(json.stderr, "", "--json unchanged: no human line");
  assert.equal(json.json<{ id: number }>().id, other.id);

  const deleted = await manager.cli(["event", "delete", String(ids.event), "--yes"]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(deleted.stdout, "");
  assert.equal(deleted.stderr, `Deleted event ${ids.event}.\n`);
});

backendTest("messages name the flag typed; the JSON error's field stays the JSON name", async (b) => {
  const crew = await setupCrew(b);
  const { sales, manager } = crew;
  const ids = await world(crew);
  const cases: Array<[Person, string[], string, string]> = [
    [
      sales,
      ["contract", "update", String(ids.contract), "--due", "1000.01"],
      "--due: must not exceed --total (1000.01 > 1000.00)",
      "amount_due",
    ],
    [
      sales,
      ["contract", "update", String(ids.contract), "--total-amount", "1"],
      // The stored amount due is above the new total: the due amount is the one named first.
      "--due: must not exceed --total-amount (1000.00 > 1.00)",
      "total_amount",
    ],
    [
      sales,
      ["client", "update", String(ids.client), "--email", "nope"],
      "--email: must be a valid email address",
      "email",
    ],
    [
      sales,
      ["client", "update", String(ids.client), "--full-name", "x".repeat(101)],
      "--full-name: must be 1 to 100 characters",
      "full_name",
    ],
    [
      manager,
      ["event", "update", String(ids.event), "--end-date", "2027-06-04T10:00:00Z"],
      "--end-date: must be after --start-date",
      "end_date",
    ],
    [
      manager,
      ["event", "assign", String(ids.event), "--support", String(sales.id)],
      `--support: user ${sales.id} is SALES, not SUPPORT`,
      "support_contact_id",
    ],
    [
      manager,
      ["event", "assign", String(ids.event), "--support-contact-id", String(sales.id)],
      `--support-contact-id: user ${sales.id} is SALES, not SUPPORT`,
      "support_contact_id",
    ],
  ];
  for (const [who, args, message, field] of cases) {
    const human = await who.cli(args);
    assert.equal(human.code, 2, `${args.join(" ")}: ${human.stderr}`);
    assert.ok(human.stderr.startsWith(`error: ${message}`), `${args.join(" ")}: ${human.stderr}`);
    const json = await who.cli([...args, "--json"]);
    const error = JSON.parse(json.stderr).error;
    assert.ok(error.message.startsWith(message), error.message);
    assert.equal(error.field, field, args.join(" "));
  }
});

backendTest("roles in any case everywhere: user list --role sales, user create/update --role support", async (b) => {
  const crew = await setupCrew(b);
  const { manager, sales, sales2 } = crew;
  const listed = await ok<Array<{ id: number; role: string }>>(
    manager.cli(["user", "list", "--role", "sales", "--json"]),
  );
  assert.deepEqual(listed.map((u) => u.id), [sales.id, sales2.id]);
  // The role as typed: "Support" (the fixture passes it on unchanged).
  const created = await addPerson(manager, b, {
    first: "New",
    last: "Person",
    email: "new@epic.test",
    role: "Support" as Person["role"],
  });
  const shown = await ok<{ role: string }>(manager.cli(["user", "show", String(created.id), "--json"]));
  assert.equal(shown.role, "SUPPORT");
});

backendTest("terminal tables: local time with its zone, no rule between rows, values escaped", async (b) => {
  const crew = await setupCrew(b);
  const { support } = crew;
  const ids = await world(crew);
  const tty = { tty: true, env: { NO_COLOR: "1", TZ: "Europe/Paris" } };
  const list = await support.cli(["event", "list"], tty);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /│ 2027-06-04 13:00 CEST │ 2027-06-04 22:00 CEST │ Tom Helper/);
  const lines = list.stdout.trimEnd().split("\n");
  assert.equal(lines.filter((l) => l.startsWith("├")).length, 1, "one rule, under the header");
  const show = await support.cli(["event", "show", String(ids.event)], tty);
  assert.match(show.stdout, /NOTES\s+│ DJ\\tat 10pm\\nvegan menu/);
  assert.equal(new Set(show.stdout.trimEnd().split("\n").map((l) => l.length)).size, 1, "columns aligned");
  const ny = await support.cli(["event", "show", String(ids.event)], {
    tty: true,
    env: { NO_COLOR: "1", TZ: "America/New_York" },
  });
  assert.match(ny.stdout, /START\s+│ 2027-06-04 07:00 EDT/);
});

backendTest('audit changes in public units: amounts as "1500.50", never cents', async (b) => {
  const crew = await setupCrew(b);
  const { manager, sales } = crew;
  const ids = await world(crew);
  await ok(sales.cli(["contract", "update", String(ids.contract), "--total", "1500.5", "--json"]));
  const entries = await ok<Array<{ action: string; changes: Record<string, { old: unknown; new: unknown }> }>>(
    manager.cli(["audit", "list", "--entity", "contract", "--id", String(ids.contract), "--json"]),
  );
  assert.deepEqual(entries.map((e) => e.action), ["contract.created", "contract.signed", "contract.updated"]);
  assert.deepEqual(entries[0].changes.total_amount, { old: null, new: "1000.00" });
  assert.deepEqual(entries[2].changes, { total_amount: { old: "1000.00", new: "1500.50" } });
  assert.ok(!JSON.stringify(entries).includes("_cents"));
  const table = await manager.cli(["audit", "list", "--entity", "contracts"], { tty: true, env: { NO_COLOR: "1" } });
  assert.match(table.stdout, /total_amount: "1000\.00" → "1500\.50"/);
});
