/**
 * Reading import files: CSV shaped like `--format csv` output and JSON Lines
 * shaped like `--json` records, and every kind of bad input — each refused
 * with its line number, and a 2 GB line refused after reading little more
 * than the 1 MiB limit.
 * @module
 */
import assert from "node:assert/strict";
import { csvCell, csvLine } from "../../src/cli/output/formats.ts";
import { columns } from "../../src/cli/entities/fields.ts";
import { CLIENT } from "../../src/cli/entities/client.ts";
import { CONTRACT } from "../../src/cli/entities/contract.ts";
import { EVENT } from "../../src/cli/entities/event.ts";
import {
  IMPORT_LAYOUTS,
  ImportFileError,
  type ImportFormat,
  importFormatOf,
  MAX_LINE_BYTES,
  type ParsedRow,
  readImport,
} from "../../src/import/mod.ts";
import { findColumn, type ImportEntity } from "../../src/import/columns.ts";
import { csvRecords } from "../../src/import/csv.ts";
import { lineBlocks } from "../../src/import/lines.ts";
import { parse as csvParse } from "csv-parse/sync";

const encoder = new TextEncoder();

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function read(
  entity: ImportEntity,
  format: ImportFormat,
  input: string | Uint8Array,
  chunk = 5,
): Promise<ParsedRow[]> {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  const rows: ParsedRow[] = [];
  for await (const row of readImport(chunked(bytes, chunk), { entity, format })) rows.push(row);
  return rows;
}

async function refusal(promise: Promise<unknown>): Promise<ImportFileError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ImportFileError, `not an ImportFileError: ${error}`);
    assert.equal(error.exitCode, 2);
    return error;
  }
  assert.fail("the file was accepted");
}

Deno.test("every column title --format csv prints is known to the import of that entity", () => {
  const views = {
    client: [columns(CLIENT, "list"), columns(CLIENT, "detail")],
    contract: [columns(CONTRACT, "list"), columns(CONTRACT, "detail")],
    event: [columns(EVENT, "list"), columns(EVENT, "detail")],
  };
  for (const [entity, lists] of Object.entries(views)) {
    for (const column of lists.flat()) {
      assert.ok(
        findColumn(IMPORT_LAYOUTS[entity as ImportEntity], column.title),
        `${entity}: the import does not know the column ${column.title}`,
      );
    }
  }
});

Deno.test("a CSV shaped like the export: quoted commas, quotes, line breaks, CRLF, a BOM, blank lines", async () => {
  const header = csvLine([
    "ID",
    "NAME",
    "CONTRACT",
    "CLIENT CONTACT",
    "START",
    "END",
    "LOCATION",
    "ATTENDEES",
    "NOTES",
  ]);
  const notes = 'Line one, with a comma\r\nand "quotes"';
  const body =
    csvLine([7, "Launch", 3, "Kate", "2027-06-04T18:00:00.000Z", "2027-06-05T02:00:00.000Z", "Paris", 75, notes]) +
    "\r\n" +
    csvLine([8, "Gala", 3, "Kate", "2027-07-04T18:00:00.000Z", "2027-07-05T02:00:00.000Z", "Lyon", 10, null]);
  const rows = await read("event", "csv", "\ufeff" + header + body, 3);
  assert.deepEqual(rows, [
    {
      line: 2,
      record: {
        name: "Launch",
        contract_id: "3",
        client_contact: "Kate",
        start_date: "2027-06-04T18:00:00.000Z",
        end_date: "2027-06-05T02:00:00.000Z",
        location: "Paris",
        attendees: "75",
        notes,
      },
    },
    {
      line: 5,
      record: {
        name: "Gala",
        contract_id: "3",
        client_contact: "Kate",
        start_date: "2027-07-04T18:00:00.000Z",
        end_date: "2027-07-05T02:00:00.000Z",
        location: "Lyon",
        attendees: "10",
        notes: null,
      },
    },
  ]);
  assert.equal(csvCell(notes).startsWith('"'), true);
});

Deno.test("headers: titles or JSON names in any case and order; ignored columns dropped; an empty cell is not given", async () => {
  const rows = await read(
    "client",
    "csv",
    "email,Full_Name,id,PHONE,company,SALES CONTACT EMAIL\nA@x.io,Ann,9,01234,Acme,\n",
  );
  assert.deepEqual(rows, [{
    line: 2,
    record: { email: "A@x.io", full_name: "Ann", phone: "01234", company_name: "Acme" },
  }]);
});

