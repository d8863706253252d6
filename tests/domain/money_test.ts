import assert from "node:assert/strict";
import { InvalidInputError } from "../../src/domain/errors.ts";
import { formatMoney, formatMoneyHuman, MAX_MONEY_CENTS, parseMoney, tryParseMoney } from "../../src/domain/money.ts";
import { moneySchema } from "../../src/domain/schemas/fields.ts";
import { english, reasonOf } from "../../src/domain/messages.ts";

/** Asserts that `fn` throws an InvalidInputError with this message and field. */
function assertRefused(fn: () => unknown, message: string, field: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${error}`);
    assert.equal(error.message, message);
    assert.equal(error.field, field);
    assert.equal(error.exitCode, 2);
    return true;
  });
}

Deno.test("parseMoney accepts whole amounts, one and two decimals, surrounding spaces", () => {
  assert.equal(parseMoney("1500", "total_amount"), 150000);
  assert.equal(parseMoney("1500.5", "total_amount"), 150050);
  assert.equal(parseMoney("1500.50", "total_amount"), 150050);
  assert.equal(parseMoney(" 1500.50 ", "total_amount"), 150050);
  assert.equal(parseMoney("0", "total_amount"), 0);
  assert.equal(parseMoney("0.05", "total_amount"), 5);
  assert.equal(parseMoney("007.10", "total_amount"), 710);
});

Deno.test("parseMoney is exact where binary floats are not", () => {
  // 0.1 + 0.2 !== 0.3 in floating point; in cents it is exact.
  assert.equal(parseMoney("0.1", "a") + parseMoney("0.2", "a"), parseMoney("0.3", "a"));
  assert.equal(parseMoney("1.15", "a"), 115); // 1.15 * 100 === 114.99999999999999
  assert.equal(parseMoney("4.35", "a"), 435); // 4.35 * 100 === 434.99999999999994
  assert.equal(parseMoney("999999999999.99", "a"), 99_999_999_999_999);
  assert.equal(MAX_MONEY_CENTS, 99_999_999_999_999);
  assert.ok(Number.isSafeInteger(MAX_MONEY_CENTS));
});

Deno.test("parseMoney refuses more than 2 decimals, naming the field", () => {
  assertRefused(
    () => parseMoney("1500.505", "total_amount"),
    "total_amount: at most 2 decimals allowed",
    "total_amount",
  );
  assertRefused(() => parseMoney("0.001", "amount_due"), "amount_due: at most 2 decimals allowed", "amount_due");
});

Deno.test("parseMoney refuses negatives, empty text, exponents, NaN and other shapes", () => {
  assertRefused(() => parseMoney("-1", "total_amount"), "total_amount: must not be negative", "total_amount");
  assertRefused(() => parseMoney("-0.50", "amount_due"), "amount_due: must not be negative", "amount_due");
  assertRefused(() => parseMoney("", "total_amount"), "total_amount: must not be empty", "total_amount");
  assertRefused(() => parseMoney("   ", "total_amount"), "total_amount: must not be empty", "total_amount");
  const shape = "total_amount: must be an amount such as 1500, 1500.5 or 1500.50";
  for (
    const text of [
      "1e3",
      "1E3",
      "NaN",
      "Infinity",
      "abc",
      "1,500.00",
      "1 500",
      "+5",
      ".5",
      "5.",
      "1.2.3",
      "0x10",
      "１２",
    ]
  ) {
    assertRefused(() => parseMoney(text, "total_amount"), shape, "total_amount");
  }
});

Deno.test("parseMoney refuses values above 999 999 999 999.99", () => {
  const message = "total_amount: must be at most 999999999999.99";
  assertRefused(() => parseMoney("1000000000000", "total_amount"), message, "total_amount");
  assertRefused(() => parseMoney("1000000000000.00", "total_amount"), message, "total_amount");
  assertRefused(() => parseMoney("99999999999999999999999", "total_amount"), message, "total_amount");
  assert.equal(parseMoney("000000000999999999999.99", "total_amount"), MAX_MONEY_CENTS);
});

Deno.test("tryParseMoney reports the reason without a field", () => {
  const refused = tryParseMoney("12.345");
  assert.deepEqual(refused.ok ? refused : { ok: false, reason: english(refused.reason) }, {
    ok: false,
    reason: "at most 2 decimals allowed",
  });
  assert.deepEqual(tryParseMoney("12.34"), { ok: true, cents: 1234 });
});

Deno.test("formatMoney prints exact two-decimal strings", () => {
  assert.equal(formatMoney(5), "0.05");
  assert.equal(formatMoney(0), "0.00");
  assert.equal(formatMoney(150000), "1500.00");
  assert.equal(formatMoney(150050), "1500.50");
  assert.equal(formatMoney(MAX_MONEY_CENTS), "999999999999.99");
  assert.equal(formatMoney(-150), "-1.50");
  assert.equal(formatMoney(123456789n), "1234567.89");
  assert.throws(() => formatMoney(1.5), RangeError);
  assert.throws(() => formatMoney(Number.NaN), RangeError);
});

Deno.test("formatMoney round-trips with parseMoney", () => {
  for (const cents of [0, 1, 10, 99, 100, 101, 150050, 123456789, MAX_MONEY_CENTS]) {
    assert.equal(parseMoney(formatMoney(cents), "a"), cents);
  }
});

Deno.test("formatMoneyHuman groups thousands", () => {
  assert.equal(formatMoneyHuman(150000), "1,500.00");
  assert.equal(formatMoneyHuman(99999), "999.99");
  assert.equal(formatMoneyHuman(5), "0.05");
  assert.equal(formatMoneyHuman(100000000), "1,000,000.00");
  assert.equal(formatMoneyHuman(MAX_MONEY_CENTS), "999,999,999,999.99");
  assert.equal(formatMoneyHuman(-123456), "-1,234.56");
});

Deno.test("moneySchema parses strings and numbers to cents without floats", () => {
  assert.equal(moneySchema.parse("1500.5"), 150050);
  assert.equal(moneySchema.parse(1500), 150000);
  assert.equal(moneySchema.parse(1500.5), 150050);
  assert.equal(moneySchema.parse(19.99), 1999);
  assert.equal(moneySchema.parse(-0), 0);
  // The issue's message carries the key of the message (see `reason` in domain/messages.ts): read in English.
  const reason = (value: unknown) => {
    const message = moneySchema.safeParse(value).error?.issues[0].message;
    if (message === undefined) return undefined;
    const why = reasonOf(message);
    return typeof why === "string" ? why : english(why);
  };
  assert.equal(reason(0.1 + 0.2), "at most 2 decimals allowed");
  assert.equal(reason(-1), "must not be negative");
  assert.equal(reason(1e21), "must be an amount such as 1500, 1500.5 or 1500.50");
  assert.equal(reason(Number.NaN), "must be an amount such as 1500, 1500.5 or 1500.50");
  assert.equal(reason(Number.POSITIVE_INFINITY), "must be an amount such as 1500, 1500.5 or 1500.50");
  assert.equal(reason(true), "must be an amount such as 1500, 1500.5 or 1500.50");
  assert.equal(reason(undefined), "is required");
  assert.equal(reason("1500.505"), "at most 2 decimals allowed");
});
