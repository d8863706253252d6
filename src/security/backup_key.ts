/**
 * The key that authenticates backups. Every backup ends with an
 * HMAC-SHA-256 of its contents under a key only the installation holds, so a
 * backup edited by someone without it (a role raised, a row added, the
 * checksum recomputed) is refused.
 *
 * The key is derived with HKDF-SHA-256 (RFC 5869) and a purpose label from
 * the installation's key material: `BACKUP_KEY` when set, otherwise the JWT
 * signing key (`SECRET_KEY`, or the generated `<data dir>/secret.key` of the
 * embedded database). The label makes the backup key independent of the
 * token key: knowing one tells nothing of the other. The same derivation
 * applies to a key given with `--trust-key FILE`, so FILE holds the other
 * installation's `BACKUP_KEY`, or its `SECRET_KEY` when it had none (its
 * `secret.key` file, for example).
 *
 * A {@link BackupKey} never shows its bytes: it is printed, logged and
 * serialised as its id only (a one-way fingerprint that names the key in
 * messages).
 * @module
 */
import { createHmac, hkdfSync, type Hmac } from "node:crypto";
import type { Config } from "../config.ts";
import { InvalidInputError } from "../domain/errors.ts";
import { resolveSecretKey } from "./secret_key.ts";
import { msg } from "../domain/messages.ts";

/** Fewest bytes of key material accepted (as for `SECRET_KEY`). */
export const MIN_BACKUP_KEY_BYTES = 32;

const SALT = "epic-events backup key";
const MAC_LABEL = "epic-events backup authentication v1";
const ID_LABEL = "epic-events backup key id v1";

/** A key that authenticates backups (derived; never the material itself). */
export class BackupKey {
  readonly #mac: Uint8Array;
  /** A fingerprint of the key (16 hex digits), safe to print: it names the key in messages. */
  readonly id: string;

  /**
   * Derives the key from key material (≥ {@link MIN_BACKUP_KEY_BYTES} bytes,
   * checked by the caller), trimmed of white space at both ends as a key
   * file's text is.
   */
  constructor(untrimmed: string) {
    const material = untrimmed.trim();
    this.#mac = new Uint8Array(hkdfSync("sha256", material, SALT, MAC_LABEL, 32));
    this.id = Array.from(new Uint8Array(hkdfSync("sha256", material, SALT, ID_LABEL, 8)))
      .map((byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  /** A new HMAC-SHA-256 under this key. */
  hmac(): Hmac {
    return createHmac("sha256", this.#mac);
  }

  /** Only the id: the key never reaches a log or an output. */
  toJSON(): { id: string } {
    return { id: this.id };
  }

  /** Only the id. */
  toString(): string {
    return `BackupKey(${this.id})`;
  }
}

/**
 * The backup key of this installation: from `BACKUP_KEY` when set, else from
 * the JWT signing key (see {@link resolveSecretKey}: `SECRET_KEY`, required
 * with PostgreSQL, or the generated key file of the embedded database).
 *
 * @throws {InvalidInputError} naming `BACKUP_KEY` with PostgreSQL and neither variable set
 */
export function resolveBackupKey(config: Config): BackupKey {
  if (config.backupKey) return new BackupKey(config.backupKey);
  if (!config.secretKey && config.database.kind === "postgres") {
    throw new InvalidInputError(msg("errors.key.backup_required"), "BACKUP_KEY");
  }
  return new BackupKey(resolveSecretKey(config));
}

/**
 * The key material held in a file's text (`--trust-key FILE`): trimmed of
 * white space at both ends, at least {@link MIN_BACKUP_KEY_BYTES} bytes.
 *
 * @param field the option that gave it, for messages (`trust-key`)
 * @throws {InvalidInputError} naming `field` when it is too short
 */
export function backupKeyFromText(text: string, field: string): BackupKey {
  const material = text.trim();
  if (new TextEncoder().encode(material).length < MIN_BACKUP_KEY_BYTES) {
    throw new InvalidInputError(msg("errors.key.trust_short", { field, min: MIN_BACKUP_KEY_BYTES }), field);
  }
  return new BackupKey(material);
}
