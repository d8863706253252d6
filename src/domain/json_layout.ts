/**
 * How a record looks as an element of a printed JSON array (`--json` of a
 * list: `JSON.stringify(rows, null, 2)`): its keys, each on its own line
 * indented by four spaces, then its closing brace indented by two. Said once
 * for the two that write it: the CLI's JSON writer, key by key, and a
 * database that builds each element's text itself (the PostgreSQL export).
 * @module
 */

/** What `JSON.stringify` escapes in a string: quotes, backslashes, control characters, lone surrogates. */
// deno-lint-ignore no-control-regex
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON: quoted, escaped exactly as `JSON.stringify` does (which it calls when anything needs it). */
export function jsonString(text: string): string {
  return JSON_ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** The text before a key's value in an array's element: `{\n    "key": ` for its first key, `,\n    "key": ` after. */
export function elementKeyPrefix(key: string, first: boolean): string {
  return `${first ? "{" : ","}\n    ${jsonString(key)}: `;
}

/** The text that ends an array's element after its last value. */
export const ELEMENT_END = "\n  }";

/** The text before an array's first element, and between two elements. */
export const ARRAY_START = "[\n  ";
export const ARRAY_SEPARATOR = ",\n  ";
