/**
 * Reading a password: from standard input with `--password-stdin`, else a
 * masked prompt on a terminal, else exit 2. Never from a flag's value.
 * @module
 */
import { InvalidInputError } from "../../domain/errors.ts";
import { promptPassword } from "./prompts.ts";
import type { Runtime } from "../app/runtime.ts";
import { t } from "../../i18n/mod.ts";

/** What a password read from stdin or a terminal that is not UTF-8 looks like after decoding. */
const REPLACEMENT_CHARACTER = "\uFFFD";

function notUtf8(source: "stdin" | "terminal"): InvalidInputError {
  return new InvalidInputError(
    t(source === "stdin" ? "cli.password.stdin_not_utf8" : "cli.password.terminal_not_utf8"),
    "password",
  );
}

/**
 * Reads a password: from stdin with `--password-stdin`, else a masked prompt
 * on a terminal (asked twice when `confirm`), else exit 2. A password that is
 * not valid UTF-8 is refused (exit 2), never stored with U+FFFD in its place.
 */
export async function readPassword(
  rt: Runtime,
  options: { fromStdin?: boolean; confirm?: boolean; label?: string; validate?: (value: string) => string | true },
): Promise<string> {
  if (options.fromStdin) {
    let text: string;
    try {
      text = await rt.io.readStdin();
    } catch (error) {
      if (error instanceof InvalidInputError && error.field === "stdin") throw notUtf8("stdin");
      throw error;
    }
    const password = text.replace(/\r?\n$/, "");
    if (password === "") throw new InvalidInputError(t("cli.password.stdin_empty"), "password");
    if (password.includes(REPLACEMENT_CHARACTER)) throw notUtf8("stdin");
    return password;
  }
  if (!rt.interactive) {
    throw new InvalidInputError(t("cli.password.no_terminal"), "password");
  }
  const password = await promptPassword(rt, options.label ?? t("cli.password.prompt"), {
    confirm: options.confirm,
    validate: options.validate,
  });
  // The terminal's bytes were decoded leniently: a bad byte shows up as U+FFFD.
  if (password.includes(REPLACEMENT_CHARACTER)) throw notUtf8("terminal");
  return password;
}