Deno.test("a header that does not match is refused on line 1 naming the column", async (t) => {
  const cases: [string, ImportEntity, string, RegExp][] = [
    ["unknown column", "client", "NAME,EMAIL,PHONE,COMPANY,EMAIL ADRESS\n", /line 1: unknown column "EMAIL ADRESS"/],
    ["column twice", "client", "NAME,EMAIL,PHONE,COMPANY,email\n", /line 1: column EMAIL \(email\) is given twice/],
    ["title and JSON name of one column", "client", "NAME,full_name,EMAIL,PHONE,COMPANY\n", /given twice/],
    ["missing required column", "client", "NAME,PHONE,COMPANY\n", /line 1: the header has no EMAIL \(email\) column/],
    [
      "contract header without a client reference",
      "contract",
      "ID,SALES CONTACT,TOTAL,DUE,SIGNED,CREATED\n",
      /no CLIENT EMAIL \(client_email\) or CLIENT ID \(client_id\) or CLIENT \(client_name\) column/,
    ],
    ["empty file", "client", "", /line 1: the file is empty/],
    ["a client header for events", "event", "ID,NAME,COMPANY,EMAIL,PHONE,SALES CONTACT\n", /unknown column "COMPANY"/],
  ];
  for (const [name, entity, text, message] of cases) {
    await t.step(name, async () => {
      const error = await refusal(read(entity, "csv", text));
      assert.match(error.message, message);
      assert.equal(error.line, 1);
    });
  }
});

Deno.test("too many or too few fields: that line's error, and reading goes on", async () => {
  const rows = await read(
    "client",
    "csv",
    "NAME,EMAIL,PHONE,COMPANY\nA,a@x.io,01234\nB,b@x.io,01234,B,extra\nC,c@x.io,01234,C\n",
  );
  assert.deepEqual(rows.map((r) => [r.line, r.error?.message]), [
    [2, "has 3 fields, the header 4"],
    [3, "has 5 fields, the header 4"],
    [4, undefined],
  ]);
});

Deno.test("a quoted field that never closes is refused naming the line where it opens", async () => {
  const error = await refusal(
    read("client", "csv", 'NAME,EMAIL,PHONE,COMPANY\nA,a@x.io,01234,A\n"B,b@x.io,01234,B\nC,c@x.io,01234,C\n'),
  );
  assert.equal(error.line, 3);
  assert.match(error.message, /^line 3: a quoted field never closes/);
});

Deno.test("quotes where RFC 4180 has none are refused with their line", async () => {
  assert.match(
    (await refusal(read("client", "csv", 'NAME,EMAIL,PHONE,COMPANY\nA,a@x.io,01234,A\nB,"b@x.io"x,01234,B\n'))).message,
    /^line 3: text after the closing quote/,
  );
  assert.match(
    (await refusal(read("client", "csv", 'NAME,EMAIL,PHONE,COMPANY\nA,a@x.io,01234,A\nB,b@x"io,01234,B\n'))).message,
    /^line 3: a quote inside a field that is not quoted/,
  );
});

Deno.test("a file that is not UTF-8 is refused naming the line and the byte", async (t) => {
  const latin1 = new Uint8Array([
    ...encoder.encode("NAME,EMAIL,PHONE,COMPANY\nA,a@x.io,01234,A\nRen"),
    0xe9,
    ...encoder.encode(",r@x.io,01234,R\n"),
  ]);
  for (const format of ["csv", "jsonl"] as const) {
    await t.step(format, async () => {
      const error = await refusal(read("client", format, latin1, 4));
      assert.equal(error.line, 3);
      assert.match(error.message, /^line 3: not UTF-8 text \(byte 0xE9 at byte 4 of the line\)/);
    });
  }
  await t.step("a truncated sequence at the end of the file", async () => {
    const error = await refusal(read("client", "jsonl", new Uint8Array([...encoder.encode("{}\n{}"), 0xc3])));
    assert.equal(error.line, 2);
  });
});

