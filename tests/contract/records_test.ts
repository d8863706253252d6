/**
 * The contract's records: what the program derives from them agrees with
 * them — the select lists the repositories write out by hand (on the path of
 * every token check, which must not load zod), the records built from stored
 * rows, and the CLI's columns and flags.
 * @module
 */
import assert from "node:assert/strict";
import { columns } from "../../src/cli/entities/fields.ts";
import { CLIENT } from "../../src/cli/entities/client.ts";
import { CONTRACT } from "../../src/cli/entities/contract.ts";
import {
  auditRecord,
  clientRecord,
  columnsOf,
  contractRecord,
  displayNamesOf,
  eventRecord,
  fieldMetaOf,
  recordMetaOf,
  toRecord,
  userRecord,
} from "../../src/contract/mod.ts";
import { AUDIT_COLUMNS } from "../../src/repositories/audit.ts";
import { USER_COLUMNS } from "../../src/repositories/users.ts";

Deno.test("the select lists written out by hand are the records' columns", () => {
  assert.equal(USER_COLUMNS.join(", "), columnsOf(userRecord, "u").replaceAll("u.", ""));
  assert.equal(AUDIT_COLUMNS, columnsOf(auditRecord, "a"));
});

Deno.test("a stored row becomes its record: amounts from cents, names under display only when looked up", () => {
  const row = {
    id: 7,
    client_id: 3,
    sales_contact_id: 2,
    total_amount_cents: 150050,
    amount_due_cents: 5,
    created_at: "2027-06-04T16:00:00.000Z",
    signed_status: true,
    client_sales_contact_id: 2,
    client_name: "Kate",
    sales_contact_name: "Sam Seller",
  };
  assert.deepEqual(toRecord(contractRecord, row), {
    id: 7,
    client_id: 3,
    sales_contact_id: 2,
    total_amount: "1500.50",
    amount_due: "0.05",
    created_at: "2027-06-04T16:00:00.000Z",
    signed_status: true,
    display: { client_name: "Kate", sales_contact_name: "Sam Seller" },
  });
  const { client_name: _c, sales_contact_name: _s, ...plain } = row;
  assert.equal("display" in toRecord(contractRecord, plain), false);
  assert.equal(contractRecord.safeParse(toRecord(contractRecord, row)).success, true, "the record matches its schema");
  assert.equal(columnsOf(contractRecord, "k").includes("k.total_amount_cents"), true);
});

Deno.test("every field of every record has a label and a description; every column a view shows exists", () => {
  for (const record of [userRecord, clientRecord, contractRecord, eventRecord, auditRecord]) {
    const { noun, list, more } = recordMetaOf(record);
    const names = [...Object.keys(record.shape).filter((n) => n !== "display"), ...displayNamesOf(record)];
    for (const name of Object.keys(record.shape).filter((n) => n !== "display")) {
      const field = record.shape[name as keyof typeof record.shape];
      assert.ok(fieldMetaOf(field)?.label, `${noun}.${name}: a label`);
      assert.ok(field.description, `${noun}.${name}: a description`);
    }
    for (const column of [...list, ...more]) assert.ok(names.includes(column), `${noun}: no field ${column}`);
  }
  // The CLI's columns are the contract's labels, in the contract's order.
  assert.deepEqual(columns(CLIENT, "list").map((c) => c.title), [
    "ID",
    "NAME",
    "COMPANY",
    "EMAIL",
    "PHONE",
    "SALES CONTACT",
  ]);
  assert.deepEqual(
    CONTRACT.fields.filter((f) => f.input).map((f) => f.input!.flag),
    ["--client", "--total", "--due", "--sales-contact-id", "--signed-status"],
  );
});
