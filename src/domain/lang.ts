/**
 * The language people read: chosen by `--lang`, `EPIC_EVENTS_LANG`, then the
 * POSIX locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
 * Machine output (JSON, CSV, TSV, exit codes) never depends on it.
 * @module
 */
import { InvalidInputError } from "./errors.ts";
import { msg } from "./messages.ts";

/** A language of the human interface. */
export type Lang = "en" | "fr";

/** The languages of the human interface. */
export const LANGS: readonly Lang[] = ["en", "fr"];

/** The language when nothing chooses one. */
export const DEFAULT_LANG: Lang = "en";

/** Whether `value` is a {@link Lang}. */
export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/**
 * The language an explicit choice names (`--lang`, `EPIC_EVENTS_LANG`): `fr`
 * or `en`, any case. Anything else is exit 2 naming `field` and the accepted
 * values.
 */
export function parseLang(value: string, field: string): Lang {
  const lower = value.trim().toLowerCase();
  if (isLang(lower)) return lower;
  throw new InvalidInputError(
    msg("errors.input.field", {
      field,
      reason: msg("errors.reason.one_of_got", { values: LANGS.join(", "), value: JSON.stringify(value) }),
    }),
    field,
  );
}

/**
 * The language of a POSIX locale (`fr`, `fr_FR.UTF-8`, `fr_CA@euro`,
 * `en_US`), or undefined for `C`, `POSIX`, an empty or malformed value, or a
 * language we do not speak — which the caller treats as "not chosen here".
 */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  const match = /^([A-Za-z]{2,3})(?:[_-][A-Za-z0-9]+)?(?:\.[A-Za-z0-9_-]+)?(?:@[A-Za-z0-9_-]+)?$/.exec(locale.trim());
  if (!match) return undefined;
  const language = match[1].toLowerCase();
  return isLang(language) ? language : undefined;
}

/** Where the language may come from. */
export interface LangSources {
  /** The `--lang` flag's value, when given. */
  flag?: string;
  /** The process environment (only the variables named below are read). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The language in use: `--lang` wins, then `EPIC_EVENTS_LANG` (both checked:
 * exit 2 on an unknown value), then the first of `LC_ALL`, `LC_MESSAGES`,
 * `LANG` that is set and not empty — as the C library does, an unknown or
 * malformed locale there means English, silently.
 */
export function resolveLang(sources: LangSources): Lang {
  if (sources.flag !== undefined) return parseLang(sources.flag, "--lang");
  const chosen = sources.env.EPIC_EVENTS_LANG;
  if (chosen !== undefined && chosen !== "") return parseLang(chosen, "EPIC_EVENTS_LANG");
  for (const name of ["LC_ALL", "LC_MESSAGES", "LANG"]) {
    const value = sources.env[name];
    if (value) return langOfLocale(value) ?? DEFAULT_LANG;
  }
  return DEFAULT_LANG;
}

/**
 * The `--lang` value in `argv`, read before the program is built (the help
 * itself is in the chosen language): `--lang fr` or `--lang=fr`, before a
 * lone `--`. A `--lang` with no value is left to the parser (exit 2).
 */
export function langFlagOf(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") break;
    if (arg === "--lang" && i + 1 < argv.length) found = argv[++i];
    else if (arg.startsWith("--lang=")) found = arg.slice("--lang=".length);
  }
  return found;
}

/**
 * The language of an HTTP `Accept-Language` header (`fr-FR,fr;q=0.9,en;q=0.8`):
 * the one of ours with the highest weight, English when none is acceptable.
 */
export function langOfAcceptLanguage(header: string | null | undefined): Lang {
  if (!header) return DEFAULT_LANG;
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(",")) {
    const [tag, ...params] = part.trim().split(";");
    const language = tag.trim().toLowerCase().split("-")[0];
    if (!isLang(language)) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split("=");
      if (key === "q") q = Number(value);
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang: language, q };
  }
  return best?.lang ?? DEFAULT_LANG;
}
