/**
 * Reports and calendars (issue 19):
 *
 * - `contracts.signed_at`: when the contract was (last) signed, the instant
 *   `report revenue` files it under. Set by the services when a contract is
 *   signed and cleared when it is unsigned; null while unsigned. Existing
 *   signed contracts get the instant of their last `contract.signed` audit
 *   entry, or, without one (data older than the audit trail, seeded or
 *   loaded in bulk), their creation instant — the earliest they can have
 *   been signed.
 * - `events.updated_at`: when the event's own fields last changed (its
 *   calendar entry's `LAST-MODIFIED`). Set by the services on create,
 *   update and assign. Existing events get the instant of their last audit
 *   entry, or, without one, the instant of this migration.
 * - `calendar_feeds`: one private calendar feed key per collaborator, kept
 *   only as its SHA-256 (the key itself is shown once); deleted with the
 *   collaborator.
 * - Indexes for the reports' aggregates (docs/performance.md, "Reports").
 * @module
 */
import type { Migration } from "../src/db/migration.ts";

/** The instant a statement runs, as each dialect stores a timestamp. */
const NOW = {
  sqlite: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
  postgres: "now()",
} as const;

/**
 * Indexes the reports read alone (covering: the figures come from the index,
 * never from the table's rows): name, table, columns. The two events
 * indexes replace the single-column ones of migration 0001 (same names,
 * same leading column, so nothing that used those loses them).
 */
const INDEXES: readonly [string, string, string][] = [
  // pipeline: every contract by owner and state. The state's columns come
  // last, after the amounts: a list filtered by owner and state (`contract
  // list --mine --unsigned --unpaid`) would otherwise take this index for
  // its three conditions and sort every match, instead of reading its
  // `(client_sales_contact_id, id)` index in id order.
  [
    "contracts_pipeline_idx",
    "contracts",
    "client_sales_contact_id, total_amount_cents, amount_due_cents, signed_status",
  ],
  // revenue: the contracts signed in a range of months.
  ["contracts_signed_at_idx", "contracts", "signed_at, total_amount_cents, amount_due_cents"],
  // events: the events starting in a range of months.
  ["events_start_date_idx", "events", "start_date, attendees, end_date, support_contact_id"],
  // workload: the events not ended yet.
  ["events_end_date_idx", "events", "end_date, start_date, support_contact_id, attendees"],
];

/** The indexes of migration 0001 that {@link INDEXES} replace: name, table, columns. */
const REPLACED: readonly [string, string, string][] = [
  ["events_start_date_idx", "events", "start_date"],
  ["events_end_date_idx", "events", "end_date"],
];

const migration: Migration = {
  version: "0007",
  name: "reports_calendar",
  up: (dialect, t) => [
    `ALTER TABLE contracts ADD COLUMN signed_at ${t.timestamp}`,
    `UPDATE contracts SET signed_at = COALESCE(
  (SELECT max(a.occurred_at) FROM audit_log a
   WHERE a.entity = 'contract' AND a.entity_id = contracts.id AND a.action = 'contract.signed'),
  created_at)
WHERE signed_status`,
    `ALTER TABLE events ADD COLUMN updated_at ${t.timestamp}`,
    `UPDATE events SET updated_at = COALESCE(
  (SELECT max(a.occurred_at) FROM audit_log a WHERE a.entity = 'event' AND a.entity_id = events.id),
  ${NOW[dialect]})`,
    `CREATE TABLE calendar_feeds (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  key_hash VARCHAR(64) NOT NULL CHECK (length(key_hash) = 64),
  created_at ${t.timestamp} NOT NULL
)`,
    "CREATE UNIQUE INDEX calendar_feeds_key_idx ON calendar_feeds (key_hash)",
    ...REPLACED.map(([name]) => `DROP INDEX ${name}`),
    ...INDEXES.map(([name, table, columns]) => `CREATE INDEX ${name} ON ${table} (${columns})`),
    ...(dialect === "postgres" ? ["ANALYZE contracts, events"] : []),
  ],
  down: () => [
    ...INDEXES.map(([name]) => `DROP INDEX ${name}`),
    ...REPLACED.map(([name, table, columns]) => `CREATE INDEX ${name} ON ${table} (${columns})`),
    "DROP TABLE calendar_feeds",
    "ALTER TABLE events DROP COLUMN updated_at",
    "ALTER TABLE contracts DROP COLUMN signed_at",
  ],
};

export default migration;
