/**
 * The first page of every list costs the page, not the table (issue 10):
 *
 * - every filter of a list has an index that gives its rows in id order
 *   (`(filter, id)`; SQLite adds the rowid to every index by itself, but
 *   PostgreSQL needs it spelled out), so `… ORDER BY id LIMIT n` reads n rows;
 * - `client_sales_contact_id` on contracts and events: the client's sales
 *   contact, kept equal to `clients.sales_contact_id` by triggers (on insert,
 *   and when a client changes hands), so "the contracts/events of my clients"
 *   is one index range instead of a join over every client;
 * - `id_days`: which blocks of 1024 ids hold an event ending (an audit entry
 *   written) on which UTC day, kept by triggers and only ever added to. The
 *   smallest block with a day on or after today bounds the ids from below, so
 *   `--upcoming` and `--since` start reading near the first matching row
 *   instead of skipping every past one;
 * - client search: on SQLite an FTS5 trigram table over the three searched
 *   columns (kept by triggers); on PostgreSQL a pg_trgm GIN index, which
 *   serves the regular expressions of the search. Creating the pg_trgm
 *   extension needs a privileged role on some servers: without it the
 *   migration goes on without the index (a notice says so) and searches read
 *   every client, as before.
 *
 * Down drops what up made and restores the previous indexes; it leaves the
 * pg_trgm extension installed (other schemas may use it).
 */
import type { Migration } from "../src/db/migration.ts";

/** Indexes replaced by `(…, id)` versions: name, table, old columns. */
const REPLACED: readonly [string, string, string][] = [
  ["users_role_idx", "users", "role"],
  ["clients_sales_contact_idx", "clients", "sales_contact_id"],
  ["contracts_client_idx", "contracts", "client_id"],
  ["events_contract_idx", "events", "contract_id"],
  ["events_support_contact_idx", "events", "support_contact_id"],
  ["audit_log_entity_idx", "audit_log", "entity, entity_id"],
  ["audit_log_actor_idx", "audit_log", "actor_id"],
];

const NEW_INDEXES = [
  "CREATE INDEX contracts_client_sales_contact_idx ON contracts (client_sales_contact_id, id)",
  "CREATE INDEX events_client_sales_contact_idx ON events (client_sales_contact_id, id)",
  "CREATE INDEX audit_log_entity_order_idx ON audit_log (entity, id)",
];

const SQLITE_UP = [
  // The client's sales contact, on every insert and whenever it differs.
  ...["contracts", "events"].flatMap((table) => {
    const owner = "(SELECT sales_contact_id FROM clients WHERE id = new.client_id)";
    const body = `BEGIN UPDATE ${table} SET client_sales_contact_id = ${owner} WHERE id = new.id; END`;
    return [
      `CREATE TRIGGER ${table}_owner_insert AFTER INSERT ON ${table}
WHEN new.client_sales_contact_id IS NOT ${owner} ${body}`,
      `CREATE TRIGGER ${table}_owner_update AFTER UPDATE OF client_id, client_sales_contact_id ON ${table}
WHEN new.client_sales_contact_id IS NOT ${owner} ${body}`,
    ];
  }),
  `CREATE TRIGGER clients_owner_moved AFTER UPDATE OF sales_contact_id ON clients
WHEN new.sales_contact_id IS NOT old.sales_contact_id
BEGIN
  UPDATE contracts SET client_sales_contact_id = new.sales_contact_id WHERE client_id = new.id;
  UPDATE events SET client_sales_contact_id = new.sales_contact_id WHERE client_id = new.id;
END`,
  // id_days.
  ...[["events", "end_date", "AFTER INSERT"], ["events", "end_date", "AFTER UPDATE OF end_date"], [
    "audit_log",
    "occurred_at",
    "AFTER INSERT",
  ]].map(([table, column, when]) =>
    `CREATE TRIGGER ${table}_${when.includes("UPDATE") ? "update" : "insert"}_id_days ${when} ON ${table}
BEGIN
  INSERT INTO id_days (source, day, block) VALUES ('${table}.${column}', substr(new.${column}, 1, 10), new.id / 1024)
  ON CONFLICT DO NOTHING;
END`
  ),
  "INSERT INTO id_days (source, day, block) SELECT DISTINCT 'events.end_date', substr(end_date, 1, 10), id / 1024 FROM events",
  `INSERT INTO id_days (source, day, block)
SELECT DISTINCT 'audit_log.occurred_at', substr(occurred_at, 1, 10), id / 1024 FROM audit_log`,
  // Client search: a trigram index of the searched columns, its rowid the client's id.
  `CREATE VIRTUAL TABLE clients_search USING fts5(full_name, email, company_name, content = 'clients',
  content_rowid = 'id', tokenize = 'trigram case_sensitive 0 remove_diacritics 0', columnsize = 0)`,
  `CREATE TRIGGER clients_search_insert AFTER INSERT ON clients
BEGIN
  INSERT INTO clients_search (rowid, full_name, email, company_name)
  VALUES (new.id, new.full_name, new.email, new.company_name);
END`,
  `CREATE TRIGGER clients_search_delete AFTER DELETE ON clients
BEGIN
  INSERT INTO clients_search (clients_search, rowid, full_name, email, company_name)
  VALUES ('delete', old.id, old.full_name, old.email, old.company_name);
END`,
  `CREATE TRIGGER clients_search_update AFTER UPDATE OF full_name, email, company_name ON clients
BEGIN
  INSERT INTO clients_search (clients_search, rowid, full_name, email, company_name)
  VALUES ('delete', old.id, old.full_name, old.email, old.company_name);
  INSERT INTO clients_search (rowid, full_name, email, company_name)
  VALUES (new.id, new.full_name, new.email, new.company_name);
END`,
  "INSERT INTO clients_search (clients_search) VALUES ('rebuild')",
];

