/**
 * The one port between the command line and the use cases: every command
 * reaches the CRM through {@link Crm}, never through the services or the
 * repositories. Today the only adapter is the local one (`local.ts`, which
 * opens the database); a later one speaks the JSON API of `epic-events serve`.
 * So that both adapters fit the same interface:
 *
 * - inputs and outputs are plain, serialisable data (no `Date`, no class, no
 *   function): ids are numbers, money is a `"1500.00"` string, instants are
 *   ISO 8601 strings with `Z`;
 * - a record carries the public JSON shape of PRODUCT.md §1 plus, under
 *   `display`, optional names that tables show and `--json` never prints;
 * - every list is an {@link AsyncIterable} of records, so an adapter may
 *   stream rows from a database cursor or an HTTP body; paging is
 *   `limit`/`offset`, and a caller that wants to know whether more rows exist
 *   asks for one row more than it shows (no count of every row is needed);
 * - a delete takes `dryRun`: every check of the real delete runs (existence,
 *   permission, dependents) and nothing changes, so a terminal can ask for
 *   confirmation only when the delete would succeed.
 * @module
 */
import type { Role } from "../domain/roles.ts";

/** A page of a list: at most `limit` rows after skipping `offset`. */
export interface Paging {
  limit?: number;
  offset?: number;
}

/** Names shown beside ids in tables; never part of the JSON shape. */
export interface DisplayNames {
  /** The client's full name. */
  client_name?: string;
  /** `First Last` of the sales contact. */
  sales_contact_name?: string;
  /** `First Last` of the support contact, or null when unassigned. */
  support_contact_name?: string | null;
}

/** A collaborator (never with a secret). */
export interface UserRecord {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  role: Role;
  created_at: string;
  updated_at: string;
  display?: DisplayNames;
}

/** A client. */
export interface ClientRecord {
  id: number;
  full_name: string;
  email: string;
  phone: string;
  company_name: string;
  sales_contact_id: number;
  created_at: string;
  last_updated: string;
  display?: DisplayNames;
}

/** A contract; amounts are exact decimal strings such as `"1500.00"`. */
export interface ContractRecord {
  id: number;
  client_id: number;
  sales_contact_id: number;
  total_amount: string;
  amount_due: string;
  created_at: string;
  signed_status: boolean;
  display?: DisplayNames;
}

/** An event. */
export interface EventRecord {
  id: number;
  name: string;
  contract_id: number;
  client_id: number;
  client_contact: string;
  start_date: string;
  end_date: string;
  support_contact_id: number | null;
  location: string;
  attendees: number;
  notes: string | null;
  display?: DisplayNames;
}

/** One entry of the audit trail; `changes` are in public units (money as `"1500.00"`). */
export interface AuditRecord {
  id: number;
  occurred_at: string;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  changes: Record<string, unknown> | null;
  display?: DisplayNames;
}

/** Who is logged in, and until when. */
export interface Me {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  expires_at: string;
}

/** Filters of `user list`. */
export interface UserQuery extends Paging {
  role?: Role;
}

/** Filters of `client list`. */
export interface ClientQuery extends Paging {
  mine?: boolean;
  search?: string;
}

/** Filters of `contract list`. */
export interface ContractQuery extends Paging {
  mine?: boolean;
  unsigned?: boolean;
  unpaid?: boolean;
  clientId?: number;
}

/** Filters of `event list`. */
export interface EventQuery extends Paging {
  mine?: boolean;
  unassigned?: boolean;
  upcoming?: boolean;
  contractId?: number;
}

/** Filters of `audit list`. */
export interface AuditQuery extends Paging {
  entity?: string;
  entityId?: number;
  actorId?: number;
  /** ISO 8601 instant. */
  since?: string;
}

/** A new collaborator. */
export interface NewUser {
  first_name: string;
  last_name: string;
  email: string;
  phone?: string | null;
  role: string;
  password: string;
}

/** Changes of a collaborator (only the given fields change). */
export interface UserChanges {
  first_name?: string;
  last_name?: string;
  email?: string;
  phone?: string | null;
  role?: string;
  password?: string;
}

/** A new client. */
export interface NewClient {
  full_name: string;
  email: string;
  phone: string;
  company_name: string;
  sales_contact_id?: number;
}

/** Changes of a client. */
export type ClientChanges = Partial<NewClient>;

/** A new contract; amounts as typed decimals (`"1500.5"`). */
export interface NewContract {
  client_id: number;
  total_amount: string;
  amount_due?: string;
  sales_contact_id?: number;
}

/** Changes of a contract. */
export interface ContractChanges {
  total_amount?: string;
  amount_due?: string;
  signed_status?: boolean;
}

/** A new event; dates are ISO 8601 instants. */
export interface NewEvent {
  name: string;
  contract_id: number;
  client_contact: string;
  start_date: string;
  end_date: string;
  location: string;
  attendees: number;
  notes?: string | null;
  support_contact_id?: number | null;
}

