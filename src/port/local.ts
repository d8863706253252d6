/**
 * The local adapter of the {@link Crm} port: it opens the database through
 * the run's lazy connection, builds the service context of the logged-in
 * collaborator once, calls the services and turns what they return into the
 * public, serialisable records of the port.
 * @module
 */
import { AppError, NotAuthenticatedError } from "../domain/errors.ts";
import { formatMoney } from "../domain/money.ts";
import type {
  ClientCreateInput,
  ClientUpdateInput,
  ContractCreateInput,
  ContractUpdateInput,
  EventAssignInput,
  EventCreateInput,
  EventUpdateInput,
  UserCreateInput,
  UserUpdateInput,
} from "../domain/schemas/mod.ts";
import type { AuditEntry } from "../services/audit.ts";
import type { Client } from "../services/clients.ts";
import type { ServiceContext } from "../services/context.ts";
import type { Contract } from "../services/contracts.ts";
import type { Event } from "../services/events.ts";
import type { Session, TokenSettings } from "../services/session.ts";
import type { User } from "../services/users.ts";
import type {
  AuditRecord,
  ClientRecord,
  ContractRecord,
  Crm,
  EventRecord,
  LoginResult,
  LogoutResult,
  Me,
  UserRecord,
} from "./crm.ts";

/**
 * The services, each imported when a method first needs it: a command loads
 * only its own service (and the schemas behind it), `whoami` none.
 */
const audit = () => import("../services/audit.ts");
const clients = () => import("../services/clients.ts");
const contracts = () => import("../services/contracts.ts");
const dryRuns = () => import("../services/dry_run.ts");
const events = () => import("../services/events.ts");
const sessions = () => import("../services/session.ts");
const users = () => import("../services/users.ts");

/** What the local adapter needs from the run: the CLI's `Runtime` provides it. */
export interface LocalBackend {
  /** Verifies the token and loads its user (exit 3 when there is none). */
  session(): Promise<{ ctx: ServiceContext; session: Session; token: string }>;
  /** A context without an acting user (login). */
  anonymousContext(): Promise<ServiceContext>;
  /** How tokens are signed. */
  tokenSettings(): TokenSettings;
  /** Where the token is kept. */
  tokenStore(): { write(token: string): Promise<void>; remove(): Promise<void> };
  /** The stored (or `EPIC_EVENTS_TOKEN`) token, or null. */
  currentToken(): Promise<string | null>;
  /** bcrypt cost, for the constant-time answer to an unknown email. */
  config(): { bcryptRounds: number };
  /** The acting user of the run, for its log line. */
  userId: number | null;
}

/** A collaborator's public shape. */
export function userRecord(u: User): UserRecord {
  return {
    id: u.id,
    first_name: u.first_name,
    last_name: u.last_name,
    email: u.email,
    phone: u.phone,
    role: u.role,
    created_at: u.created_at,
    updated_at: u.updated_at,
  };
}

function clientRecord(c: Client): ClientRecord {
  return {
    id: c.id,
    full_name: c.full_name,
    email: c.email,
    phone: c.phone,
    company_name: c.company_name,
    sales_contact_id: c.sales_contact_id,
    created_at: c.created_at,
    last_updated: c.last_updated,
    // Absent from a list asked without display names.
    display: c.sales_contact_name === undefined ? undefined : { sales_contact_name: c.sales_contact_name },
  };
}

function contractRecord(c: Contract): ContractRecord {
  return {
    id: c.id,
    client_id: c.client_id,
    sales_contact_id: c.sales_contact_id,
    total_amount: formatMoney(c.total_amount_cents),
    amount_due: formatMoney(c.amount_due_cents),
    created_at: c.created_at,
    signed_status: c.signed_status,
    display: c.client_name === undefined
      ? undefined
      : { client_name: c.client_name, sales_contact_name: c.sales_contact_name },
  };
}

function eventRecord(e: Event): EventRecord {
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
    display: e.client_name === undefined
      ? undefined
      : { client_name: e.client_name, support_contact_name: e.support_contact_name },
  };
}

function auditRecord(a: AuditEntry): AuditRecord {
  return {
    id: a.id,
    occurred_at: a.occurred_at,
    actor_id: a.actor_id,
    action: a.action,
    entity: a.entity,
    entity_id: a.entity_id,
    changes: publicChanges(a.changes),
  };
}

/** Audit fields stored in cents, and their public names. */
const CENTS_FIELDS: Readonly<Record<string, string>> = {
  total_amount_cents: "total_amount",
  amount_due_cents: "amount_due",
};

function publicValue(value: unknown): unknown {
  return typeof value === "number" && Number.isSafeInteger(value) ? formatMoney(value) : value;
}

