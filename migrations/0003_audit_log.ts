/** The audit trail, written in the same transaction as the change it records. */
import type { Migration } from "../src/db/migration.ts";

const migration: Migration = {
  version: "0003",
  name: "audit_log",
  up: (_dialect, t) => [
    `CREATE TABLE audit_log (
  id ${t.id},
  occurred_at ${t.timestamp} NOT NULL,
  actor_id INTEGER,
  action VARCHAR(40) NOT NULL,
  entity VARCHAR(20) NOT NULL,
  entity_id INTEGER,
  changes TEXT
)`,
    "CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id)",
    "CREATE INDEX audit_log_actor_idx ON audit_log (actor_id)",
    "CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at)",
  ],
  down: () => ["DROP TABLE audit_log"],
};

export default migration;
