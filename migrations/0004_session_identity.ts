/**
 * Sessions bound to one database and ended by account changes: a random id of
 * this database (put in every token, so a token of another database, or of
 * this one before `migrate down` and `up`, is refused) and a per-user session
 * epoch (put in every token, moved by a password change, a role change and
 * `logout --all`).
 */
import type { Migration } from "../src/db/migration.ts";

const migration: Migration = {
  version: "0004",
  name: "session_identity",
  up: (dialect, t) => [
    `CREATE TABLE database_identity (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  database_id VARCHAR(64) NOT NULL,
  created_at ${t.timestamp} NOT NULL
)`,
    dialect === "postgres"
      ? `INSERT INTO database_identity (singleton, database_id, created_at)
VALUES (1, replace(gen_random_uuid()::text, '-', ''), now())`
      : `INSERT INTO database_identity (singleton, database_id, created_at)
VALUES (1, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    "ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0",
  ],
  down: () => [
    "ALTER TABLE users DROP COLUMN session_epoch",
    "DROP TABLE database_identity",
  ],
};

export default migration;