/** Audit changes in public units: `total_amount_cents: 150050` → `total_amount: "1500.50"`. */
export function publicChanges(changes: Record<string, unknown> | null): Record<string, unknown> | null {
  if (changes === null) return null;
  const out: Record<string, unknown> = {};
  for (const [field, change] of Object.entries(changes)) {
    const name = CENTS_FIELDS[field];
    if (name === undefined) {
      out[field] = change;
    } else if (change !== null && typeof change === "object" && "old" in change && "new" in change) {
      out[name] = { old: publicValue(change.old), new: publicValue(change.new) };
    } else {
      out[name] = publicValue(change);
    }
  }
  return out;
}

/**
 * The records of a service's list, mapped one by one as they come from the
 * database cursor: a list is never held whole. Breaking off (e.g. stdout
 * closed) ends the service's iteration too, which closes the cursor.
 */
async function* each<T, R>(load: () => Promise<AsyncIterable<T>>, map: (row: T) => R): AsyncGenerator<R> {
  for await (const row of await load()) yield map(row);
}

/** `value` without its undefined keys (typed both as itself and as the services' plain input). */
function defined<T extends object>(value: T): T & Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T & Record<string, unknown>;
}

/** The error of a logout that removed the local token but could not end the session. */
function locallyLoggedOut(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code === "internal" || error instanceof NotAuthenticatedError) {
    return error;
  }
  return new AppError(error.code, `Removed the local token, but the session could not be ended: ${error.message}`, {
    field: error.field,
    cause: error,
  });
}

/** The CRM on this machine's database. */
export class LocalCrm implements Crm {
  readonly #backend: LocalBackend;
  #session?: Promise<{ ctx: ServiceContext; session: Session }>;

  /** An adapter over the run's lazily opened database and session. */
  constructor(backend: LocalBackend) {
    this.#backend = backend;
  }