/** Changes of an event (`notes: ""` or null clears the notes). */
export interface EventChanges {
  name?: string;
  client_contact?: string;
  start_date?: string;
  end_date?: string;
  location?: string;
  attendees?: number;
  notes?: string | null;
}

/** `event assign`. */
export interface EventAssignment {
  support_contact_id: number;
}

/** Options every delete takes. */
export interface DeleteOptions {
  /** Run every check of the delete and change nothing. */
  dryRun?: boolean;
}

/** What a client delete did (or, dry, would do). */
export interface ClientDeletion {
  id: number;
  deleted_contracts: number;
  deleted_events: number;
}

/** What a contract delete did (or would do). */
export interface ContractDeletion {
  id: number;
  deleted_events: number;
}

/** What an event delete did (or would do). */
export interface EventDeletion {
  id: number;
}

/** What a collaborator delete did (or would do). */
export interface UserDeletion {
  id: number;
  reassigned_to: number | null;
  reassigned: { clients: number; contracts: number; events: number };
}

/** A signature: the contract, and whether it was signed already. */
export interface Signature {
  contract: ContractRecord;
  already_signed: boolean;
}

/** A successful login (the token itself stays with the adapter). */
export interface LoginResult {
  user: UserRecord;
  expires_at: string;
}

/** A logout. */
export interface LogoutResult {
  /** Whether there was a session token at all (false: "Not logged in."). */
  found: boolean;
  /** Whether a live session was ended (false: there was none, or it had already ended). */
  revoked: boolean;
}

/** The use cases of the CRM, as the command line calls them. */
export interface Crm {
  /**
   * Checks that a login can be tried — the configuration is valid, the
   * database (or server) answers — before the credentials are asked for.
   */
  prepareLogin(): Promise<void>;
  /** Logs in and keeps the session's token. */
  login(credentials: { email: string; password: string }): Promise<LoginResult>;
  /** Ends the current session; the local token is removed whatever happens. */
  logout(): Promise<LogoutResult>;
  /** Ends every session of the logged-in collaborator, on every machine (exit 3 without a valid session). */
  logoutAll(): Promise<LogoutResult>;
  /** The logged-in collaborator (exit 3 when there is none). */
  whoami(): Promise<Me>;

  /** Collaborators, by id. */
  listUsers(query: UserQuery): AsyncIterable<UserRecord>;
  /** One collaborator (exit 5 when unknown). */
  getUser(id: number): Promise<UserRecord>;
  /** Creates a collaborator (MANAGEMENT). */
  createUser(input: NewUser): Promise<UserRecord>;
  /** Changes the given fields of a collaborator (MANAGEMENT). */
  updateUser(id: number, changes: UserChanges): Promise<UserRecord>;
  /** Deletes a collaborator, moving what they own with `reassignTo`. */
  deleteUser(id: number, options: DeleteOptions & { reassignTo?: number }): Promise<UserDeletion>;

  /** Clients, by id. */
  listClients(query: ClientQuery): AsyncIterable<ClientRecord>;
  /** One client. */
  getClient(id: number): Promise<ClientRecord>;
  /** Creates a client. */
  createClient(input: NewClient): Promise<ClientRecord>;
  /** Changes the given fields of a client. */
  updateClient(id: number, changes: ClientChanges): Promise<ClientRecord>;
  /** Deletes a client (with its contracts and events when `cascade`). */
  deleteClient(id: number, options: DeleteOptions & { cascade?: boolean }): Promise<ClientDeletion>;

  /** Contracts, by id. */
  listContracts(query: ContractQuery): AsyncIterable<ContractRecord>;
  /** One contract. */
  getContract(id: number): Promise<ContractRecord>;
  /** Creates a contract (amount due: the total unless given). */
  createContract(input: NewContract): Promise<ContractRecord>;
  /** Changes the given fields of a contract. */
  updateContract(id: number, changes: ContractChanges): Promise<ContractRecord>;
  /** Signs a contract (signing a signed one changes nothing). */
  signContract(id: number): Promise<Signature>;
  /** Deletes a contract (with its events when `cascade`). */
  deleteContract(id: number, options: DeleteOptions & { cascade?: boolean }): Promise<ContractDeletion>;

  /** Events, by id. */
  listEvents(query: EventQuery): AsyncIterable<EventRecord>;
  /** One event. */
  getEvent(id: number): Promise<EventRecord>;
  /** Creates an event for a signed contract. */
  createEvent(input: NewEvent): Promise<EventRecord>;
  /** Changes the given fields of an event. */
  updateEvent(id: number, changes: EventChanges): Promise<EventRecord>;
  /** Sets an event's support contact. */
  assignEvent(id: number, assignment: EventAssignment): Promise<EventRecord>;
  /** Deletes an event. */
  deleteEvent(id: number, options: DeleteOptions): Promise<EventDeletion>;

  /** Audit entries, oldest first (MANAGEMENT). */
  listAudit(query: AuditQuery): AsyncIterable<AuditRecord>;
}
