/**
 * Redaction of secrets and escaping of control characters, shared by the log
 * files and the Sentry reporter: nothing that leaves a function of this module
 * carries a password, a hash, a token, a secret key or a database URL password,
 * and nothing written to a log line can forge another line or drive a terminal.
 * @module
 */

/** What a redacted value is replaced with. */
export const REDACTED = "[redacted]";

/** Object keys whose value is always replaced by {@link REDACTED}, whatever it is. */
export const SECRET_KEY_PATTERN = /pass(word)?|hash|token|secret|authorization|cookie|dsn|api[_-]?key|backup[_-]?key/i;

const MAX_DEPTH = 24;

/** `scheme://user:PASSWORD@` — the user is kept, the password goes. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/?#]{0,256}):([^\s@]{0,512})@/gi;
/** Three base64url segments, the first being a JSON header (`{"` → `eyJ`). */
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** A bcrypt hash: `$2a$`, `$2b$`, `$2x$` or `$2y$`, the cost, then 53 characters of salt and digest. */
const BCRYPT = /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g;
/** What is left of a truncated or mangled bcrypt hash (at least the salt). */
const BCRYPT_LOOSE = /\$2[abxy]?\$\d{1,2}\$[./A-Za-z0-9]{22,}/g;
/** `Authorization: Bearer xyz`, `Basic xyz`. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** `SECRET_KEY=...`, `password=...`, `api-key = "..."` (query strings, env dumps, messages). */
const ASSIGNMENT =
  /([\w.-]{0,40}(?:pass(?:word)?|passwd|pwd|hash|token|secret|authorization|cookie|dsn|api[_-]?key|backup[_-]?key|database_url)[\w.-]{0,40})(\s*=\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/gi;
/** `"password": "..."` inside a JSON text embedded in a string. */
const JSON_MEMBER =
  /("[\w.-]{0,40}(?:pass(?:word)?|passwd|pwd|hash|token|secret|authorization|cookie|dsn|api[_-]?key|backup[_-]?key|database_url)[\w.-]{0,40}"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/**
 * What every pattern above needs at least one of (`://`, `eyJ`, `$2`,
 * `Bearer`, `Basic`, a quote, `=`): a text without any has nothing to redact
 * and is returned after one test instead of seven replacements (an access
 * log line's path, a request id).
 */
const MAY_HOLD_SECRET = /:\/\/|eyJ|\$2|Bearer|Basic|"|=/;

/** Redacts the secrets found inside one piece of text. */
export function scrubString(text: string): string {
  if (text.length === 0 || !MAY_HOLD_SECRET.test(text)) return text;
  return text
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(JWT, REDACTED)
    .replace(BCRYPT, REDACTED)
    .replace(BCRYPT_LOOSE, REDACTED)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(JSON_MEMBER, `$1"${REDACTED}"`)
    .replace(ASSIGNMENT, (_all, key: string, eq: string) => `${key}${eq}${REDACTED}`);
}

/**
 * Returns a deep copy of `value` with every secret redacted: the value of any
 * key matching {@link SECRET_KEY_PATTERN} becomes `"[redacted]"`, and every
 * string has its JWTs, bcrypt hashes, URL passwords and `NAME=secret`
 * assignments replaced. Errors become `{ name, message, stack, cause }`
 * objects, cycles become `"[circular]"`; the input is never modified.
 */
export function scrubSecrets(value: unknown): unknown {
  return scrub(value, 0, new WeakSet());
}

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object") {
    if (typeof value === "function") return "[function]";
    if (typeof value === "symbol") return value.toString();
    return value;
  }
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  try {
    if (value instanceof Date) return new Date(value.getTime());
    if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
    if (value instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value) out[String(k)] = scrubEntry(String(k), v, depth, seen);
      return out;
    }
    if (value instanceof Set) return [...value].map((item) => scrub(item, depth + 1, seen));
    const out: Record<string, unknown> = {};
    if (value instanceof Error) {
      out.name = value.name;
      out.message = scrubString(value.message);
      if (value.stack !== undefined) out.stack = scrubString(value.stack);
      if (value.cause !== undefined) out.cause = scrub(value.cause, depth + 1, seen);
    }
    for (const [k, v] of Object.entries(value)) {
      out[k] = scrubEntry(k, v, depth, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function scrubEntry(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (SECRET_KEY_PATTERN.test(key) && value !== undefined && value !== null) return REDACTED;
  return scrub(value, depth + 1, seen);
}

// C0, DEL, C1, line/paragraph separators, bidirectional overrides and isolates:
// matching control characters is the point here.
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The characters {@link escapeControl} escapes, as a character class's contents (for a caller's own class). */
export const CONTROL_CLASS: string = CONTROL.source.slice(1, -1);

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/**
 * Escapes control characters as visible text so that a value can never start
 * a new log line or send a terminal escape sequence: `\n`, `\r`, `\t` become
 * `\n`, `\r`, `\t`; other C0/C1 characters and DEL become `\xHH` (ESC is
 * `\x1b`); U+2028, U+2029 and the bidirectional overrides become `\uXXXX`.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