  #current(): Promise<{ ctx: ServiceContext; session: Session }> {
    return this.#session ??= this.#backend.session();
  }

  async #ctx(): Promise<ServiceContext> {
    return (await this.#current()).ctx;
  }

  /** Runs a delete, or with `dryRun` every check of it in a transaction rolled back. */
  async #remove<T>(dryRun: boolean | undefined, remove: (ctx: ServiceContext) => Promise<T>): Promise<T> {
    const ctx = await this.#ctx();
    return dryRun ? await (await dryRuns()).dryRun(ctx, remove) : await remove(ctx);
  }

  async prepareLogin(): Promise<void> {
    this.#backend.tokenSettings();
    await this.#backend.anonymousContext();
  }

  async login(credentials: { email: string; password: string }): Promise<LoginResult> {
    const tokens = this.#backend.tokenSettings();
    const ctx = await this.#backend.anonymousContext();
    const result = await (await sessions()).login(ctx, credentials, tokens, this.#backend.config().bcryptRounds);
    await this.#backend.tokenStore().write(result.token);
    this.#backend.userId = result.user.id;
    return { user: userRecord(result.user), expires_at: result.expires_at };
  }

  logout(): Promise<LogoutResult> {
    return this.#endSessions(async (ctx, session) => (await sessions()).logout(ctx, session.claims), { all: false });
  }

  logoutAll(): Promise<LogoutResult> {
    return this.#endSessions(async (ctx) => (await sessions()).logoutEverywhere(ctx), { all: true });
  }

  /**
   * Ends the session (or, `all`, every session of its user), then removes the
   * local token. The token file goes whatever happens — even when the session
   * cannot be ended (no `SECRET_KEY`, the database unreachable …): the error
   * then says that only the local token was removed. Without `all`, a token
   * that is expired, tampered with or already revoked needs no revocation;
   * `all` needs a valid session to know whose sessions to end (exit 3).
   */
  async #endSessions(
    end: (ctx: ServiceContext, session: Session) => Promise<void>,
    { all }: { all: boolean },
  ): Promise<LogoutResult> {
    const store = this.#backend.tokenStore();
    let token: string | null = null;
    let revoked = false;
    try {
      token = await this.#backend.currentToken();
      if (token || all) {
        try {
          const { ctx, session } = await this.#current();
          await end(ctx, session);
          revoked = true;
        } catch (error) {
          if (all || !(error instanceof NotAuthenticatedError)) throw error;
        }
      }
    } catch (error) {
      await store.remove();
      throw locallyLoggedOut(error);
    }
    await store.remove();
    return { found: token !== null, revoked };
  }

  async whoami(): Promise<Me> {
    const { session } = await this.#current();
    const u = session.user;
    return {
      id: u.id,
      email: u.email,
      first_name: u.first_name,
      last_name: u.last_name,
      role: u.role,
      expires_at: new Date(session.claims.exp * 1000).toISOString(),
    };
  }

  listUsers(query: Parameters<Crm["listUsers"]>[0]): AsyncIterable<UserRecord> {
    // A collaborator has no display names: there is nothing to leave out.
    const { display: _display, ...filter } = query;
    return each(async () => (await users()).listUsers(await this.#ctx(), defined(filter)), userRecord);
  }

  async getUser(id: number): Promise<UserRecord> {
    return userRecord(await (await users()).getUser(await this.#ctx(), id));
  }

  async createUser(input: Parameters<Crm["createUser"]>[0]): Promise<UserRecord> {
    const { password, ...fields } = input;
    return userRecord(
      await (await users()).createUser(await this.#ctx(), defined(fields satisfies UserCreateInput), password),
    );
  }

  async updateUser(id: number, changes: Parameters<Crm["updateUser"]>[1]): Promise<UserRecord> {
    const { password, ...fields } = changes;
    return userRecord(
      await (await users()).updateUser(await this.#ctx(), id, defined(fields satisfies UserUpdateInput), password),
    );
  }

  async deleteUser(id: number, options: Parameters<Crm["deleteUser"]>[1]) {
    const result = await this.#remove(
      options.dryRun,
      async (c) => (await users()).deleteUser(c, id, { reassignTo: options.reassignTo }),
    );
    return { id: result.deleted.id, reassigned_to: result.reassigned_to, reassigned: result.reassigned };
  }

  listClients(query: Parameters<Crm["listClients"]>[0]): AsyncIterable<ClientRecord> {
    return each(async () => (await clients()).listClients(await this.#ctx(), defined(query)), clientRecord);
  }

  async getClient(id: number): Promise<ClientRecord> {
    return clientRecord(await (await clients()).getClient(await this.#ctx(), id));
  }

  async createClient(input: Parameters<Crm["createClient"]>[0]): Promise<ClientRecord> {
    return clientRecord(
      await (await clients()).createClient(await this.#ctx(), defined(input satisfies ClientCreateInput)),
    );
  }

  async updateClient(id: number, changes: Parameters<Crm["updateClient"]>[1]): Promise<ClientRecord> {
    return clientRecord(
      await (await clients()).updateClient(await this.#ctx(), id, defined(changes satisfies ClientUpdateInput)),
    );
  }

  async deleteClient(id: number, options: Parameters<Crm["deleteClient"]>[1]) {
    return await this.#remove(
      options.dryRun,
      async (c) => (await clients()).deleteClient(c, id, { cascade: options.cascade }),
    );
  }

  listContracts(query: Parameters<Crm["listContracts"]>[0]): AsyncIterable<ContractRecord> {
    const { clientId, ...rest } = query;
    return each(
      async () => (await contracts()).listContracts(await this.#ctx(), defined({ ...rest, client_id: clientId })),
      contractRecord,
    );
  }

  async getContract(id: number): Promise<ContractRecord> {
    return contractRecord(await (await contracts()).getContract(await this.#ctx(), id));
  }

  async createContract(input: Parameters<Crm["createContract"]>[0]): Promise<ContractRecord> {
    return contractRecord(
      await (await contracts()).createContract(await this.#ctx(), defined(input satisfies ContractCreateInput)),
    );
  }

  async updateContract(id: number, changes: Parameters<Crm["updateContract"]>[1]): Promise<ContractRecord> {
    return contractRecord(
      await (await contracts()).updateContract(await this.#ctx(), id, defined(changes satisfies ContractUpdateInput)),
    );
  }

  async signContract(id: number) {
    const { already_signed, ...contract } = await (await contracts()).signContract(await this.#ctx(), id);
    return { contract: contractRecord(contract), already_signed };
  }

  async deleteContract(id: number, options: Parameters<Crm["deleteContract"]>[1]) {
    return await this.#remove(
      options.dryRun,
      async (c) => (await contracts()).deleteContract(c, id, { cascade: options.cascade }),
    );
  }

  listEvents(query: Parameters<Crm["listEvents"]>[0]): AsyncIterable<EventRecord> {
    const { contractId, ...rest } = query;
    return each(
      async () => (await events()).listEvents(await this.#ctx(), defined({ ...rest, contract_id: contractId })),
      eventRecord,
    );
  }

  async getEvent(id: number): Promise<EventRecord> {
    return eventRecord(await (await events()).getEvent(await this.#ctx(), id));
  }

  async createEvent(input: Parameters<Crm["createEvent"]>[0]): Promise<EventRecord> {
    return eventRecord(
      await (await events()).createEvent(await this.#ctx(), defined(input satisfies EventCreateInput)),
    );
  }

  async updateEvent(id: number, changes: Parameters<Crm["updateEvent"]>[1]): Promise<EventRecord> {
    return eventRecord(
      await (await events()).updateEvent(await this.#ctx(), id, defined(changes satisfies EventUpdateInput)),
    );
  }

  async assignEvent(id: number, assignment: Parameters<Crm["assignEvent"]>[1]): Promise<EventRecord> {
    return eventRecord(
      await (await events()).assignEvent(await this.#ctx(), id, { ...assignment } satisfies EventAssignInput),
    );
  }

  async deleteEvent(id: number, options: Parameters<Crm["deleteEvent"]>[1]) {
    return await this.#remove(options.dryRun, async (c) => (await events()).deleteEvent(c, id));
  }

  listAudit(query: Parameters<Crm["listAudit"]>[0]): AsyncIterable<AuditRecord> {
    const { display: _display, ...filter } = query;
    return each(async () => (await audit()).listAudit(await this.#ctx(), defined(filter)), auditRecord);
  }
}
