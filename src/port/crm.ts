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
  /** At most this many rows (1 or more). */
  limit?: number;
  /** Rows to skip first (0 or more). */
  offset?: number;
  /**
   * Whether the records carry their `display` names (the default), or not
   * (`false`, for JSON): a list without them does not look them up.
   */
  display?: boolean;
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
  /** The collaborator's id. */
  id: number;
  /** First name (1–50 characters). */
  first_name: string;
  /** Last name (1–50 characters). */
  last_name: string;
  /** Email address, unique whatever its case; stored lower-cased. */
  email: string;
  /** Phone number, or null when none was given. */
  phone: string | null;
  /** `MANAGEMENT`, `SALES` or `SUPPORT`. */
  role: Role;
  /** When the collaborator was created (ISO 8601, `Z`). */
  created_at: string;
  /** When the collaborator last changed (ISO 8601, `Z`). */
  updated_at: string;
  /** Names shown beside ids in tables (never in `--json`). */
  display?: DisplayNames;
}

/** A client. */
export interface ClientRecord {
  /** The client's id. */
  id: number;
  /** The client's full name. */
  full_name: string;
  /** The client's email address (unique). */
  email: string;
  /** The client's phone number. */
  phone: string;
  /** The client's company. */
  company_name: string;
  /** The SALES collaborator in charge of the client (who owns it). */
  sales_contact_id: number;
  /** When the client was created (ISO 8601, `Z`). */
  created_at: string;
  /** When the client last changed (ISO 8601, `Z`). */
  last_updated: string;
  /** Names shown beside ids in tables (never in `--json`). */
  display?: DisplayNames;
}

/** A contract; amounts are exact decimal strings such as `"1500.00"`. */
export interface ContractRecord {
  /** The contract's id. */
  id: number;
  /** The client the contract is with. */
  client_id: number;
  /** The SALES collaborator of the contract (its client's, unless a manager chose another). */
  sales_contact_id: number;
  /** The total, e.g. `"1500.00"`. */
  total_amount: string;
  /** What remains to be paid, between 0 and the total, e.g. `"500.00"`. */
  amount_due: string;
  /** When the contract was created (ISO 8601, `Z`). */
  created_at: string;
  /** Whether the contract is signed (events need a signed contract). */
  signed_status: boolean;
  /** Names shown beside ids in tables (never in `--json`). */
  display?: DisplayNames;
}

/** An event. */
export interface EventRecord {
  /** The event's id. */
  id: number;
  /** The event's name. */
  name: string;
  /** The signed contract the event belongs to. */
  contract_id: number;
  /** The contract's client. */
  client_id: number;
  /** Who to reach at the client, as free text. */
  client_contact: string;
  /** When the event starts (ISO 8601, `Z`). */
  start_date: string;
  /** When the event ends (ISO 8601, `Z`), after its start. */
  end_date: string;
  /** The SUPPORT collaborator in charge, or null while unassigned. */
  support_contact_id: number | null;
  /** Where the event takes place. */
  location: string;
  /** How many people are expected (0 or more). */
  attendees: number;
  /** Free notes, or null. */
  notes: string | null;
  /** Names shown beside ids in tables (never in `--json`). */
  display?: DisplayNames;
}

/** One entry of the audit trail; `changes` are in public units (money as `"1500.00"`). */
export interface AuditRecord {
  /** The entry's id (entries are in the order they were written). */
  id: number;
  /** When the change was made (ISO 8601, `Z`). */
  occurred_at: string;
  /** Who made it, or null (e.g. a failed login). */
  actor_id: number | null;
  /** What was done, e.g. `contract.signed`. */
  action: string;
  /** The kind of record changed, e.g. `contract`, or the session for logins. */
  entity: string;
  /** The record changed, or null. */
  entity_id: number | null;
  /** Each changed field as `{ old, new }` (secrets redacted), or null. */
  changes: Record<string, unknown> | null;
  /** Names shown beside ids in tables (never in `--json`). */
  display?: DisplayNames;
}

/** Who is logged in, and until when. */
export interface Me {
  /** The logged-in collaborator's id. */
  id: number;
  /** Their email address. */
  email: string;
  /** Their first name. */
  first_name: string;
  /** Their last name. */
  last_name: string;
  /** Their role, as stored now (not as the token says). */
  role: Role;
  /** When the session expires (ISO 8601, `Z`). */
  expires_at: string;
}

/** Filters of `user list`. */
export interface UserQuery extends Paging {
  /** Only collaborators of this role. */
  role?: Role;
}

/** Filters of `client list`. */
export interface ClientQuery extends Paging {
  /** Only my clients (I am their sales contact). */
  mine?: boolean;
  /** Only clients whose name, email or company contains this text. */
  search?: string;
}

/** Filters of `contract list`. */
export interface ContractQuery extends Paging {
  /** Only the contracts of my clients. */
  mine?: boolean;
  /** Only unsigned contracts. */
  unsigned?: boolean;
  /** Only contracts with an amount still due. */
  unpaid?: boolean;
  /** Only the contracts of this client. */
  clientId?: number;
}

/** Filters of `event list`. */
export interface EventQuery extends Paging {
  /** SUPPORT and MANAGEMENT: the events I support; SALES: the events of my clients. */
  mine?: boolean;
  /** Only events without a support contact. */
  unassigned?: boolean;
  /** Only events that have not ended yet. */
  upcoming?: boolean;
  /** Only the events of this contract. */
  contractId?: number;
}

