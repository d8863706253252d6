/**
 * The one error line every command prints on stderr (`printError`): JSON
 * with `--json`, `error: …` otherwise. Lists and records print through
 * `print.ts` and `record.ts`, tested beside them and in streaming_test.ts.
 * @module
 */
import assert from "node:assert/strict";
import type { Io } from "../../src/cli/io.ts";
import { printError } from "../../src/cli/output.ts";
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
