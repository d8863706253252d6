/**
 * Errors said in the reader's language: an {@link AppError} carries the key
 * and values of its message (`src/domain/messages.ts`); here it becomes text
 * in the language in use (the CLI) or in a request's language (the server).
 * An error whose text came ready-made (a server's answer, already in the
 * language asked for) is shown as it is.
 * @module
 */
import type { AppError } from "../domain/errors.ts";
import { english, isMessage, type Message, type MessageValues } from "../domain/messages.ts";
import type { Lang } from "../domain/lang.ts";
import { currentLanguage, tIn } from "./mod.ts";

/** The values of `values` with every nested message rendered in `lang`. */
function renderValues(lang: Lang, values: MessageValues | undefined): Record<string, string | number> | undefined {
  if (values === undefined) return undefined;
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    out[name] = isMessage(value) ? messageText(value, lang) : typeof value === "number" ? value : String(value);
  }
  return out;
}

/**
 * `message` in `lang` (default: the language in use); its English text when
 * that language's catalog is not loaded (the language's own refusal, `--lang
 * xx`, is said before any catalog is).
 */
export function messageText(message: Message | string, lang: Lang = currentLanguage()): string {
  if (typeof message === "string") return message;
  const text = tIn(lang, message.key, renderValues(lang, message.values));
  return text === message.key ? english(message) : text;
}

/** What `error` says, in `lang` (default: the language in use). */
export function errorText(error: AppError, lang: Lang = currentLanguage()): string {
  if (error.key === undefined) return error.message;
  return error.reworded(messageText(error.text, lang));
}
