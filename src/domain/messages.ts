/**
 * Error messages as data: an {@link AppError} carries a {@link Message} (a
 * key of the `errors.*` catalog and the values of its placeholders), and the
 * edge that shows it renders it in the reader's language (the CLI with `t`,
 * the server with `tIn` and the request's `Accept-Language`).
 *
 * The English `errors.*` messages live here, in the domain, and the English
 * catalog of `src/i18n` re-exports them: every error is built and read long
 * before (or without) any catalog being loaded — in the services' tests, in
 * logs and Sentry (which stay English), and for the language choice's own
 * error — so its English text (`error.message`) is rendered at once, by
 * {@link english}, from this table. `src/i18n` imports the domain, never the
 * other way round (tools/check_layers.ts).
 * @module
 */
import { ERROR_MESSAGES } from "./error_messages.ts";

export { ERROR_MESSAGES } from "./error_messages.ts";

/** The plural forms a message may have (CLDR categories). */
export type PluralSuffix = "_zero" | "_one" | "_two" | "_few" | "_many" | "_other";

/** A key of the `errors.*` catalog, without its plural suffix. */
export type ErrorKey = keyof typeof ERROR_MESSAGES extends infer K ? K extends `${infer Base}${PluralSuffix}` ? Base : K
  : never;

/** A value of a placeholder: text, a number, or another message (rendered in the same language). */
export type MessageValue = string | number | bigint | boolean | null | undefined | Message;

/** The values of a message's placeholders (`count` also picks the plural form). */
export type MessageValues = Readonly<Record<string, MessageValue>>;

/** A message people read: a key of the `errors.*` catalog and its values. */
export interface Message {
  /** The key in the `errors.*` catalog (`errors.not_found.client`). */
  readonly key: ErrorKey;
  /** The values of its placeholders (`{ id: 12 }`). */
  readonly values?: MessageValues;
}

/** The message `key` with `values`. */
export function msg(key: ErrorKey, values?: MessageValues): Message {
  return values === undefined ? { key } : { key, values };
}

/** Whether `value` is a {@link Message}. */
export function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && typeof (value as { key?: unknown }).key === "string";
}

// Made on first use: building the plural rules loads ICU data, which `--help` never needs.
let englishPlurals: Intl.PluralRules | undefined;
const TABLE: Readonly<Record<string, string>> = ERROR_MESSAGES;

/**
 * The English text of `message`, as i18next renders the English catalog:
 * `key_one`/`key_other` by the CLDR rule of `count` when the key has plural
 * forms, `{name}` filled from the values (nested messages first).
 */
export function english(message: Message): string {
  const values = message.values ?? {};
  const count = values.count;
  const plural = count === undefined
    ? undefined
    : TABLE[`${message.key}_${(englishPlurals ??= new Intl.PluralRules("en")).select(Number(count))}`];
  const template = plural ?? TABLE[message.key] ?? message.key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in values)) return whole;
    const value = values[name];
    return isMessage(value) ? english(value) : String(value);
  });
}

/**
 * A zod issue's message carrying a {@link Message}: zod messages are strings,
 * so the key and values travel encoded, and `parseInput` decodes them with
 * {@link reasonOf}.
 */
export function reason(key: ErrorKey, values?: MessageValues): string {
  return REASON_MARK + JSON.stringify(msg(key, values));
}

const REASON_MARK = "\u0000msg:";

/** The {@link Message} a zod issue's message carries; a message of zod's own is kept as it is (English). */
export function reasonOf(text: string): Message | string {
  if (!text.startsWith(REASON_MARK)) return text;
  try {
    const parsed = JSON.parse(text.slice(REASON_MARK.length));
    if (isMessage(parsed)) return parsed;
  } catch {
    // Not ours after all.
  }
  return text;
}
