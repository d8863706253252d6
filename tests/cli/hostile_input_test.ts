/**
 * Hostile input at the command line (issue 8 #16), on both backends: text
 * with Unicode line or paragraph separators, C1 controls, bidirectional
 * overrides or isolates, or nothing but zero-width characters is refused with
 * exit 2 and one line naming the field, and nothing is written; every length
 * limit holds before the database (a login with a 1,000- or 131,000-character
 * email neither crashes nor stores it).
 * @module
 */
import assert from "node:assert/strict";
import type { Backend } from "../support/backends.ts";
import { backendTest } from "../support/backends.ts";
import type { CliResult } from "../support/cli.ts";
import { initManager, ok, PASSWORD, setupCrew } from "../support/fixtures.ts";

type Table = "users" | "clients" | "contracts" | "events" | "audit_log" | "login_attempts";

async function counts(b: Backend): Promise<Record<Table, number>> {
  const db = await b.db();
  const out = {} as Record<Table, number>;
  for (const table of ["users", "clients", "contracts", "events", "audit_log", "login_attempts"] as const) {
    out[table] = Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);
  }
  return out;
}

/** `full_name` or `--full-name`: the message may name the JSON field or the flag. */
function fieldPattern(field: string): RegExp {
  return new RegExp(`(^|[^a-z_-])(${field}|--${field.replaceAll("_", "-")})\\b`);
}

/**
 * Asserts exit 2 with nothing on stdout and one error naming `field`: with
 * `--json` the error object's field and message, otherwise one stderr line.
 */
function refusedNaming(result: CliResult, field: string, label: string): void {
  assert.equal(result.code, 2, `${label}: exit ${result.code}\n${result.stderr}`);
  assert.equal(result.stdout, "", `${label}: nothing on stdout`);
  const text = result.stderr.trim();
  if (text.startsWith("{")) {
    const error = JSON.parse(text).error as { code: string; message: string; field?: string };
    assert.equal(error.code, "invalid_input", label);
    assert.match(error.field ?? "", new RegExp(`^(${field}|--${field.replaceAll("_", "-")})$`), `${label}: ${text}`);
    assert.match(error.message, fieldPattern(field), `${label}: ${text}`);
  } else {
    assert.equal(text.split("\n").length, 1, `${label}: one line, got ${JSON.stringify(text)}`);
    assert.match(text, fieldPattern(field), `${label}: ${text}`);
  }
  assert.ok(!/Something went wrong/i.test(text), `${label}: not an internal error`);
}

backendTest(
  "text with separators, C1 or bidi controls, or only zero-width characters: exit 2, nothing written",
  async (b) => {
    const { manager, sales, support } = await setupCrew(b);
    const client = await ok<{ id: number }>(sales.cli([
      "client",
      "create",
      "--full-name",
      "Kate Hastroff",
      "--email",
      "kate@startup.test",
      "--phone",
      "0102030405",
      "--company-name",
      "Cool Startup",
      "--json",
    ]));
    const contract = await ok<{ id: number }>(
      manager.cli(["contract", "create", "--client", String(client.id), "--total", "1500", "--json"]),
    );
    await ok(manager.cli(["contract", "sign", String(contract.id), "--json"]));
    const event = await ok<{ id: number }>(sales.cli([
      "event",
      "create",
      "--contract",
      String(contract.id),
      "--name",
      "Launch",
      "--client-contact",
      "Kate",
      "--start-date",
      "2030-06-04T13:00:00Z",
      "--end-date",
      "2030-06-05T02:00:00Z",
      "--location",
      "Paris",
      "--attendees",
      "75",
      "--json",
    ]));
    await ok(manager.cli(["event", "assign", String(event.id), "--support", String(support.id), "--json"]));
    const before = await counts(b);
    const clientArgs = (flag: string, value: string) => {
      const fields: Record<string, string> = {
        "--full-name": "Kevin Casey",
        "--email": "kevin@startup.test",
        "--phone": "0102030406",
        "--company-name": "Other Co",
      };
      fields[flag] = value;
      return ["client", "create", ...Object.entries(fields).flat()];
    };
    const eventArgs = (flag: string, value: string) => {
      const fields: Record<string, string> = {
        "--contract": String(contract.id),
        "--name": "Party",
        "--client-contact": "Kevin",
        "--start-date": "2030-07-01 10:00",
        "--end-date": "2030-07-01 12:00",
        "--location": "Lyon",
        "--attendees": "10",
      };
      fields[flag] = value;
      return ["event", "create", ...Object.entries(fields).flat()];
    };

    const cases: ReadonlyArray<[string, typeof sales, string[], string]> = [
      ["U+2028 in --full-name", sales, clientArgs("--full-name", "Kate\u2028Hastroff"), "full_name"],
      ["U+2029 at the end of --full-name", sales, clientArgs("--full-name", "Kate\u2029"), "full_name"],
      [
        "U+202E (right-to-left override) in --company-name",
        sales,
        clientArgs("--company-name", "\u202eoC liveE"),
        "company_name",
      ],
      [
        "U+0085 (NEL, a C1 control) in --company-name",
        sales,
        clientArgs("--company-name", "Cool\u0085Co"),
        "company_name",
      ],
      [
        "only zero-width characters in --full-name",
        sales,
        clientArgs("--full-name", "\u200b\u200c\u200d\u2060\ufeff"),
        "full_name",
      ],
      ["a 131,000-character --email", sales, clientArgs("--email", `${"k".repeat(131_000)}@startup.test`), "email"],
      ["U+2066 (isolate) in --full-name of client update", sales, [
        "client",
        "update",
        String(client.id),
        "--full-name",
        "\u2066Kate\u2069",
      ], "full_name"],
      ["only U+200B in --company-name of client update", sales, [
        "client",
        "update",
        String(client.id),
        "--company-name",
        "\u200b",
      ], "company_name"],
      ["U+009B (CSI) in --first-name of user create", manager, [
        "user",
        "create",
        "--first-name",
        "Ada\u009b31m",
        "--last-name",
        "L",
        "--email",
        "new@epic.test",
        "--role",
        "SALES",
        "--password-stdin",
      ], "first_name"],
      ["U+202D in --last-name of user update", manager, [
        "user",
        "update",
        String(support.id),
        "--last-name",
        "\u202dHelper",
      ], "last_name"],
      ["U+2029 in --notes of event create", sales, eventArgs("--notes", "line one\u2029line two"), "notes"],
      ["only U+FEFF in --location of event create", sales, eventArgs("--location", "\ufeff"), "location"],
      ["U+2067 in --name of event create", sales, eventArgs("--name", "\u2067Party"), "name"],
      ["U+0080 in --client-contact of event update", support, [
        "event",
        "update",
        String(event.id),
        "--client-contact",
        "Kate\u0080",
      ], "client_contact"],
      [
        "U+2028 in --notes of event update",
        support,
        ["event", "update", String(event.id), "--notes", "a\u2028b"],
        "notes",
      ],
      ["U+202A in --search of client list", sales, ["client", "list", "--search", "\u202aKate"], "search"],
    ];
    for (const [label, person, args, field] of cases) {
      for (const json of [false, true]) {
        const result = await person.cli(json ? [...args, "--json"] : args, { stdin: PASSWORD });
        refusedNaming(result, field, `${label}${json ? " --json" : ""}`);
      }
    }
    assert.deepEqual(await counts(b), before, "nothing written, not even an audit row");
    const db = await b.db();
    const stored = await db.one<{ full_name: string; company_name: string }>(
      "SELECT full_name, company_name FROM clients WHERE id = $1",
      [client.id],
    );
    assert.deepEqual(
      { ...stored },
      { full_name: "Kate Hastroff", company_name: "Cool Startup" },
      "the client is unchanged",
    );
  },
);

