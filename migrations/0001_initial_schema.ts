/** Users, clients, contracts and events (PRODUCT.md §1). */
import type { Migration } from "../src/db/migration.ts";

const migration: Migration = {
  version: "0001",
  name: "initial_schema",
  up: (_dialect, t) => [
    `CREATE TABLE users (
  id ${t.id},
  first_name VARCHAR(50) NOT NULL CHECK (length(first_name) BETWEEN 1 AND 50),
  last_name VARCHAR(50) NOT NULL CHECK (length(last_name) BETWEEN 1 AND 50),
  email VARCHAR(100) NOT NULL CHECK (length(email) BETWEEN 3 AND 100),
  phone VARCHAR(20) CHECK (phone IS NULL OR length(phone) BETWEEN 5 AND 20),
  password_hash VARCHAR(100) NOT NULL,
  role VARCHAR(10) NOT NULL CHECK (role IN ('MANAGEMENT', 'SALES', 'SUPPORT')),
  created_at ${t.timestamp} NOT NULL,
  updated_at ${t.timestamp} NOT NULL
)`,
    "CREATE UNIQUE INDEX users_email_unique ON users (lower(email))",
    "CREATE INDEX users_role_idx ON users (role)",
    `CREATE TABLE clients (
  id ${t.id},
  full_name VARCHAR(100) NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
  email VARCHAR(100) NOT NULL CHECK (length(email) BETWEEN 3 AND 100),
  phone VARCHAR(20) NOT NULL CHECK (length(phone) BETWEEN 5 AND 20),
  company_name VARCHAR(100) NOT NULL CHECK (length(company_name) BETWEEN 1 AND 100),
  sales_contact_id INTEGER NOT NULL REFERENCES users (id),
  created_at ${t.timestamp} NOT NULL,
  last_updated ${t.timestamp} NOT NULL
)`,
    "CREATE UNIQUE INDEX clients_email_unique ON clients (lower(email))",
    "CREATE INDEX clients_sales_contact_idx ON clients (sales_contact_id)",
    `CREATE TABLE contracts (
  id ${t.id},
  client_id INTEGER NOT NULL REFERENCES clients (id),
  sales_contact_id INTEGER NOT NULL REFERENCES users (id),
  total_amount_cents ${t.cents} NOT NULL CHECK (total_amount_cents >= 0),
  amount_due_cents ${t.cents} NOT NULL
    CHECK (amount_due_cents >= 0 AND amount_due_cents <= total_amount_cents),
  created_at ${t.timestamp} NOT NULL,
  signed_status ${t.boolean("signed_status")},
  UNIQUE (id, client_id)
)`,
    "CREATE INDEX contracts_client_idx ON contracts (client_id)",
    "CREATE INDEX contracts_sales_contact_idx ON contracts (sales_contact_id)",
    "CREATE INDEX contracts_unsigned_idx ON contracts (id) WHERE signed_status = FALSE",
    "CREATE INDEX contracts_unpaid_idx ON contracts (id) WHERE amount_due_cents > 0",
    `CREATE TABLE events (
  id ${t.id},
  name VARCHAR(100) NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  contract_id INTEGER NOT NULL,
  client_id INTEGER NOT NULL REFERENCES clients (id),
  client_contact VARCHAR(100) NOT NULL CHECK (length(client_contact) BETWEEN 1 AND 100),
  start_date ${t.timestamp} NOT NULL,
  end_date ${t.timestamp} NOT NULL,
  support_contact_id INTEGER REFERENCES users (id),
  location VARCHAR(200) NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
  attendees INTEGER NOT NULL CHECK (attendees >= 0),
  notes TEXT,
  CHECK (end_date > start_date),
  FOREIGN KEY (contract_id, client_id) REFERENCES contracts (id, client_id)
)`,
    "CREATE INDEX events_contract_idx ON events (contract_id)",
    "CREATE INDEX events_client_idx ON events (client_id)",
    "CREATE INDEX events_support_contact_idx ON events (support_contact_id)",
    "CREATE INDEX events_unassigned_idx ON events (id) WHERE support_contact_id IS NULL",
    "CREATE INDEX events_start_date_idx ON events (start_date)",
    "CREATE INDEX events_end_date_idx ON events (end_date)",
  ],
  down: () => [
    "DROP TABLE events",
    "DROP TABLE contracts",
    "DROP TABLE clients",
    "DROP TABLE users",
  ],
};

export default migration;
