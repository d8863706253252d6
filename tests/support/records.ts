/**
 * Records as the port returns them, for tests of commands against a fake port.
 * @module
 */
import type { AuditRecord, ClientRecord, ContractRecord, EventRecord, Me, UserRecord } from "../../src/port/crm.ts";

/** A logged-in collaborator of `role`. */
export function me(role: Me["role"], id = 1): Me {
  return {
    id,
    email: `${role.toLowerCase()}@epic.test`,
    first_name: "Ada",
    last_name: "Lovelace",
    role,
    expires_at: "2027-01-02T00:00:00.000Z",
  };
}

/** A collaborator. */
export function user(fields: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 2,
    first_name: "Sam",
    last_name: "Seller",
    email: "sam@epic.test",
    phone: null,
    role: "SALES",
    created_at: "2027-06-04T16:00:00.000Z",
    updated_at: "2027-06-04T16:00:00.000Z",
    ...fields,
  };
}

/** A client of Sam Seller. */
export function client(fields: Partial<ClientRecord> = {}): ClientRecord {
  return {
    id: 3,
    full_name: "Kate Hastroff",
    email: "kate@startup.io",
    phone: "+33 6 12 34 56 78",
    company_name: "Cool Startup LLC",
    sales_contact_id: 2,
    created_at: "2027-06-04T16:00:00.000Z",
    last_updated: "2027-06-04T16:00:00.000Z",
    display: { sales_contact_name: "Sam Seller" },
    ...fields,
  };
}

/** A contract of Kate's. */
export function contract(fields: Partial<ContractRecord> = {}): ContractRecord {
  return {
    id: 7,
    client_id: 3,
    sales_contact_id: 2,
    total_amount: "12500.50",
    amount_due: "1500.00",
    created_at: "2027-06-04T16:00:00.000Z",
    signed_status: false,
    display: { client_name: "Kate Hastroff", sales_contact_name: "Sam Seller" },
    ...fields,
  };
}

/** An event of contract 7. */
export function event(fields: Partial<EventRecord> = {}): EventRecord {
  return {
    id: 12,
    name: "Launch party",
    contract_id: 7,
    client_id: 3,
    client_contact: "Kate, +33 6 12 34 56 78",
    start_date: "2027-06-04T16:00:00.000Z",
    end_date: "2027-06-05T00:00:00.000Z",
    support_contact_id: null,
    location: "Paris",
    attendees: 75,
    notes: null,
    display: { client_name: "Kate Hastroff", support_contact_name: null },
    ...fields,
  };
}

/** An audit entry of a contract update. */
export function auditEntry(fields: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: 40,
    occurred_at: "2027-06-04T16:00:00.000Z",
    actor_id: 2,
    action: "contract.updated",
    entity: "contract",
    entity_id: 7,
    changes: { total_amount: { old: "1000.00", new: "1500.50" } },
    ...fields,
  };
}
