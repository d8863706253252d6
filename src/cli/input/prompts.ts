/**
 * Prompts, only ever shown when stdin is a terminal. `@inquirer/prompts` is
 * imported lazily: it costs start-up time and hangs without a TTY in Deno.
 * @module
 */
import { CancelledError, InvalidInputError } from "../../domain/errors.ts";
import { styleText } from "node:util";
import type { Runtime } from "../app/runtime.ts";
import { t } from "../../i18n/mod.ts";

type Validate = (value: string) => string | true;

/** Ctrl-C at a prompt (inquirer's ExitPromptError) becomes a {@link CancelledError}: "Cancelled.", exit 130. */
async function cancellable<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === "ExitPromptError" || name === "AbortPromptError") throw new CancelledError("SIGINT");
    throw error;
  }
}

function assertInteractive(rt: Runtime, what: string): void {
  if (!rt.interactive) throw new InvalidInputError(t("cli.prompt.no_terminal", { what }));
}

/** Asks for a line of text. */
export async function promptText(
  rt: Runtime,
  message: string,
  options: { validate?: Validate; default?: string } = {},
): Promise<string> {
  assertInteractive(rt, message);
  const { input } = await import("@inquirer/prompts");
  return await cancellable(() => input({ message, default: options.default, validate: options.validate }));
}

/** Asks for a password, masked; `confirm` asks twice and insists they match. */
export async function promptPassword(
  rt: Runtime,
  message: string,
  options: { confirm?: boolean; validate?: Validate } = {},
): Promise<string> {
  assertInteractive(rt, message);
  const { password } = await import("@inquirer/prompts");
  for (;;) {
    const first = await cancellable(() => password({ message, mask: "*", validate: options.validate }));
    if (!options.confirm) return first;
    const second = await cancellable(() => password({ message: t("cli.password.repeat"), mask: "*" }));
    if (first === second) return first;
    rt.io.writeErr(`${t("cli.password.mismatch")}\n`);
  }
}

/** The keys a select prompt's help line names (`↑↓ navigate • ⏎ select`), in the language in use. */
const SELECT_THEME = {
  style: {
    keysHelpTip: (keys: [string, string][]) =>
      keys.map(([key, action]) => `${styleText("bold", key)} ${styleText("dim", t(`cli.prompt.key.${action}`))}`)
        .join(styleText("dim", " • ")),
  },
};

/** Asks to pick one of `choices`. */
export async function promptSelect<T>(
  rt: Runtime,
  message: string,
  choices: ReadonlyArray<{ name: string; value: T }>,
): Promise<T> {
  assertInteractive(rt, message);
  const { select } = await import("@inquirer/prompts");
  return await cancellable(() =>
    select<T>({ message, choices: choices.map((c) => ({ name: c.name, value: c.value })), theme: SELECT_THEME })
  );
}

/** Asks yes/no (default no). */
export async function promptConfirm(rt: Runtime, message: string): Promise<boolean> {
  assertInteractive(rt, message);
  const { confirm } = await import("@inquirer/prompts");
  const keywords = {
    yes: t("cli.prompt.yes"),
    no: t("cli.prompt.no"),
    error: ({ yes, no }: { yes: string; no: string }) => t("cli.prompt.yes_or_no", { yes, no }),
  };
  return await cancellable(() => confirm({ message, default: false, theme: { keywords } }));
}