Deno.test("a 2 GB line is refused once the limit is passed, with its line number, reading little more", async (t) => {
  for (const format of ["csv", "jsonl"] as const) {
    await t.step(format, async () => {
      let produced = 0;
      const chunk = new Uint8Array(64 * 1024).fill(0x61);
      async function* huge(): AsyncGenerator<Uint8Array> {
        const header = encoder.encode(format === "csv" ? "NAME,EMAIL,PHONE,COMPANY\n" : '{"full_name":"A"}\n');
        produced += header.length;
        yield header;
        while (produced < 2 * 1024 ** 3) {
          produced += chunk.length;
          yield chunk;
        }
      }
      const rows = readImport(huge(), { entity: "client", format });
      const error = await refusal((async () => {
        for await (const _ of rows) { /* read */ }
      })());
      assert.equal(error.line, 2);
      assert.match(error.message, /^line 2: longer than 1048576 bytes/);
      assert.ok(produced < MAX_LINE_BYTES + 256 * 1024, `read ${produced} bytes before refusing`);
    });
  }
});

Deno.test("a quoted CSV record of many short lines is bounded like a line", async () => {
  const text = 'NAME,EMAIL,PHONE,COMPANY\n"' + "x\n".repeat(MAX_LINE_BYTES) + '",a@x.io,01234,A\n';
  const error = await refusal(read("client", "csv", text, 64 * 1024));
  assert.equal(error.line, 2);
  assert.match(error.message, /longer than 1048576 bytes/);
});

Deno.test("JSON Lines: records as --json prints them, blank lines skipped, every bad line reported and reading goes on", async () => {
  const rows = await read(
    "contract",
    "jsonl",
    [
      JSON.stringify({
        id: 4,
        client_id: 2,
        sales_contact_id: 3,
        total_amount: "1500.50",
        amount_due: "200.00",
        created_at: "2026-12-06T01:05:20.218Z",
        signed_status: true,
      }),
      "",
      "[1, 2]",
      "{not json",
      JSON.stringify({ client_email: "a@x.io", total: "10" }),
      JSON.stringify({ client_email: "a@x.io", total_amount: 10 }) + "\r",
    ].join("\n"),
  );
  assert.deepEqual(rows, [
    {
      line: 1,
      record: { client_id: 2, sales_contact_id: 3, total_amount: "1500.50", amount_due: "200.00", signed_status: true },
    },
    { line: 3, error: { message: "must be a JSON object (one record a line)" } },
    { line: 4, error: { message: rows[2].error!.message } },
    { line: 5, error: { field: "total", message: "total: unknown field" } },
    { line: 6, record: { client_email: "a@x.io", total_amount: 10 } },
  ]);
  assert.match(rows[2].error!.message, /^not JSON: /);
});

Deno.test("the CSV reader gives the records csv-parse gives, on random fields written as the export writes them", async (t) => {
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pieces = ["a", "Zoë", ",", '"', "\n", "\r\n", " ", "", "x,y", '""', "日本", "\t"];
  const field = () => {
    let text = "";
    for (let k = random(4); k > 0; k--) text += pieces[random(pieces.length)];
    return text;
  };
  // csv-parse takes the first record's line ending for the whole file: one ending a file.
  for (const ending of ["\r\n", "\n"]) {
    await t.step(JSON.stringify(ending), async () => {
      let text = "";
      for (let r = 0; r < 2000; r++) {
        const cells = Array.from({ length: 1 + random(5) }, field);
        if (cells.length === 1 && cells[0] === "") cells[0] = "x";
        text += csvLine(cells).slice(0, -2) + ending;
      }
      const expected = csvParse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
      const records: string[][] = [];
      for await (const record of csvRecords(lineBlocks(chunked(encoder.encode(text), 97)))) {
        records.push(record.fields);
      }
      assert.equal(records.length, 2000);
      assert.deepEqual(records, expected);
    });
  }
});

Deno.test("the format comes from the file's extension", () => {
  assert.equal(importFormatOf("clients.CSV"), "csv");
  assert.equal(importFormatOf("/tmp/x.jsonl"), "jsonl");
  assert.equal(importFormatOf("x.ndjson"), "jsonl");
  assert.equal(importFormatOf("x.json"), undefined);
  assert.equal(importFormatOf("-"), undefined);
});