const SQLITE_DOWN = [
  "DROP TRIGGER clients_search_update",
  "DROP TRIGGER clients_search_delete",
  "DROP TRIGGER clients_search_insert",
  "DROP TABLE clients_search",
  "DROP TRIGGER audit_log_insert_id_days",
  "DROP TRIGGER events_update_id_days",
  "DROP TRIGGER events_insert_id_days",
  "DROP TRIGGER clients_owner_moved",
  "DROP TRIGGER events_owner_update",
  "DROP TRIGGER events_owner_insert",
  "DROP TRIGGER contracts_owner_update",
  "DROP TRIGGER contracts_owner_insert",
];

/** PL/pgSQL: one function per kind of trigger. */
const POSTGRES_UP = [
  // The client's sales contact: set after each insert statement, for all its
  // rows at once, looking each client up by its key (a multi-row insert that
  // gives it right, like the seed's, changes nothing); the rows to correct are
  // joined as an array, so that the update reads them by id whatever the
  // size of the table. And before each update of the columns it depends on.
  ...["contracts", "events"].flatMap((table) => [
    `CREATE FUNCTION ${table}_set_owners() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids INTEGER[];
  owners INTEGER[];
BEGIN
  SELECT array_agg(d.id), array_agg(d.owner) INTO ids, owners
  FROM (SELECT n.id, n.client_sales_contact_id AS given,
          (SELECT c.sales_contact_id FROM clients c WHERE c.id = n.client_id) AS owner
        FROM new_rows n) d
  WHERE d.given IS DISTINCT FROM d.owner;
  IF ids IS NOT NULL THEN
    UPDATE ${table} t SET client_sales_contact_id = u.owner FROM unnest(ids, owners) AS u (id, owner)
    WHERE t.id = u.id;
  END IF;
  RETURN NULL;
END $$`,
    `CREATE TRIGGER ${table}_owners AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION ${table}_set_owners()`,
  ]),
  `CREATE FUNCTION set_client_sales_contact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.client_sales_contact_id := (SELECT sales_contact_id FROM clients WHERE id = NEW.client_id);
  RETURN NEW;
END $$`,
  ...["contracts", "events"].map((table) =>
    `CREATE TRIGGER ${table}_owner BEFORE UPDATE OF client_id, client_sales_contact_id ON ${table}
FOR EACH ROW EXECUTE FUNCTION set_client_sales_contact()`
  ),
  `CREATE FUNCTION clients_owner_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE contracts SET client_sales_contact_id = NEW.sales_contact_id WHERE client_id = NEW.id;
  UPDATE events SET client_sales_contact_id = NEW.sales_contact_id WHERE client_id = NEW.id;
  RETURN NULL;
END $$`,
  `CREATE TRIGGER clients_owner_moved AFTER UPDATE OF sales_contact_id ON clients
FOR EACH ROW WHEN (NEW.sales_contact_id IS DISTINCT FROM OLD.sales_contact_id) EXECUTE FUNCTION clients_owner_moved()`,
  // id_days: inserted rows noted once per statement (a statement of thousands
  // of rows notes a few dozen days); ON CONFLICT DO NOTHING neither writes nor
  // locks an entry that exists (it only waits for a concurrent transaction
  // adding the same one).
  ...[["events", "end_date"], ["audit_log", "occurred_at"]].flatMap(([table, column]) => [
    `CREATE FUNCTION ${table}_note_id_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO id_days (source, day, block)
  SELECT DISTINCT '${table}.${column}', to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD'), id / 1024 FROM new_rows
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$`,
    `CREATE TRIGGER ${table}_id_days AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION ${table}_note_id_days()`,
  ]),
  // A moved end date (a column list allows no transition table: one row at a time).
  `CREATE FUNCTION events_note_id_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO id_days (source, day, block)
  VALUES ('events.end_date', to_char(NEW.end_date AT TIME ZONE 'UTC', 'YYYY-MM-DD'), NEW.id / 1024)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$`,
  `CREATE TRIGGER events_id_day_moved AFTER UPDATE OF end_date ON events
FOR EACH ROW EXECUTE FUNCTION events_note_id_day()`,
  `INSERT INTO id_days (source, day, block)
SELECT DISTINCT 'events.end_date', to_char(end_date AT TIME ZONE 'UTC', 'YYYY-MM-DD'), id / 1024 FROM events`,
  `INSERT INTO id_days (source, day, block)
SELECT DISTINCT 'audit_log.occurred_at', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), id / 1024
FROM audit_log`,
  // Client search: pg_trgm where it is (or can be) installed; its operator
  // class is named with the extension's schema, wherever that is.
  `DO $$
DECLARE
  trgm NAME;
BEGIN
  SELECT n.nspname INTO trgm FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'pg_trgm';
  IF trgm IS NULL THEN
    BEGIN
      CREATE EXTENSION pg_trgm SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pg_trgm cannot be installed (%): client search works without its index', SQLERRM;
    END;
    SELECT n.nspname INTO trgm FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
  END IF;
  IF trgm IS NOT NULL THEN
    EXECUTE format('CREATE INDEX clients_search_trgm_idx ON clients USING gin '
      '(full_name %1$I.gin_trgm_ops, email %1$I.gin_trgm_ops, company_name %1$I.gin_trgm_ops)', trgm);
  END IF;
END $$`,
  // Statistics of the new columns and indexes, for the planner's first plans.
  "ANALYZE users, clients, contracts, events, audit_log, id_days",
];

