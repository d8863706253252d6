/**
 * Streamed list output (issue 10, point 3): `--json`, CSV and piped TSV are
 * written as the rows come, in chunks, with exactly the bytes of the simple
 * whole-list formats; a reader that goes away (`| head`) ends the listing at
 * once — the port's iterator is closed, so the database cursor behind it is
 * too — and the run ends quietly with exit 0.
 */
import assert from "node:assert/strict";
import * as eventList from "../../src/cli/commands/event/list.ts";
import { type Cell, JsonArrayWriter, jsonElement } from "../../src/cli/output/formats.ts";
import { OutputClosedError } from "../../src/cli/app/io.ts";
import { testIo } from "../support/io.ts";
import { CHUNK_SIZE, type Column, publicJson, streamRows } from "../../src/cli/output/print.ts";
import { Runtime } from "../../src/cli/app/runtime.ts";
import { columns } from "../../src/cli/entities/fields.ts";
import { AUDIT } from "../../src/cli/entities/audit.ts";
import { CLIENT } from "../../src/cli/entities/client.ts";
import { CONTRACT } from "../../src/cli/entities/contract.ts";
import { EVENT } from "../../src/cli/entities/event.ts";
import { USER } from "../../src/cli/entities/user.ts";
import type { EventRecord } from "../../src/port/crm.ts";
import { LocalCrm } from "../../src/port/local.ts";
import { connect } from "../../src/db/connect.ts";
import { parseDatabaseUrl } from "../../src/config.ts";
import { DEFAULT_SEED_PASSWORD, seed, STAFF_DOMAIN } from "../../tools/seed.ts";
import { type Backend, backendTest } from "../support/backends.ts";
import { DENO_DIR, MAIN } from "../support/cli.ts";
import { fakeCrm, parseArgs, testDeps } from "../support/commands.ts";
import { loginAs, ok, type Person, setupCrew } from "../support/fixtures.ts";
import { makeClient, makeContract } from "../support/world.ts";

const EVENT_LIST = columns(EVENT, "list");
const CLIENT_LIST = columns(CLIENT, "list");

// --- the formats as they were before streaming: the whole list at once --------------------

/** `JSON.stringify` of the whole array of public shapes: what `--json` printed. */
function referenceJson(records: readonly unknown[]): string {
  return JSON.stringify(records.map(publicJson), null, 2) + "\n";
}

function referenceText(value: Cell): string {
  return value === null || value === undefined ? "" : String(value);
}

