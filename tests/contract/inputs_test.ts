/**
 * Hostile text (issue 8 #16), strict objects and typed inputs (issue 9 #4),
 * and the login schema.
 * @module
 */
import assert from "node:assert/strict";
import type * as z from "zod";
import { InvalidInputError } from "../../src/domain/errors.ts";
import { parseInput } from "../../src/domain/schemas/mod.ts";
import {
  auditListSchema,
  type ClientCreateInput,
  clientCreateSchema,
  clientListSchema,
  type ClientUpdateInput,
  clientUpdateSchema,
  type ContractCreateInput,
  contractCreateSchema,
  contractListSchema,
  contractUpdateSchema,
  type EventAssignInput,
  eventAssignSchema,
  type EventCreateInput,
  eventCreateSchema,
  eventListSchema,
  eventUpdateSchema,
  type LoginInput,
  loginSchema,
  type UserCreateInput,
  userCreateSchema,
  type UserUpdateInput,
  userUpdateSchema,
} from "../../src/contract/mod.ts";
import { trimText } from "../../src/domain/schemas/fields.ts";

/** The InvalidInputError `fn` throws (fails the test when it throws nothing or something else). */
function refusal(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${error}`);
    return error;
  }
  assert.fail("expected a refusal, got none");
}

/** Asserts a refusal naming `field` (in the error and at the start of its message). */
function assertRefusedField(fn: () => unknown, field: string, reason?: RegExp): InvalidInputError {
  const error = refusal(fn);
  assert.equal(error.field, field, error.message);
  assert.ok(error.message.startsWith(`${field}: `), error.message);
  if (reason) assert.match(error.message, reason);
  return error;
}

const user = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", role: "SALES" };
const client = { full_name: "Kevin Casey", email: "kevin@startup.io", phone: "+678 123 456", company_name: "Cool LLC" };
const event = {
  name: "Launch party",
  contract_id: 3,
  client_contact: "Kate Hastroff",
  start_date: "2026-06-04T13:00:00Z",
  end_date: "2026-06-05T02:00:00Z",
  location: "Candé-sur-Beuvron",
  attendees: 75,
};

/** Every text field: how to parse a record with `value` in it, and how to read the field back. */
const TEXT_FIELDS: ReadonlyArray<{ field: string; parse: (value: string) => unknown }> = [
  { field: "first_name", parse: (v) => parseInput(userCreateSchema, { ...user, first_name: v }).first_name },
  { field: "last_name", parse: (v) => parseInput(userCreateSchema, { ...user, last_name: v }).last_name },
  { field: "first_name", parse: (v) => parseInput(userUpdateSchema, { first_name: v }).first_name },
  { field: "full_name", parse: (v) => parseInput(clientCreateSchema, { ...client, full_name: v }).full_name },
  { field: "company_name", parse: (v) => parseInput(clientCreateSchema, { ...client, company_name: v }).company_name },
  { field: "company_name", parse: (v) => parseInput(clientUpdateSchema, { company_name: v }).company_name },
  { field: "name", parse: (v) => parseInput(eventCreateSchema("UTC"), { ...event, name: v }).name },
  {
    field: "client_contact",
    parse: (v) => parseInput(eventCreateSchema("UTC"), { ...event, client_contact: v }).client_contact,
  },
  { field: "location", parse: (v) => parseInput(eventCreateSchema("UTC"), { ...event, location: v }).location },
  { field: "location", parse: (v) => parseInput(eventUpdateSchema("UTC"), { location: v }).location },
  { field: "notes", parse: (v) => parseInput(eventCreateSchema("UTC"), { ...event, notes: v }).notes },
  { field: "notes", parse: (v) => parseInput(eventUpdateSchema("UTC"), { notes: v }).notes },
  { field: "search", parse: (v) => parseInput(clientListSchema, { search: v }).search },
];

/** Characters no text field accepts, anywhere in the value. */
const HOSTILE: ReadonlyArray<{ char: string; name: string; reason: RegExp }> = [
  { char: "\u2028", name: "line separator", reason: /control characters \(found U\+2028\)$/ },
  { char: "\u2029", name: "paragraph separator", reason: /control characters \(found U\+2029\)$/ },
  { char: "\u0080", name: "first C1 control", reason: /control characters \(found U\+0080\)$/ },
  { char: "\u0085", name: "next line (NEL)", reason: /control characters \(found U\+0085\)$/ },
  { char: "\u009b", name: "C1 control sequence introducer", reason: /control characters \(found U\+009B\)$/ },
  { char: "\u009f", name: "last C1 control", reason: /control characters \(found U\+009F\)$/ },
  ...["202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069"].map((hex) => ({
    char: String.fromCodePoint(Number.parseInt(hex, 16)),
    name: `bidirectional control U+${hex}`,
    reason: new RegExp(`must not contain bidirectional control characters \\(found U\\+${hex}\\)$`),
  })),
  { char: "\ud800", name: "unpaired surrogate", reason: /must be valid Unicode text/ },
];

Deno.test("every text field refuses separators, C1 controls, bidi overrides and isolates, wherever they are", () => {
  for (const { field, parse } of TEXT_FIELDS) {
    for (const { char, name, reason } of HOSTILE) {
      for (const value of [`Kate${char}Hastroff`, `${char}Kate`, `Kate${char}`, `Kate ${char} `]) {
        const error = assertRefusedField(() => parse(value), field, reason);
        assert.ok(!error.message.includes(char), `${field}, ${name}: the message does not echo the character`);
      }
    }
  }
});

Deno.test("a value of only zero-width characters is empty: refused, or null/undefined where blank means so", () => {
  const invisible = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200b\u200c\u200d\u2060\ufeff", " \u200b \t"];
  for (const value of invisible) {
    for (const { field, parse } of TEXT_FIELDS) {
      if (field === "notes") assert.equal(parse(value), null, `notes ${JSON.stringify(value)} clears the notes`);
      else if (field === "search") assert.equal(parse(value), undefined, "a blank search is no search");
      else assertRefusedField(() => parse(value), field, /must not be empty$/);
    }
    assertRefusedField(() => parseInput(clientCreateSchema, { ...client, email: value }), "email", /not be empty/);
    assertRefusedField(() => parseInput(loginSchema, { email: value, password: "x" }), "email", /not be empty/);
    assertRefusedField(() => parseInput(clientCreateSchema, { ...client, phone: value }), "phone");
    assert.equal(parseInput(userCreateSchema, { ...user, phone: value }).phone, null);
  }
});

Deno.test("zero-width characters are trimmed at the ends and kept inside (emoji sequences)", () => {
  assert.equal(trimText("\u200b\ufeff Kate Hastroff \u2060\u200d"), "Kate Hastroff");
  assert.equal(parseInput(clientCreateSchema, { ...client, full_name: "\u200bKate\u200b" }).full_name, "Kate");
  assert.equal(
    parseInput(clientCreateSchema, { ...client, email: "\ufeffKevin@Startup.io\u200b" }).email,
    "kevin@startup.io",
  );
  assert.equal(parseInput(clientCreateSchema, { ...client, phone: "\u200b0102030405" }).phone, "0102030405");
  // ZWJ inside an emoji sequence, ZWNJ inside a Persian word: real text.
  const family = "👩\u200d👩\u200d👧";
  assert.equal(
    parseInput(clientCreateSchema, { ...client, full_name: `${family} Casey` }).full_name,
    `${family} Casey`,
  );
  assert.equal(parseInput(clientCreateSchema, { ...client, full_name: "می\u200cخواهم" }).full_name, "می\u200cخواهم");
  // Right-to-left text without bidi controls is fine, so are accents and CJK.
  for (const name of ["שרה כהן", "سارة", "Zoë Åström", "王小明"]) {
    assert.equal(parseInput(clientCreateSchema, { ...client, full_name: name }).full_name, name);
  }
  // The limit counts what is left after trimming.
  const hundred = "x".repeat(100);
  assert.equal(parseInput(clientCreateSchema, { ...client, full_name: `\u200b${hundred}\u200b` }).full_name, hundred);
  assertRefusedField(() => parseInput(clientCreateSchema, { ...client, full_name: `${hundred}x` }), "full_name");
});

Deno.test("line breaks: refused in single-line fields, kept in notes; other C0 controls refused everywhere", () => {
  const notes = parseInput(eventCreateSchema("UTC"), { ...event, notes: "Bring a DJ\nand cake\r\n\tthanks" }).notes;
  assert.equal(notes, "Bring a DJ\nand cake\r\n\tthanks");
  assertRefusedField(
    () => parseInput(eventCreateSchema("UTC"), { ...event, notes: "bell\u0007" }),
    "notes",
    /^notes: must not contain control characters$/,
  );
  assertRefusedField(
    () => parseInput(clientCreateSchema, { ...client, full_name: "Kate\nHastroff" }),
    "full_name",
    /^full_name: must be a single line without tabs or control characters$/,
  );
  assertRefusedField(
    () => parseInput(clientCreateSchema, { ...client, full_name: "Kate\u001b[31mHastroff" }),
    "full_name",
  );
});

Deno.test("every length limit holds before the database, however long the value", () => {
  for (const length of [101, 1_000, 131_000]) {
    const email = `${"k".repeat(length - "@x.io".length)}@x.io`;
    assert.equal(email.length, length);
    for (
      const parse of [
        () => parseInput(userCreateSchema, { ...user, email }),
        () => parseInput(userUpdateSchema, { email }),
        () => parseInput(clientCreateSchema, { ...client, email }),
        () => parseInput(clientUpdateSchema, { email }),
        () => parseInput(loginSchema, { email, password: "correct horse battery" }),
      ]
    ) {
      assertRefusedField(parse, "email", /^email: must be at most 100 characters$/);
    }
    const text = "y".repeat(length);
    assertRefusedField(() => parseInput(clientListSchema, { search: text }), "search", /1 to 100 characters$/);
    assertRefusedField(() => parseInput(eventUpdateSchema("UTC"), { location: `${text}${text}` }), "location");
    assertRefusedField(() => parseInput(eventUpdateSchema("UTC"), { notes: text.repeat(20) }), "notes");
  }
  // Characters, not UTF-16 units or bytes: 100 emoji fit in a 100-character name; 101 do not.
  assert.equal(parseInput(clientCreateSchema, { ...client, full_name: "😀".repeat(100) }).full_name, "😀".repeat(100));
  assertRefusedField(() => parseInput(clientCreateSchema, { ...client, full_name: "😀".repeat(101) }), "full_name");
});

Deno.test("login: email trimmed, lower-cased and checked; password kept exactly as given", () => {
  assert.deepEqual(parseInput(loginSchema, { email: "  Ada@Example.COM ", password: "  spaced out  " }), {
    email: "ada@example.com",
    password: "  spaced out  ",
  });
  assertRefusedField(() => parseInput(loginSchema, { email: "ada", password: "x" }), "email", /valid email/);
  assertRefusedField(() => parseInput(loginSchema, { email: "ada@x.io" }), "password", /is required$/);
  assertRefusedField(() => parseInput(loginSchema, { password: "x" }), "email", /is required$/);
  assertRefusedField(() => parseInput(loginSchema, { email: "ada@x.io", password: 42 }), "password", /must be text$/);
  assertRefusedField(
    () => parseInput(loginSchema, { email: "ada@x.io", password: "x", remember: true }),
    "remember",
    /^remember: unknown field$/,
  );
});

Deno.test("every input schema is strict: an unknown key is refused, naming the key", () => {
  const cases: ReadonlyArray<[string, () => unknown]> = [
    ["user create", () => parseInput(userCreateSchema, { ...user, nickname: "Ada" })],
    ["user update", () => parseInput(userUpdateSchema, { first_name: "Ada", nickname: "Ada" })],
    ["client create", () => parseInput(clientCreateSchema, { ...client, nickname: "K" })],
    // The misspelling that used to update nothing without a word.
    ["client update", () => parseInput(clientUpdateSchema, { nickname: "New Co" })],
    ["contract create", () => parseInput(contractCreateSchema, { client_id: 1, total_amount: "10", nickname: 1 })],
    ["contract update", () => parseInput(contractUpdateSchema, { signed_status: true, nickname: 1 })],
    ["event create", () => parseInput(eventCreateSchema("UTC"), { ...event, nickname: "x" })],
    ["event update", () => parseInput(eventUpdateSchema("UTC"), { name: "x", nickname: "x" })],
    ["event assign", () => parseInput(eventAssignSchema, { support_contact_id: 2, nickname: "x" })],
    ["client list", () => parseInput(clientListSchema, { nickname: "x" })],
    ["contract list", () => parseInput(contractListSchema, { nickname: "x" })],
    ["event list", () => parseInput(eventListSchema, { nickname: "x" })],
    ["audit list", () => parseInput(auditListSchema("UTC"), { nickname: "x" })],
    ["login", () => parseInput(loginSchema, { email: "a@b.io", password: "x", nickname: "x" })],
  ];
  for (const [name, parse] of cases) {
    const error = assertRefusedField(parse, "nickname", /^nickname: unknown field$/);
    assert.equal(error.code, "invalid_input", name);
  }
  const misspelt = assertRefusedField(() => parseInput(clientUpdateSchema, { compnay_name: "New Co" }), "compnay_name");
  assert.equal(misspelt.message, "compnay_name: unknown field");
  const two = refusal(() => parseInput(clientUpdateSchema, { compnay_name: "New Co", fullname: "K" }));
  assert.equal(two.message, "compnay_name, fullname: unknown fields");
  assert.equal(two.field, "compnay_name");
  // Known keys left undefined are still fine: the CLI passes every flag, given or not.
  assert.equal(parseInput(clientUpdateSchema, { full_name: undefined, company_name: "New Co" }).company_name, "New Co");
});

Deno.test("typed inputs: what callers may pass, and a misspelt key is a compile error", () => {
  const create: ClientCreateInput = { ...client, sales_contact_id: "7" };
  const update: ClientUpdateInput = { company_name: "New Co" };
  // @ts-expect-error: compnay_name is not a field of a client update
  const misspelt: ClientUpdateInput = { compnay_name: "New Co" };
  const userInput: UserCreateInput = { ...user, role: "sales" };
  const userUpdate: UserUpdateInput = { phone: null };
  const contract: ContractCreateInput = { client_id: 3, total_amount: "1500.50" };
  const eventInput: EventCreateInput = { ...event, start_date: new Date(), notes: "x" };
  const assign: EventAssignInput = { support_contact_id: 2 };
  const login: LoginInput = { email: "a@b.io", password: "x" };
  // @ts-expect-error: a login takes no other key
  const loginExtra: LoginInput = { email: "a@b.io", password: "x", otp: "1" };
  assert.equal(parseInput(clientCreateSchema, create).sales_contact_id, 7);
  assert.equal(parseInput(clientUpdateSchema, update).company_name, "New Co");
  assert.throws(() => parseInput(clientUpdateSchema, misspelt), InvalidInputError);
  assert.equal(parseInput(userCreateSchema, userInput).role, "SALES");
  assert.equal(parseInput(userUpdateSchema, userUpdate).phone, null);
  assert.equal(parseInput(contractCreateSchema, contract).amount_due, 150050);
  assert.equal(parseInput(eventCreateSchema("UTC"), { ...eventInput, end_date: "2999-01-01" }).notes, "x");
  assert.equal(parseInput(eventAssignSchema, assign).support_contact_id, 2);
  assert.equal(parseInput(loginSchema, login).email, "a@b.io");
  assert.throws(() => parseInput(loginSchema, loginExtra), InvalidInputError);
  // The input and output types differ where parsing converts: amounts in, cents out.
  const cents: z.output<typeof contractCreateSchema>["total_amount"] = 150050;
  assert.equal(typeof cents, "number");
});