const POSTGRES_DOWN = [
  "DROP INDEX IF EXISTS clients_search_trgm_idx",
  "DROP TRIGGER events_id_day_moved ON events",
  "DROP FUNCTION events_note_id_day()",
  "DROP TRIGGER audit_log_id_days ON audit_log",
  "DROP FUNCTION audit_log_note_id_days()",
  "DROP TRIGGER events_id_days ON events",
  "DROP FUNCTION events_note_id_days()",
  "DROP TRIGGER clients_owner_moved ON clients",
  "DROP FUNCTION clients_owner_moved()",
  "DROP TRIGGER events_owner ON events",
  "DROP TRIGGER contracts_owner ON contracts",
  "DROP FUNCTION set_client_sales_contact()",
  "DROP TRIGGER events_owners ON events",
  "DROP FUNCTION events_set_owners()",
  "DROP TRIGGER contracts_owners ON contracts",
  "DROP FUNCTION contracts_set_owners()",
];

const migration: Migration = {
  version: "0005",
  name: "list_indexes",
  up: (dialect) => [
    ...REPLACED.flatMap(([name, table, columns]) => [
      `DROP INDEX ${name}`,
      `CREATE INDEX ${name} ON ${table} (${columns}, id)`,
    ]),
    ...["contracts", "events"].flatMap((table) => [
      `ALTER TABLE ${table} ADD COLUMN client_sales_contact_id INTEGER`,
      `UPDATE ${table} SET client_sales_contact_id = c.sales_contact_id FROM clients c WHERE c.id = ${table}.client_id`,
    ]),
    ...NEW_INDEXES,
    `CREATE TABLE id_days (
  source VARCHAR(30) NOT NULL,
  day VARCHAR(10) NOT NULL,
  block INTEGER NOT NULL,
  PRIMARY KEY (source, day, block)
)`,
    ...(dialect === "postgres" ? POSTGRES_UP : SQLITE_UP),
  ],
  down: (dialect) => [
    ...(dialect === "postgres" ? POSTGRES_DOWN : SQLITE_DOWN),
    "DROP TABLE id_days",
    ...NEW_INDEXES.map((sql) => `DROP INDEX ${sql.split(" ")[2]}`),
    ...["events", "contracts"].map((table) => `ALTER TABLE ${table} DROP COLUMN client_sales_contact_id`),
    ...REPLACED.flatMap(([name, table, columns]) => [
      `DROP INDEX ${name}`,
      `CREATE INDEX ${name} ON ${table} (${columns})`,
    ]),
  ],
};

export default migration;