function referenceCsv<R>(columns: readonly Column<R>[], records: readonly R[]): string {
  const cell = (value: Cell) => {
    const text = referenceText(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const line = (cells: Cell[]) => cells.map(cell).join(",") + "\r\n";
  return line(columns.map((c) => c.title)) + records.map((r) => line(columns.map((c) => c.value(r)))).join("");
}

function referenceTsv<R>(columns: readonly Column<R>[], records: readonly R[]): string {
  const cell = (value: Cell) =>
    referenceText(value).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\r?\n/g, "\\n");
  return records.map((r) => columns.map((c) => cell(c.value(r))).join("\t") + "\n").join("");
}

async function* iterate<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

// --- unit ------------------------------------------------------------------------------------

Deno.test("JSON elements: the bytes of JSON.stringify(array, null, 2), for every kind of value", () => {
  const tricky = [
    { id: 1, name: 'quote " backslash \\ tab \t new\nline \r', ok: true, none: null, display: { name: "hidden" } },
    { emoji: "🎉 café 漢字", lone: "\ud800 and \udfff", control: "\u0000\u001f\u007f", empty: "" },
    { n: -0, nan: Number.NaN, inf: Infinity, big: 1e21, small: 5e-7, neg: -12.5 },
    { skipped: undefined, fn: () => 1, sym: Symbol("s"), kept: 1 },
    { nested: { a: [1, { b: null }], e: {}, f: [] }, date: new Date(0), list: [] },
    { changes: { total_amount: { old: "1000.00", new: "1500.50" } }, display: undefined },
    {},
    { display: { only: "display" } },
    { toJSON: () => ({ replaced: true }) },
    Object.assign(Object.create(null), { bare: "prototype-less" }),
    new (class {
      id = 7;
      display = { name: "hidden" };
      toJSON() {
        return "not used once display is taken out";
      }
    })(),
    [1, "two", { three: 3 }],
    "a string",
    42,
    null,
    undefined,
    true,
  ];
  for (const list of [[], [tricky[0]], tricky]) {
    let out = "";
    const writer = new JsonArrayWriter((text) => out += text, { omit: "display" });
    for (const item of list) writer.push(item);
    writer.end();
    assert.equal(out, referenceJson(list));
  }
  // Without `omit`, `display` is an ordinary key.
  assert.equal(jsonElement({ display: 1 }), '{\n    "display": 1\n  }');
});

Deno.test("rows are written in chunks, not one write per row, and read the same", async () => {
  const records: EventRecord[] = [];
  for (let i = 1; i <= 3000; i++) {
    records.push({
      id: i,
      name: `Event ${i}, "quoted"`,
      contract_id: i,
      client_id: i,
      client_contact: "Kate",
      start_date: "2027-06-04T11:00:00.000Z",
      end_date: "2027-06-04T20:00:00.000Z",
      support_contact_id: i % 2 ? null : 4,
      location: "Paris",
      attendees: 75,
      notes: i % 3 ? null : "line\nbreak\tand \\",
      display: { client_name: `Client ${i}`, support_contact_name: i % 2 ? null : "Sue Port" },
    });
  }
  const expected = {
    json: referenceJson(records),
    csv: referenceCsv(EVENT_LIST, records),
    tsv: referenceTsv(EVENT_LIST, records),
  };
  for (const format of ["json", "csv", "tsv"] as const) {
    const io = testIo();
    let writes = 0;
    const counted = { ...io, writeOut: (text: string) => (writes++, io.writeOut(text)) };
    await streamRows(counted, EVENT_LIST, format, iterate(records));
    assert.equal(io.stdout, expected[format], format);
    assert.ok(writes > 1 && writes < records.length / 10, `${format}: ${writes} writes for ${records.length} rows`);
  }
});

Deno.test("with a byte stream, rows are encoded into one buffer: chunks of at most 64 KiB, every character whole", async () => {
  // Multi-byte text (2, 3 and 4 bytes a character) falls across chunk
  // boundaries, and one row is larger than a whole chunk.
  const records: EventRecord[] = [];
  for (let i = 1; i <= 2000; i++) {
    records.push({
      id: i,
      name: i === 700 ? "é🎉".repeat(40_000) : `Événement ${i} — 漢字 🎉`,
      contract_id: i,
      client_id: i,
      client_contact: "Zoë",
      start_date: "2027-06-04T11:00:00.000Z",
      end_date: "2027-06-04T20:00:00.000Z",
      support_contact_id: i % 2 ? null : 4,
      location: "Malmö",
      attendees: i * 1000003,
      notes: i % 3 ? null : "ß\n\t\\",
      display: { client_name: `Client ${i}`, support_contact_name: null },
    });
  }
  const expected = {
    json: referenceJson(records),
    csv: referenceCsv(EVENT_LIST, records),
    tsv: referenceTsv(EVENT_LIST, records),
  };
  for (const format of ["json", "csv", "tsv"] as const) {
    const chunks: Uint8Array[] = [];
    const io = {
      ...testIo(),
      writeOut: () => assert.fail("text written to a byte stream"),
      // The buffer is reused: a writer must be done with it when the call returns.
      writeOutBytes: (bytes: Uint8Array) => void chunks.push(bytes.slice()),
    };
    await streamRows(io, EVENT_LIST, format, iterate(records));
    const whole = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      whole.set(chunk, offset);
      offset += chunk.length;
    }
    assert.equal(new TextDecoder("utf-8", { fatal: true }).decode(whole), expected[format], format);
    const big = chunks.filter((c) => c.length > CHUNK_SIZE);
    // Only the one row larger than a chunk is written on its own, whole.
    assert.equal(big.length, 1, `${format}: ${big.map((c) => c.length)}`);
    assert.ok(chunks.length > 2 && chunks.length < records.length / 10, `${format}: ${chunks.length} writes`);
  }
});

