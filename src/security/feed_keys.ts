/**
 * Private calendar feed keys: 32 random bytes (256 bits) as base64url, 43
 * characters — a bearer secret in a URL, read-only, of one collaborator's
 * events. The database keeps only the key's SHA-256 (hex): a key this random
 * needs no slow hash (nothing to guess), and a copy of the database or of a
 * backup opens no feed.
 * @module
 */

/** Length of a key: 32 bytes in base64url without padding. */
export const FEED_KEY_LENGTH = 43;

const SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new random feed key. */
export function newFeedKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Whether `key` is shaped like a feed key (anything else opens nothing, without a lookup). */
export function isFeedKey(key: string): boolean {
  return SHAPE.test(key);
}

/** The SHA-256 of a key, 64 hex digits: what the database keeps and looks keys up by. */
export async function feedKeyHash(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