backendTest("zero-width characters around a value are trimmed before it is stored", async (b) => {
  const { sales } = await setupCrew(b);
  const created = await ok<{ id: number; full_name: string; email: string }>(sales.cli([
    "client",
    "create",
    "--full-name",
    "\u200bKate Hastroff\ufeff",
    "--email",
    "\u2060Kate@Startup.test",
    "--phone",
    "0102030405",
    "--company-name",
    "Cool Startup",
    "--json",
  ]));
  assert.deepEqual([created.full_name, created.email], ["Kate Hastroff", "kate@startup.test"]);
  const db = await b.db();
  const row = await db.one<{ full_name: string }>("SELECT full_name FROM clients WHERE id = $1", [created.id]);
  assert.equal(row!.full_name, "Kate Hastroff");
});

// Needs the session service to validate with `loginSchema` (src/domain/schemas/session.ts) before it queries:
// today PostgreSQL fails with exit 1 (value too long for the login_attempts column) and SQLite stores the email.
backendTest(
  "login with a 1,000- or 131,000-character email: refused (exit 2 or 3, never 1), nothing stored",
  async (b) => {
    const manager = await initManager(b);
    const before = await counts(b);
    for (const length of [1_000, 131_000]) {
      const email = `${"k".repeat(length - "@epic.test".length)}@epic.test`;
      for (const json of [false, true]) {
        const args = ["login", "--email", email, "--password-stdin", ...(json ? ["--json"] : [])];
        const result = await b.cli(args, { stdin: PASSWORD, env: { EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-long` } });
        const label = `${length}-character email${json ? " --json" : ""}`;
        assert.ok([2, 3].includes(result.code), `${label}: exit ${result.code}\n${result.stderr.slice(0, 500)}`);
        assert.equal(result.stdout, "", label);
        assert.ok(!/Something went wrong/i.test(result.stderr), `${label}: not an internal error`);
        assert.ok(result.stderr.length < 1_000, `${label}: the error does not echo the email`);
        if (result.code === 2) assert.match(result.stderr, fieldPattern("email"), label);
      }
    }
    const db = await b.db();
    const longest = await db.one<{ n: number | null }>("SELECT max(length(email)) AS n FROM login_attempts");
    assert.ok(longest!.n === null || Number(longest!.n) <= 100, `login_attempts holds a ${longest!.n}-character email`);
    const audit = await db.one<{ n: number | null }>("SELECT max(length(changes)) AS n FROM audit_log");
    assert.ok(Number(audit!.n ?? 0) < 1_000, `an audit row of ${audit!.n} characters`);
    const after = await counts(b);
    assert.equal(after.users, before.users);
    // The throttling table still works for real emails.
    await ok(b.cli(["login", "--email", manager.email, "--password-stdin"], {
      stdin: PASSWORD,
      env: { EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-after` },
    }));
  },
);