/** An iterable of `count` event records that counts what was read and whether it was closed. */
function watchedRows(count: number) {
  const seen = { read: 0, returned: false };
  const iterable: AsyncIterable<EventRecord> = {
    [Symbol.asyncIterator]: () => ({
      next() {
        if (seen.read >= count || seen.returned) return Promise.resolve({ done: true, value: undefined });
        seen.read++;
        const record: EventRecord = {
          id: seen.read,
          name: `Event ${seen.read}`,
          contract_id: 1,
          client_id: 1,
          client_contact: "Kate",
          start_date: "2027-06-04T11:00:00.000Z",
          end_date: "2027-06-04T20:00:00.000Z",
          support_contact_id: null,
          location: "Paris",
          attendees: 75,
          notes: null,
          display: { client_name: "Acme", support_contact_name: null },
        };
        return Promise.resolve({ done: false, value: record });
      },
      return() {
        seen.returned = true;
        return Promise.resolve({ done: true, value: undefined });
      },
    }),
  };
  return { seen, iterable };
}

Deno.test("a closed stdout ends `event list` at once: the port's iterator is closed and no more is read", async () => {
  for (const args of [["--json"], ["--format", "csv"], ["--format", "tsv"], []]) {
    const total = 100_000;
    const { seen, iterable } = watchedRows(total);
    const deps = testDeps(fakeCrm({ listEvents: () => iterable }));
    const full = testDeps(fakeCrm({ listEvents: () => watchedRows(total).iterable }));
    // The reader takes 100 characters, then goes away (`| head -c 100`).
    deps.io = Object.assign(testIo({ stdoutLimit: 100 }), { env: deps.io.env });
    const options = await parseArgs(eventList, args);
    await assert.rejects(eventList.run(options, deps), OutputClosedError);
    assert.equal(seen.returned, true, `${args.join(" ")}: return() was called on the port's iterator`);
    assert.ok(seen.read < total / 10, `${args.join(" ")}: ${seen.read} of ${total} rows were read`);
    await eventList.run(options, full);
    assert.equal(deps.io.stdout, full.io.stdout.slice(0, 100), "what the reader got is the start of the list");
  }
});

// --- both backends -----------------------------------------------------------------------------

