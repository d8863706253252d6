/** Revoked tokens (logout) and login throttling. */
import type { Migration } from "../src/db/migration.ts";

const migration: Migration = {
  version: "0002",
  name: "auth_sessions",
  up: (_dialect, t) => [
    `CREATE TABLE revoked_tokens (
  jti VARCHAR(64) PRIMARY KEY,
  user_id INTEGER NOT NULL,
  revoked_at ${t.timestamp} NOT NULL,
  expires_at ${t.timestamp} NOT NULL
)`,
    "CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at)",
    `CREATE TABLE login_attempts (
  email VARCHAR(100) PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures >= 0),
  last_failure_at ${t.timestamp} NOT NULL,
  locked_until ${t.timestamp}
)`,
  ],
  down: () => ["DROP TABLE login_attempts", "DROP TABLE revoked_tokens"],
};

export default migration;
