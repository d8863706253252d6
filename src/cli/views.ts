/**
 * How clients, contracts, events and audit entries look: the JSON shapes of
 * PRODUCT.md §1 and the human columns of tables.
 * @module
 */
import { formatMoney, formatMoneyHuman } from "../domain/money.ts";
import { formatDateHuman } from "../domain/dates.ts";
import type { Client } from "../services/clients.ts";
import type { Contract } from "../services/contracts.ts";
import type { Event } from "../services/events.ts";
import type { AuditEntry } from "../services/audit.ts";
import type { Column } from "./output.ts";

/** A client's JSON shape. */
export function clientJson(c: Client) {
  return {
    id: c.id,
    full_name: c.full_name,
    email: c.email,
    phone: c.phone,
    company_name: c.company_name,
    sales_contact_id: c.sales_contact_id,
    created_at: c.created_at,
    last_updated: c.last_updated,
  };
}

/** A contract's JSON shape (money as "1500.00" strings). */
export function contractJson(c: Contract) {
  return {
    id: c.id,
    client_id: c.client_id,
    sales_contact_id: c.sales_contact_id,
    total_amount: formatMoney(c.total_amount_cents),
    amount_due: formatMoney(c.amount_due_cents),
    created_at: c.created_at,
    signed_status: c.signed_status,
  };
}

/** An event's JSON shape. */
export function eventJson(e: Event) {
  return {
    id: e.id,
    name: e.name,
    contract_id: e.contract_id,
    client_id: e.client_id,
    client_contact: e.client_contact,
    start_date: e.start_date,
    end_date: e.end_date,
    support_contact_id: e.support_contact_id,
    location: e.location,
    attendees: e.attendees,
    notes: e.notes,
  };
}

/** Client columns. */
export const CLIENT_COLUMNS: readonly Column<Client>[] = [
  { header: "ID", value: (c) => c.id },
  { header: "NAME", value: (c) => c.full_name },
  { header: "COMPANY", value: (c) => c.company_name },
  { header: "EMAIL", value: (c) => c.email },
  { header: "PHONE", value: (c) => c.phone },
  { header: "SALES CONTACT", value: (c) => c.sales_contact_name },
];

/** Client detail rows. */
export const CLIENT_DETAIL: readonly Column<Client>[] = [
  ...CLIENT_COLUMNS,
  { header: "SALES CONTACT ID", value: (c) => c.sales_contact_id },
  { header: "CREATED AT", value: (c) => c.created_at },
  { header: "LAST UPDATED", value: (c) => c.last_updated },
];

/** Contract columns (tz: the zone for dates). */
export function contractColumns(tz?: string): Column<Contract>[] {
  return [
    { header: "ID", value: (c) => c.id },
    { header: "CLIENT", value: (c) => c.client_name },
    { header: "SALES CONTACT", value: (c) => c.sales_contact_name },
    { header: "TOTAL", value: (c) => formatMoneyHuman(c.total_amount_cents) },
    { header: "DUE", value: (c) => formatMoneyHuman(c.amount_due_cents) },
    { header: "SIGNED", value: (c) => (c.signed_status ? "yes" : "no") },
    { header: "CREATED", value: (c) => formatDateHuman(c.created_at, tz) },
  ];
}

/** Contract columns when piped: exact values, machine-friendly. */
export const CONTRACT_TSV: readonly Column<Contract>[] = [
  { header: "ID", value: (c) => c.id },
  { header: "CLIENT", value: (c) => c.client_name },
  { header: "SALES CONTACT", value: (c) => c.sales_contact_name },
  { header: "TOTAL", value: (c) => formatMoney(c.total_amount_cents) },
  { header: "DUE", value: (c) => formatMoney(c.amount_due_cents) },
  { header: "SIGNED", value: (c) => c.signed_status },
  { header: "CREATED", value: (c) => c.created_at },
];

/** Event columns (tz: the zone for dates). */
export function eventColumns(tz?: string): Column<Event>[] {
  return [
    { header: "ID", value: (e) => e.id },
    { header: "NAME", value: (e) => e.name },
    { header: "CLIENT", value: (e) => e.client_name },
    { header: "CONTRACT", value: (e) => e.contract_id },
    { header: "START", value: (e) => formatDateHuman(e.start_date, tz) },
    { header: "END", value: (e) => formatDateHuman(e.end_date, tz) },
    { header: "SUPPORT", value: (e) => e.support_contact_name ?? "(unassigned)" },
    { header: "LOCATION", value: (e) => e.location },
    { header: "ATTENDEES", value: (e) => e.attendees },
  ];
}

/** Event columns when piped. */
export const EVENT_TSV: readonly Column<Event>[] = [
  { header: "ID", value: (e) => e.id },
  { header: "NAME", value: (e) => e.name },
  { header: "CLIENT", value: (e) => e.client_name },
  { header: "CONTRACT", value: (e) => e.contract_id },
  { header: "START", value: (e) => e.start_date },
  { header: "END", value: (e) => e.end_date },
  { header: "SUPPORT", value: (e) => e.support_contact_name ?? "" },
  { header: "LOCATION", value: (e) => e.location },
  { header: "ATTENDEES", value: (e) => e.attendees },
];

/** Extra event detail rows. */
export const EVENT_EXTRA: readonly Column<Event>[] = [
  { header: "CLIENT CONTACT", value: (e) => e.client_contact },
  { header: "SUPPORT CONTACT ID", value: (e) => e.support_contact_id },
  { header: "NOTES", value: (e) => e.notes },
];

/** Audit columns. */
export const AUDIT_COLUMNS: readonly Column<AuditEntry>[] = [
  { header: "ID", value: (a) => a.id },
  { header: "AT", value: (a) => a.occurred_at },
  { header: "ACTOR", value: (a) => a.actor_id },
  { header: "ACTION", value: (a) => a.action },
  { header: "ENTITY", value: (a) => a.entity },
  { header: "ENTITY ID", value: (a) => a.entity_id },
  { header: "CHANGES", value: (a) => (a.changes ? JSON.stringify(a.changes) : "") },
];
