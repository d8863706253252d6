import assert from "node:assert/strict";
import {
  csvCell,
  csvLine,
  escapeControls,
  humanMoney,
  JsonArrayWriter,
  jsonText,
  localTime,
  renderTable,
  tsvLine,
  zoneName,
} from "../../src/cli/output/formats.ts";
import { testIo } from "../support/io.ts";

Deno.test("CSV per RFC 4180: quotes only where needed, quotes doubled, CRLF", () => {
  assert.equal(csvCell("plain"), "plain");
  assert.equal(csvCell("a,b"), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(false), "false");
  assert.equal(csvLine([1, "a,b", null, "x"]), '1,"a,b",,x\r\n');
});

Deno.test("TSV: backslashes, tabs and new lines escaped", () => {
  assert.equal(tsvLine(["a\tb", "c\nd", "e\\f", null]), "a\\tb\tc\\nd\te\\\\f\t\n");
});

Deno.test("a streamed JSON array is exactly JSON.stringify(array, null, 2)", () => {
  for (const array of [[], [{ a: 1 }], [{ a: [1, 2], b: { c: null } }, { d: "x\ny" }, 3]]) {
    let out = "";
    const writer = new JsonArrayWriter((text) => out += text);
    for (const item of array) writer.push(item);
    writer.end();
    assert.equal(out, jsonText(array));
  }
});

Deno.test("tables: one rule under the header, none between rows; control characters escaped", async () => {
  const io = testIo({ terminal: true, env: { NO_COLOR: "1" } });
  const text = await renderTable(io, ["ID", "NOTES"], [[1, "a\tb"], [2, "c\nd"], [3, "bell\u0007"]]);
  const lines = text.trimEnd().split("\n");
  assert.equal(lines.length, 7, text);
  assert.equal(lines.filter((l) => l.startsWith("├")).length, 1);
  assert.ok(lines[2].startsWith("├"), "the rule is under the header");
  assert.match(text, /│ a\\tb\s+│/);
  assert.match(text, /│ c\\nd\s+│/);
  assert.match(text, /│ bell\\u0007 │/);
  assert.equal(new Set(lines.map((l) => l.length)).size, 1, "aligned");
  assert.equal(escapeControls("x\r\ny"), "x\\r\\ny");
  const record = await renderTable(io, null, [["ID", 1], ["NAME", "Kate"]]);
  assert.ok(!record.includes("├"), "a record has no rules between rows");
});

Deno.test("local times carry their zone's name", () => {
  const summer = "2027-06-04T16:00:00.000Z";
  assert.equal(localTime(summer, "Europe/Paris"), "2027-06-04 18:00 CEST");
  assert.equal(localTime("2027-01-04T16:00:00.000Z", "Europe/Paris"), "2027-01-04 17:00 CET");
  assert.equal(localTime(summer, "America/New_York"), "2027-06-04 12:00 EDT");
  assert.equal(localTime(summer, "UTC"), "2027-06-04 16:00 UTC");
  assert.equal(localTime(summer, "Europe/London"), "2027-06-04 17:00 BST");
  assert.equal(zoneName(new Date(summer), "Asia/Tokyo"), "GMT+9", "an offset where no abbreviation exists");
  assert.throws(() => localTime(summer, "Mars/Olympus"), /TZ: unknown time zone/);
});

Deno.test("money in tables: euros with thousands separators as each language writes them, exact decimals", () => {
  assert.equal(humanMoney("12500.50", "en"), "€12,500.50");
  assert.equal(humanMoney("0.05", "en"), "€0.05");
  assert.equal(humanMoney("999999999999.99", "en"), "€999,999,999,999.99");
  // fr-FR: a narrow no-break space between thousands, a no-break space before the sign.
  assert.equal(humanMoney("12500.50", "fr"), "12\u202f500,50\u00a0€");
  assert.equal(humanMoney("999999999999.99", "fr"), "999\u202f999\u202f999\u202f999,99\u00a0€");
  assert.equal(humanMoney("0.10", "fr"), "0,10\u00a0€");
  assert.equal(humanMoney("not money", "fr"), "not money");
});

Deno.test("instants in tables in each language's style, in the local zone", () => {
  const summer = "2027-06-04T16:00:00.000Z";
  assert.equal(localTime(summer, "Europe/Paris", "fr"), "04/06/2027 18:00 UTC+2");
  assert.equal(localTime("2027-01-04T16:00:00.000Z", "Europe/Paris", "fr"), "04/01/2027 17:00 UTC+1");
  assert.equal(localTime(summer, "America/New_York", "fr"), "04/06/2027 12:00 UTC\u22124");
  assert.equal(localTime(summer, "UTC", "fr"), "04/06/2027 16:00 UTC");
  assert.equal(localTime(summer, "Europe/Paris", "en"), "2027-06-04 18:00 CEST");
});