/** The port as `who`, to read the records the lists print. */
function portAs(b: Backend, who: Person) {
  const rt = new Runtime(testIo({ env: who.env, cwd: b.dir }), []);
  return { crm: new LocalCrm(rt), close: () => rt.close() };
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

backendTest("every list prints the same bytes as the whole-list JSON, CSV and TSV of its records", async (b) => {
  const crew = await setupCrew(b);
  const { manager, sales, support } = crew;
  const names = ['Zoë "Zed" O\'Brien, Jr.', "Back\\slash & co", "Émile 🎉 Noël", "plain"];
  for (const [i, name] of names.entries()) {
    const client = await makeClient(sales, { full_name: name, company_name: `${name}, Inc.` });
    const contract = await makeContract(sales, client, { total: `${1000 + i}.5${i}` });
    await ok(sales.cli([
      "event",
      "create",
      "--contract",
      String(contract),
      "--name",
      `Gala "${i}", ${name}`,
      "--client-contact",
      name,
      "--start-date",
      "2027-06-04T11:00:00Z",
      "--end-date",
      "2027-06-04T20:00:00Z",
      "--location",
      "Paris, 1er",
      "--attendees",
      String(10 * i),
      "--notes",
      ["tab\there", "line\nbreak", "crlf\r\nend", 'quote " and \\ slash', ""][i],
      "--json",
    ]));
  }
  await ok(manager.cli(["contract", "update", "1", "--total", "2500.25", "--json"]));
  await ok(manager.cli(["event", "assign", "1", "--support", String(support.id), "--json"]));
  const port = portAs(b, manager);
  try {
    const lists = [
      { noun: "user", columns: columns(USER, "list"), records: await collect(await port.crm.call("listUsers", {})) },
      { noun: "client", columns: CLIENT_LIST, records: await collect(await port.crm.call("listClients", {})) },
      {
        noun: "contract",
        columns: columns(CONTRACT, "list"),
        records: await collect(await port.crm.call("listContracts", {})),
      },
      { noun: "event", columns: EVENT_LIST, records: await collect(await port.crm.call("listEvents", {})) },
      { noun: "audit", columns: columns(AUDIT, "list"), records: await collect(await port.crm.call("listAudit", {})) },
    ] as const;
    for (const { noun, columns, records } of lists) {
      assert.ok(records.length > 0, `${noun}: some records`);
      const expected = {
        json: referenceJson(records),
        csv: referenceCsv(columns as readonly Column<unknown>[], records),
        tsv: referenceTsv(columns as readonly Column<unknown>[], records),
      };
      for (const format of ["json", "csv", "tsv"] as const) {
        const result = await manager.cli([noun, "list", "--format", format]);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, expected[format], `${noun} list --format ${format}`);
      }
      // Piped without a format is TSV; --json is JSON; a page is the same bytes as a slice.
      assert.equal((await manager.cli([noun, "list"])).stdout, expected.tsv, `${noun} list, piped`);
      assert.equal((await manager.cli([noun, "list", "--json"])).stdout, expected.json, `${noun} list --json`);
      const page = records.slice(1, 3);
      assert.equal(
        (await manager.cli([noun, "list", "--json", "--offset", "1", "--limit", "2"])).stdout,
        referenceJson(page),
      );
    }
    // Without display names (what --json asks for, and the server without
    // ?display=true) the lists skip their joins: the same records, no names.
    const plain = {
      client: await collect(await port.crm.call("listClients", { display: false })),
      contract: await collect(await port.crm.call("listContracts", { display: false })),
      event: await collect(await port.crm.call("listEvents", { display: false })),
    };
    for (const [noun, records] of Object.entries(plain)) {
      const full = lists.find((l) => l.noun === noun)!.records;
      assert.deepEqual(records.map(publicJson), full.map(publicJson), `${noun}: same public records`);
      assert.ok(records.every((r) => r.display === undefined), `${noun}: no display names`);
      assert.ok(full.every((r) => "display" in r && r.display !== undefined), `${noun}: display names by default`);
    }
    // The audit trail holds changes (nested objects) in public units.
    assert.match(
      (await manager.cli(["audit", "list", "--json"])).stdout,
      /"total_amount": \{\n {8}"old": "1000\.50",\n {8}"new": "2500\.25"\n {6}\}/,
    );
    // An empty list: `[]`, a CSV header alone, no TSV line.
    const none = ["client", "list", "--search", "no such client anywhere"];
    assert.equal((await manager.cli([...none, "--json"])).stdout, "[]\n");
    assert.equal((await manager.cli([...none, "--format", "csv"])).stdout, referenceCsv(CLIENT_LIST, []));
    assert.equal((await manager.cli(none)).stdout, "");
  } finally {
    await port.close();
  }
}, { remote: false }); // reads the records through the local adapter; server mode has its own byte-identity test (tests/server)

backendTest(
  "`event list --json | head -c 100` on thousands of events: the run stops there, exit 0, quietly",
  async (b) => {
    const db = await connect(parseDatabaseUrl(b.url, b.dir, b.dir));
    try {
      await seed(db, { clients: 300, events: 5000, bcryptRounds: 4 });
    } finally {
      await db.close();
    }
    const manager = await loginAs(b, {
      id: 1,
      email: `management1@${STAFF_DOMAIN}`,
      role: "MANAGEMENT",
      password: DEFAULT_SEED_PASSWORD,
    });
    const whole = await manager.cli(["event", "list", "--json"]);
    assert.equal(whole.code, 0, whole.stderr);
    assert.ok(whole.stdout.length > 1_000_000, `${whole.stdout.length} characters: more than a pipe holds`);

    const logDir = `${b.dir}/head-logs`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "event", "list", "--json"],
      cwd: b.dir,
      env: { DENO_DIR, ...manager.env, EPIC_EVENTS_LOG_DIR: logDir },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    // `head -c 100`: read 100 bytes, then close the pipe.
    const reader = child.stdout.getReader();
    let head = new Uint8Array(0);
    while (head.length < 100) {
      const { value, done } = await reader.read();
      if (done) break;
      head = new Uint8Array([...head, ...value]);
    }
    await reader.cancel();
    const status = await child.status;
    assert.deepEqual(head.subarray(0, 100), new TextEncoder().encode(whole.stdout).subarray(0, 100));
    assert.equal(status.code, 0);
    assert.equal(await stderr, "", "nothing on stderr");
    // It ended because the reader went away, not after writing every row to nobody.
    const log = await Deno.readTextFile(`${logDir}/info.log`);
    assert.match(log, /command="event list" outcome=stdout_closed exit_code=0/);
  },
);
