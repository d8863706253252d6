import assert from "node:assert/strict";
import { InvalidInputError } from "../../src/domain/errors.ts";
import { fieldError, parseId, parseInput } from "../../src/domain/schemas/mod.ts";
import {
  auditListSchema,
  clientCreateSchema,
  clientListSchema,
  clientUpdateSchema,
  contractCreateSchema,
  contractListSchema,
  contractUpdateSchema,
  eventAssignSchema,
  eventCreateSchema,
  eventListSchema,
  eventUpdateSchema,
  userCreateSchema,
  userUpdateSchema,
} from "../../src/contract/mod.ts";
import { NOTHING_TO_UPDATE } from "../../src/domain/schemas/fields.ts";

/** Asserts that parsing throws InvalidInputError with exactly this message, and the field it names. */
function assertRefused(fn: () => unknown, message: string, field?: string | null): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${error}`);
    assert.equal(error.message, message);
    assert.equal(error.field, field === null ? undefined : field ?? message.slice(0, message.indexOf(":")));
    assert.equal(error.code, "invalid_input");
    return true;
  });
}

const user = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", role: "SALES" };
const client = {
  full_name: "Kevin Casey",
  email: "kevin@startup.io",
  phone: "+678 123 456 78",
  company_name: "Cool Startup LLC",
};
const event = {
  name: "Launch party",
  contract_id: 3,
  client_contact: "Kate Hastroff",
  start_date: "2026-06-04T13:00:00Z",
  end_date: "2026-06-05T02:00:00Z",
  location: "53 Rue du Château, 41120 Candé-sur-Beuvron",
  attendees: 75,
};

Deno.test("user create: trims text, lower-cases email, normalises role, phone null by default", () => {
  const parsed = parseInput(userCreateSchema, {
    first_name: "  Ada ",
    last_name: "\tLovelace ",
    email: "  Ada@Example.COM ",
    role: "sales",
  });
  assert.deepEqual(parsed, {
    first_name: "Ada",
    last_name: "Lovelace",
    email: "ada@example.com",
    phone: null,
    role: "SALES",
  });
  assert.equal(parseInput(userCreateSchema, { ...user, role: " Management " }).role, "MANAGEMENT");
  assert.equal(parseInput(userCreateSchema, { ...user, role: "support" }).role, "SUPPORT");
  assert.equal(parseInput(userCreateSchema, { ...user, phone: " 01 23 45 67 89 " }).phone, "01 23 45 67 89");
  assert.equal(parseInput(userCreateSchema, { ...user, phone: "" }).phone, null);
});

Deno.test("user create: refusals name the field with a human message", () => {
  assertRefused(
    () => parseInput(userCreateSchema, { ...user, role: "boss" }),
    "role: must be one of MANAGEMENT, SALES, SUPPORT",
  );
  assertRefused(
    () => parseInput(userCreateSchema, { ...user, email: "not-an-email" }),
    "email: must be a valid email address",
  );
  assertRefused(() => parseInput(userCreateSchema, { ...user, email: "a@b" }), "email: must be a valid email address");
  assertRefused(() => parseInput(userCreateSchema, { ...user, email: "" }), "email: must not be empty");
  assertRefused(() => parseInput(userCreateSchema, { ...user, first_name: "   " }), "first_name: must not be empty");
  assertRefused(() => parseInput(userCreateSchema, { ...user, first_name: 42 }), "first_name: must be text");
  assertRefused(
    () => parseInput(userCreateSchema, { ...user, first_name: "Ada\nLovelace" }),
    "first_name: must be a single line without tabs or control characters",
  );
  assertRefused(() => parseInput(userCreateSchema, { ...user, last_name: undefined }), "last_name: is required");
  assertRefused(() => parseInput(userCreateSchema, { ...user, last_name: null }), "last_name: must not be null");
  assertRefused(() => parseInput(userCreateSchema, "nope"), "must be an object", null);
});

Deno.test("the first issue is reported, in field order", () => {
  assertRefused(() => parseInput(userCreateSchema, { email: "bad" }), "first_name: is required");
  assertRefused(
    () => parseInput(userCreateSchema, { ...user, email: "bad", role: "boss" }),
    "email: must be a valid email address",
  );
});

Deno.test("name lengths: 50 accepted, 51 refused; 100/101; location 200/201", () => {
  assert.equal(parseInput(userCreateSchema, { ...user, first_name: "a".repeat(50) }).first_name.length, 50);
  assertRefused(
    () => parseInput(userCreateSchema, { ...user, first_name: "a".repeat(51) }),
    "first_name: must be 1 to 50 characters",
  );
  assertRefused(
    () => parseInput(userCreateSchema, { ...user, last_name: "b".repeat(51) }),
    "last_name: must be 1 to 50 characters",
  );
  // Surrounding spaces do not count.
  assert.equal(parseInput(userCreateSchema, { ...user, first_name: ` ${"a".repeat(50)} ` }).first_name.length, 50);
  // Characters, not UTF-16 units: 50 emoji fit.
  assert.equal(parseInput(userCreateSchema, { ...user, first_name: "😀".repeat(50) }).first_name, "😀".repeat(50));

  assert.equal(parseInput(clientCreateSchema, { ...client, full_name: "x".repeat(100) }).full_name.length, 100);
  assertRefused(
    () => parseInput(clientCreateSchema, { ...client, full_name: "x".repeat(101) }),
    "full_name: must be 1 to 100 characters",
  );
  assert.equal(parseInput(clientCreateSchema, { ...client, company_name: "x".repeat(100) }).company_name.length, 100);
  assertRefused(
    () => parseInput(clientCreateSchema, { ...client, company_name: "x".repeat(101) }),
    "company_name: must be 1 to 100 characters",
  );

  const create = eventCreateSchema("UTC");
  assert.equal(parseInput(create, { ...event, name: "n".repeat(100) }).name.length, 100);
  assertRefused(() => parseInput(create, { ...event, name: "n".repeat(101) }), "name: must be 1 to 100 characters");
  assert.equal(parseInput(create, { ...event, client_contact: "c".repeat(100) }).client_contact.length, 100);
  assertRefused(
    () => parseInput(create, { ...event, client_contact: "c".repeat(101) }),
    "client_contact: must be 1 to 100 characters",
  );
  assert.equal(parseInput(create, { ...event, location: "l".repeat(200) }).location.length, 200);
  assertRefused(
    () => parseInput(create, { ...event, location: "l".repeat(201) }),
    "location: must be 1 to 200 characters",
  );
});

Deno.test("email: at most 100 characters, validated, lower-cased", () => {
  const local = "a".repeat(100 - "@example.com".length);
  assert.equal(parseInput(clientCreateSchema, { ...client, email: `${local}@example.com` }).email.length, 100);
  assertRefused(
    () => parseInput(clientCreateSchema, { ...client, email: `${local}a@example.com` }),
    "email: must be at most 100 characters",
  );
  assert.equal(parseInput(clientCreateSchema, { ...client, email: " Kevin@Startup.IO " }).email, "kevin@startup.io");
  for (const bad of ["kevin", "kevin@", "@startup.io", "kevin@@startup.io", "kevin startup@io.com", "kevin@startup"]) {
    assertRefused(
      () => parseInput(clientCreateSchema, { ...client, email: bad }),
      "email: must be a valid email address",
    );
  }
});

Deno.test("phone: 5 to 20 characters of digits, spaces, + - ( ) .", () => {
  assertRefused(
    () => parseInput(clientCreateSchema, { ...client, phone: "1234" }),
    "phone: must be 5 to 20 characters",
  );
  assert.equal(parseInput(clientCreateSchema, { ...client, phone: "12345" }).phone, "12345");
  assert.equal(parseInput(clientCreateSchema, { ...client, phone: "1".repeat(20) }).phone, "1".repeat(20));
  assertRefused(
    () => parseInput(clientCreateSchema, { ...client, phone: "1".repeat(21) }),
    "phone: must be 5 to 20 characters",
  );
  assert.equal(parseInput(clientCreateSchema, { ...client, phone: "+33 (0)1.23-45" }).phone, "+33 (0)1.23-45");
  assert.equal(parseInput(clientCreateSchema, { ...client, phone: "  12345  " }).phone, "12345");
  const message = "phone: may only contain digits, spaces, +, -, (, ) and .";
  assertRefused(() => parseInput(clientCreateSchema, { ...client, phone: "call me maybe" }), message);
  assertRefused(() => parseInput(clientCreateSchema, { ...client, phone: "12345x" }), message);
  assertRefused(() => parseInput(clientCreateSchema, { ...client, phone: "-----" }), message);
  // A client's phone is required; a user's may be left out.
  assertRefused(() => parseInput(clientCreateSchema, { ...client, phone: "" }), "phone: must be 5 to 20 characters");
  assertRefused(() => parseInput(userCreateSchema, { ...user, phone: "1234" }), "phone: must be 5 to 20 characters");
});

Deno.test("ids: positive integers, numeric strings accepted", () => {
  assert.equal(parseInput(clientCreateSchema, { ...client, sales_contact_id: "7" }).sales_contact_id, 7);
  assert.equal(parseInput(clientCreateSchema, client).sales_contact_id, undefined);
  for (const bad of [0, -1, 1.5, "1.5", "abc", "1e3", "", true]) {
    assertRefused(
      () => parseInput(clientCreateSchema, { ...client, sales_contact_id: bad }),
      "sales_contact_id: must be a positive integer id",
    );
  }
  assertRefused(
    () => parseInput(clientCreateSchema, { ...client, sales_contact_id: "99999999999" }),
    "sales_contact_id: must be at most 2147483647",
  );
  assert.equal(parseId("12"), 12);
  assert.equal(parseId(12), 12);
  assertRefused(() => parseId("twelve"), "id: must be a positive integer id");
  assertRefused(() => parseId("0", "support_contact_id"), "support_contact_id: must be a positive integer id");
});

Deno.test("client update: all optional, at least one field", () => {
  assert.deepEqual(parseInput(clientUpdateSchema, { company_name: " New Co " }), { company_name: "New Co" });
  assert.deepEqual(parseInput(clientUpdateSchema, { sales_contact_id: "4" }), { sales_contact_id: 4 });
  assertRefused(() => parseInput(clientUpdateSchema, {}), NOTHING_TO_UPDATE, null);
  assertRefused(
    () => parseInput(clientUpdateSchema, { email: undefined, phone: undefined }),
    NOTHING_TO_UPDATE,
    null,
  );
  assertRefused(() => parseInput(clientUpdateSchema, { phone: "12" }), "phone: must be 5 to 20 characters");
});

Deno.test("user update: phone can be cleared with null or an empty string", () => {
  assert.deepEqual(parseInput(userUpdateSchema, { phone: null }), { phone: null });
  assert.deepEqual(parseInput(userUpdateSchema, { phone: "  " }), { phone: null });
  assert.deepEqual(parseInput(userUpdateSchema, { role: "support" }), { role: "SUPPORT" });
  assertRefused(() => parseInput(userUpdateSchema, {}), NOTHING_TO_UPDATE, null);
  assertRefused(() => parseInput(userUpdateSchema, { first_name: "" }), "first_name: must not be empty");
});

Deno.test("contract create: cents, amount_due defaults to total and may not exceed it", () => {
  assert.deepEqual(parseInput(contractCreateSchema, { client_id: "3", total_amount: "1500.5" }), {
    client_id: 3,
    total_amount: 150050,
    amount_due: 150050,
  });
  assert.deepEqual(
    parseInput(contractCreateSchema, { client_id: 3, total_amount: "1500", amount_due: "0", sales_contact_id: 2 }),
    {
      client_id: 3,
      total_amount: 150000,
      amount_due: 0,
      sales_contact_id: 2,
    },
  );
  assert.equal(
    parseInput(contractCreateSchema, { client_id: 3, total_amount: "1500", amount_due: "1500.00" }).amount_due,
    150000,
  );
  assertRefused(
    () => parseInput(contractCreateSchema, { client_id: 3, total_amount: "1500", amount_due: "1500.01" }),
    "amount_due: must not exceed total_amount",
  );
  assertRefused(
    () => parseInput(contractCreateSchema, { client_id: 3, total_amount: "1500.505" }),
    "total_amount: at most 2 decimals allowed",
  );
  assertRefused(
    () => parseInput(contractCreateSchema, { client_id: 3, total_amount: "-1" }),
    "total_amount: must not be negative",
  );
  assertRefused(
    () => parseInput(contractCreateSchema, { client_id: 3, total_amount: "10", amount_due: "-1" }),
    "amount_due: must not be negative",
  );
  assertRefused(() => parseInput(contractCreateSchema, { client_id: 3 }), "total_amount: is required");
});

Deno.test("contract update: optional fields, signed_status from booleans and words", () => {
  assert.deepEqual(parseInput(contractUpdateSchema, { signed_status: "true" }), { signed_status: true });
  assert.deepEqual(parseInput(contractUpdateSchema, { signed_status: "No" }), { signed_status: false });
  assert.deepEqual(parseInput(contractUpdateSchema, { signed_status: " yes " }), { signed_status: true });
  assert.deepEqual(parseInput(contractUpdateSchema, { signed_status: false }), { signed_status: false });
  assertRefused(
    () => parseInput(contractUpdateSchema, { signed_status: "maybe" }),
    "signed_status: must be true or false",
  );
  assertRefused(() => parseInput(contractUpdateSchema, { signed_status: 1 }), "signed_status: must be true or false");
  assert.deepEqual(parseInput(contractUpdateSchema, { amount_due: "10" }), { amount_due: 1000 });
  assertRefused(
    () => parseInput(contractUpdateSchema, { total_amount: "10", amount_due: "10.01" }),
    "amount_due: must not exceed total_amount",
  );
  assertRefused(() => parseInput(contractUpdateSchema, {}), NOTHING_TO_UPDATE, null);
});

Deno.test("event create: dates in the time zone, attendees from strings, optional fields null", () => {
  const parsed = parseInput(eventCreateSchema("Europe/Paris"), {
    ...event,
    start_date: "2026-07-01 10:00",
    end_date: "2026-07-01T12:00:00+02:00",
    attendees: "120",
  });
  assert.equal(parsed.start_date.toISOString(), "2026-07-01T08:00:00.000Z");
  assert.equal(parsed.end_date.toISOString(), "2026-07-01T10:00:00.000Z");
  assert.equal(parsed.attendees, 120);
  assert.equal(parsed.notes, null);
  assert.equal(parsed.support_contact_id, null);
  const winter = parseInput(eventCreateSchema("America/New_York"), {
    ...event,
    start_date: "2026-01-15 10:00",
    end_date: "2026-01-15 11:00",
  });
  assert.equal(winter.start_date.toISOString(), "2026-01-15T15:00:00.000Z");
  assert.equal(parseInput(eventCreateSchema(), { ...event, attendees: 0 }).attendees, 0);
  assert.equal(
    parseInput(eventCreateSchema(), { ...event, notes: " Bring a DJ\nand cake " }).notes,
    "Bring a DJ\nand cake",
  );
  assert.equal(parseInput(eventCreateSchema(), { ...event, notes: "" }).notes, null);
  assert.equal(parseInput(eventCreateSchema(), { ...event, support_contact_id: "5" }).support_contact_id, 5);
  const date = new Date("2026-06-04T13:00:00Z");
  assert.equal(parseInput(eventCreateSchema(), { ...event, start_date: date }).start_date.getTime(), date.getTime());
});

Deno.test("event create: refusals", () => {
  const create = eventCreateSchema("UTC");
  for (const bad of ["12.5", "-1", "abc", 12.5, -1, ""]) {
    assertRefused(
      () => parseInput(create, { ...event, attendees: bad }),
      "attendees: must be a whole number, 0 or more",
    );
  }
  assertRefused(
    () => parseInput(create, { ...event, end_date: event.start_date }),
    "end_date: must be after start_date",
  );
  assertRefused(
    () => parseInput(create, { ...event, end_date: "2026-06-04T12:59:59Z" }),
    "end_date: must be after start_date",
  );
  assertRefused(
    () => parseInput(create, { ...event, start_date: "2026-02-30 10:00" }),
    "start_date: 2026-02-30 is not a valid date",
  );
  assertRefused(
    () => parseInput(create, { ...event, start_date: "next friday" }),
    "start_date: must be a date such as 2026-06-01T18:00:00Z, 2026-06-01T18:00:00+02:00 or 2026-06-01 18:00",
  );
  assertRefused(
    () => parseInput(create, { ...event, start_date: 5 }),
    "start_date: must be a date such as 2026-06-01T18:00:00Z or 2026-06-01 18:00",
  );
  assertRefused(
    () => parseInput(create, { ...event, notes: "x".repeat(2001) }),
    "notes: must be at most 2000 characters",
  );
  assert.equal(parseInput(create, { ...event, notes: "x".repeat(2000) }).notes?.length, 2000);
  assert.throws(
    () => eventCreateSchema("Not/AZone"),
    (error: unknown) => error instanceof InvalidInputError && error.field === "TZ",
  );
});

Deno.test("event update: optional fields, end after start when both given, notes cleared", () => {
  const update = eventUpdateSchema("Europe/Paris");
  assert.deepEqual(parseInput(update, { attendees: "80" }), { attendees: 80 });
  assert.deepEqual(parseInput(update, { notes: "" }), { notes: null });
  assert.deepEqual(parseInput(update, { notes: null }), { notes: null });
  assert.equal(
    parseInput(update, { start_date: "2026-01-15 10:00" }).start_date?.toISOString(),
    "2026-01-15T09:00:00.000Z",
  );
  assertRefused(
    () => parseInput(update, { start_date: "2026-01-15 10:00", end_date: "2026-01-15 09:30" }),
    "end_date: must be after start_date",
  );
  assertRefused(() => parseInput(update, {}), NOTHING_TO_UPDATE, null);
  assert.deepEqual(parseInput(eventAssignSchema, { support_contact_id: "9" }), { support_contact_id: 9 });
});

Deno.test("list filters", () => {
  assert.deepEqual(parseInput(clientListSchema, {}), {});
  assert.deepEqual(parseInput(clientListSchema, { mine: true, search: "  50%_off ", limit: "10", offset: "0" }), {
    mine: true,
    search: "50%_off",
    limit: 10,
    offset: 0,
  });
  assert.equal(parseInput(clientListSchema, { search: "   " }).search, undefined);
  assertRefused(() => parseInput(clientListSchema, { limit: "0" }), "limit: must be a positive integer");
  assertRefused(() => parseInput(clientListSchema, { offset: "-1" }), "offset: must be a whole number, 0 or more");
  // A filter's key is its flag's name: --client, --contract.
  assert.deepEqual(parseInput(contractListSchema, { unsigned: true, unpaid: "yes", client: "2" }), {
    unsigned: true,
    unpaid: true,
    client: 2,
  });
  assert.deepEqual(
    parseInput(eventListSchema, { mine: false, unassigned: true, upcoming: true, contract: 4, limit: 5 }),
    {
      mine: false,
      unassigned: true,
      upcoming: true,
      contract: 4,
      limit: 5,
    },
  );
  assertRefused(() => parseInput(eventListSchema, { contract_id: 4 }), "contract_id: unknown field");
  const audit = parseInput(auditListSchema("Europe/Paris"), {
    entity: "Contracts",
    id: "3",
    actor: 1,
    since: "2026-06-01",
    limit: "20",
  });
  assert.deepEqual(audit, { entity: "contract", id: 3, actor: 1, since: new Date("2026-05-31T22:00:00Z"), limit: 20 });
  assertRefused(
    () => parseInput(auditListSchema(), { entity: "invoice" }),
    "entity: must be one of user, client, contract, event",
  );
  assertRefused(
    () => parseInput(auditListSchema(), { since: "2026-02-30" }),
    "since: 2026-02-30 is not a valid date",
  );
});

Deno.test("fieldError validates one field for a prompt", () => {
  assert.equal(fieldError(clientCreateSchema, "email", "nope"), "must be a valid email address");
  assert.equal(fieldError(clientCreateSchema, "email", "a@b.io"), undefined);
  assert.equal(fieldError(contractCreateSchema, "total_amount", "1.234"), "at most 2 decimals allowed");
  assert.equal(fieldError(eventCreateSchema("UTC"), "start_date", "2026-06-01 18:00"), undefined);
  assert.equal(fieldError(clientCreateSchema, "full_name", undefined), "is required");
  assert.throws(() => fieldError(clientCreateSchema, "nope", "x"));
});