/** Filters of `audit list`. */
export interface AuditQuery extends Paging {
  /** Only entries about this kind of record (`client`, `contract` …). */
  entity?: string;
  /** Only entries about the record with this id. */
  entityId?: number;
  /** Only entries made by this collaborator. */
  actorId?: number;
  /** ISO 8601 instant. */
  since?: string;
}

/** A new collaborator. */
export interface NewUser {
  /** First name. */
  first_name: string;
  /** Last name. */
  last_name: string;
  /** Email address (unique whatever its case). */
  email: string;
  /** Phone number; null or absent for none. */
  phone?: string | null;
  /** `MANAGEMENT`, `SALES` or `SUPPORT`, in any case. */
  role: string;
  /** The password (8–72 bytes); only its bcrypt hash is kept. */
  password: string;
}

/** Changes of a collaborator (only the given fields change). */
export interface UserChanges {
  /** New first name. */
  first_name?: string;
  /** New last name. */
  last_name?: string;
  /** New email address. */
  email?: string;
  /** New phone number; null or `""` clears it. */
  phone?: string | null;
  /** New role, in any case (ends the collaborator's sessions). */
  role?: string;
  /** New password (ends the collaborator's sessions). */
  password?: string;
}

/** A new client. */
export interface NewClient {
  /** The client's full name. */
  full_name: string;
  /** The client's email address (unique). */
  email: string;
  /** The client's phone number. */
  phone: string;
  /** The client's company. */
  company_name: string;
  /** The SALES collaborator in charge: required from a manager, omitted by SALES (it is theirs). */
  sales_contact_id?: number;
}

/** Changes of a client. */
export type ClientChanges = Partial<NewClient>;

/** A new contract; amounts as typed decimals (`"1500.5"`). */
export interface NewContract {
  /** The client the contract is with. */
  client_id: number;
  /** The total, e.g. `"1500.50"`. */
  total_amount: string;
  /** What remains to be paid (default: the total). */
  amount_due?: string;
  /** Another SALES collaborator than the client's (MANAGEMENT only). */
  sales_contact_id?: number;
}

/** Changes of a contract. */
export interface ContractChanges {
  /** New total. */
  total_amount?: string;
  /** New amount due (at most the total). */
  amount_due?: string;
  /** Signs or unsigns (a contract with events cannot be unsigned). */
  signed_status?: boolean;
}

/** A new event; dates are ISO 8601 instants. */
export interface NewEvent {
  /** The event's name. */
  name: string;
  /** A signed contract. */
  contract_id: number;
  /** Who to reach at the client. */
  client_contact: string;
  /** When it starts (ISO 8601). */
  start_date: string;
  /** When it ends (ISO 8601), after the start. */
  end_date: string;
  /** Where it takes place. */
  location: string;
  /** How many people are expected (0 or more). */
  attendees: number;
  /** Free notes; null or absent for none. */
  notes?: string | null;
  /** The SUPPORT collaborator in charge (MANAGEMENT only); null or absent for none. */
  support_contact_id?: number | null;
}

/** Changes of an event (`notes: ""` or null clears the notes). */
export interface EventChanges {
  /** New name. */
  name?: string;
  /** New client contact. */
  client_contact?: string;
  /** New start (ISO 8601). */
  start_date?: string;
  /** New end (ISO 8601). */
  end_date?: string;
  /** New location. */
  location?: string;
  /** New number of attendees. */
  attendees?: number;
  /** New notes; null or `""` clears them. */
  notes?: string | null;
}

/** `event assign`. */
export interface EventAssignment {
  /** The SUPPORT collaborator who takes the event over. */
  support_contact_id: number;
}

/** Options every delete takes. */
export interface DeleteOptions {
  /** Run every check of the delete and change nothing. */
  dryRun?: boolean;
}

/** What a client delete did (or, dry, would do). */
export interface ClientDeletion {
  /** The client deleted. */
  id: number;
  /** Its contracts deleted with it (`cascade`). */
  deleted_contracts: number;
  /** Its events deleted with it (`cascade`). */
  deleted_events: number;
}

/** What a contract delete did (or would do). */
export interface ContractDeletion {
  /** The contract deleted. */
  id: number;
  /** Its events deleted with it (`cascade`). */
  deleted_events: number;
}

/** What an event delete did (or would do). */
export interface EventDeletion {
  /** The event deleted. */
  id: number;
}

/** What a collaborator delete did (or would do). */
export interface UserDeletion {
  /** The collaborator deleted. */
  id: number;
  /** Who took over what they owned, or null when they owned nothing. */
  reassigned_to: number | null;
  /** How many clients, contracts and events moved to `reassigned_to`. */
  reassigned: { clients: number; contracts: number; events: number };
}

/** A signature: the contract, and whether it was signed already. */
export interface Signature {
  /** The contract, signed. */
  contract: ContractRecord;
  /** Whether it was signed before (then nothing changed). */
  already_signed: boolean;
}

/** A successful login (the token itself stays with the adapter). */
export interface LoginResult {
  /** Who logged in. */
  user: UserRecord;
  /** When the session expires (ISO 8601, `Z`). */
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
