/**
 * The one error line every command prints on stderr (`printError`): JSON
 * with `--json`, `error: …` otherwise. Lists and records print through
 * `print.ts` and `record.ts`, tested beside them and in streaming_test.ts.
 * @module
 */
import assert from "node:assert/strict";
import { printError } from "../../src/cli/output/errors.ts";
import {
  AppError,
  ConflictError,
  InvalidInputError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
} from "../../src/domain/errors.ts";
import { testIo as fakeIo } from "../support/io.ts";

Deno.test("--json errors: one line on stderr, {error: {code, message, field}}", () => {
  const io = fakeIo();
  printError(io, { json: true }, new InvalidInputError("email: not a valid address\nsee --help", "email"));
  assert.equal(io.stdout, "");
  assert.ok(io.stderr.endsWith("\n"));
  assert.equal(io.stderr.trimEnd().split("\n").length, 1, "one line");
  assert.deepEqual(JSON.parse(io.stderr), {
    error: { code: "invalid_input", message: "email: not a valid address\nsee --help", field: "email" },
  });

  const noField = fakeIo();
  printError(noField, { json: true }, new NotFoundError("client", 42));
  assert.deepEqual(JSON.parse(noField.stderr), { error: { code: "not_found", message: "client 42 not found." } });
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
    assert.equal(io.stdout, "");
    assert.match(io.stderr, /^error: [^\n]+\n$/, JSON.stringify(io.stderr));
  }
});
