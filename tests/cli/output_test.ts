import assert from "node:assert/strict";
import type { Io } from "../../src/cli/io.ts";
import { type Column, printError, printJson, printList, printMessage, printRecord } from "../../src/cli/output.ts";
import {
  AppError,
  ConflictError,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
} from "../../src/domain/errors.ts";

interface FakeIo extends Io {
  out: string;
  err: string;
}

function fakeIo(options: { terminal?: boolean; env?: Record<string, string> } = {}): FakeIo {
  const io: FakeIo = {
    out: "",
    err: "",
    writeOut: (text) => void (io.out += text),
    writeErr: (text) => void (io.err += text),
    readStdin: () => Promise.resolve(""),
    stdinIsTerminal: options.terminal ?? false,
    stdoutIsTerminal: options.terminal ?? false,
    env: options.env ?? {},
    cwd: "/nowhere",
  };
  return io;
}

interface Row {
  id: number;
  name: string;
  notes: string | null;
  signed: boolean;
}

const ROWS: Row[] = [
  { id: 1, name: "Kate Hastroff", notes: "tab\there\nand a new line", signed: true },
  { id: 2, name: "Back\\slash", notes: null, signed: false },
];

const COLUMNS: Column<Row>[] = [
  { header: "ID", value: (r) => r.id },
  { header: "NAME", value: (r) => r.name },
  { header: "NOTES", value: (r) => r.notes },
  { header: "SIGNED", value: (r) => r.signed },
];

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[/;

Deno.test("--json: a list is a JSON array on stdout and nothing else", async () => {
  const io = fakeIo({ terminal: true });
  await printList(io, { json: true }, ROWS, COLUMNS);
  assert.deepEqual(JSON.parse(io.out), ROWS);
  assert.equal(io.err, "");

  const mapped = fakeIo();
  await printList(mapped, { json: true }, ROWS, COLUMNS, { json: (r) => ({ id: r.id }), footer: "2 rows" });
  assert.deepEqual(JSON.parse(mapped.out), [{ id: 1 }, { id: 2 }], "the json mapper is used; no footer");

  const empty = fakeIo();
  await printList(empty, { json: true }, [], COLUMNS);
  assert.deepEqual(JSON.parse(empty.out), []);
});

Deno.test("--json: a record is one JSON object on stdout", async () => {
  const io = fakeIo();
  await printRecord(io, { json: true }, ROWS[0], COLUMNS);
  assert.deepEqual(JSON.parse(io.out), ROWS[0]);
  assert.equal(io.err, "");

  const mapped = fakeIo();
  await printRecord(mapped, { json: true }, ROWS[0], COLUMNS, { json: (r) => ({ name: r.name }) });
  assert.deepEqual(JSON.parse(mapped.out), { name: "Kate Hastroff" });

  const raw = fakeIo();
  printJson(raw, { total_amount: "1500.00" });
  assert.deepEqual(JSON.parse(raw.out), { total_amount: "1500.00" });
});

Deno.test("piped: tab-separated lines, no header, tabs, new lines and backslashes escaped", async () => {
  const io = fakeIo();
  await printList(io, { json: false }, ROWS, COLUMNS, { footer: "2 rows" });
  assert.equal(
    io.out,
    "1\tKate Hastroff\ttab\\there\\nand a new line\ttrue\n" +
      "2\tBack\\\\slash\t\tfalse\n",
  );
  assert.equal(io.err, "");
  for (const line of io.out.trimEnd().split("\n")) assert.equal(line.split("\t").length, COLUMNS.length);

  const empty = fakeIo();
  await printList(empty, { json: false }, [], COLUMNS);
  assert.equal(empty.out, "", "an empty list prints nothing when piped");
});

Deno.test("piped: a record is field<TAB>value lines", async () => {
  const io = fakeIo();
  await printRecord(io, { json: false }, ROWS[0], COLUMNS);
  assert.equal(io.out, "ID\t1\nNAME\tKate Hastroff\nNOTES\ttab\\there\\nand a new line\nSIGNED\ttrue\n");
});

Deno.test("terminal: a table with headers and every value, without ANSI codes under NO_COLOR", async () => {
  const io = fakeIo({ terminal: true, env: { NO_COLOR: "1" } });
  await printList(io, { json: false }, ROWS, COLUMNS, { footer: "2 rows" });
  assert.doesNotMatch(io.out, ANSI);
  const lines = io.out.trimEnd().split("\n");
  const header = lines.find((line) => line.includes("ID"));
  assert.ok(header, io.out);
  assert.match(header, /ID.*NAME.*NOTES.*SIGNED/);
  assert.ok(lines.indexOf(header) < lines.findIndex((line) => line.includes("Kate Hastroff")), "header first");
  assert.match(io.out, /Back\\slash/);
  assert.match(io.out, /[│|┌─]/, "drawn as a table");
  assert.equal(lines[lines.length - 1], "2 rows", "footer after the table");
  assert.ok(!header.includes("\t"), "not tab-separated on a terminal");

  // Control: without NO_COLOR the same table is coloured, so the assertion
  // above is about NO_COLOR and not about a colourless table. cli-table3's
  // colour library turns colours off by itself in some environments (CI=true,
  // FORCE_COLOR=0); the control is only meaningful where it does not.
  const coloured = fakeIo({ terminal: true });
  await printList(coloured, { json: false }, ROWS, COLUMNS);
  const envDisablesColours = Deno.env.get("CI") !== undefined || Deno.env.get("FORCE_COLOR") !== undefined ||
    Deno.env.get("TERM") === "dumb";
  if (!envDisablesColours) {
    assert.match(coloured.out, ANSI, "colours on a terminal without NO_COLOR");
    const emptyNoColor = fakeIo({ terminal: true, env: { NO_COLOR: "" } });
    await printList(emptyNoColor, { json: false }, ROWS, COLUMNS);
    assert.match(emptyNoColor.out, ANSI, "an empty NO_COLOR does not disable colours (no-color.org)");
  }
});

Deno.test("terminal: a record is a key/value table; an empty list says so", async () => {
  const io = fakeIo({ terminal: true, env: { NO_COLOR: "1" } });
  await printRecord(io, { json: false }, ROWS[1], COLUMNS);
  assert.doesNotMatch(io.out, ANSI);
  assert.match(io.out, /NAME\s*│\s*Back\\slash/);
  assert.match(io.out, /SIGNED\s*│\s*false/);

  const empty = fakeIo({ terminal: true, env: { NO_COLOR: "1" } });
  await printList(empty, { json: false }, [], COLUMNS);
  assert.equal(empty.out, "No results.\n");
});

Deno.test("messages go to stderr, with or without --json (stdout is data only)", () => {
  const human = fakeIo();
  printMessage(human, { json: false }, "Database is up to date.");
  assert.equal(human.out, "");
  assert.equal(human.err, "Database is up to date.\n");
  const json = fakeIo();
  printMessage(json, { json: true }, "Database is up to date.");
  assert.equal(json.out, "");
  assert.equal(json.err, "Database is up to date.\n");
});

Deno.test("--json errors: one line on stderr, {error: {code, message, field}}", () => {
  const io = fakeIo();
  printError(io, { json: true }, new InvalidInputError("email: not a valid address\nsee --help", "email"));
  assert.equal(io.out, "");
  assert.ok(io.err.endsWith("\n"));
  assert.equal(io.err.trimEnd().split("\n").length, 1, "one line");
  assert.deepEqual(JSON.parse(io.err), {
    error: { code: "invalid_input", message: "email: not a valid address\nsee --help", field: "email" },
  });

  const noField = fakeIo();
  printError(noField, { json: true }, new NotFoundError("client", 42));
  assert.deepEqual(JSON.parse(noField.err), { error: { code: "not_found", message: "client 42 not found." } });
});

Deno.test("human errors: one line on stderr, never on stdout", () => {
  const errors: AppError[] = [
    new AppError("internal", "boom"),
    new InvalidInputError("total_amount: at most 2 decimals\n(got 1.234)", "total_amount"),
    new NotAuthenticatedError(),
    new PermissionDeniedError("SUPPORT cannot create clients."),
    new NotFoundError("event", 3),
    new ConflictError("email already used", "email"),
  ];
  for (const error of errors) {
    const io = fakeIo({ terminal: true });
    printError(io, { json: false }, error);
    assert.equal(io.out, "");
    assert.match(io.err, /^error: [^\n]+\n$/, JSON.stringify(io.err));
  }
});
