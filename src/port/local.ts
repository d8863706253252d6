/**
 * The local adapter of the {@link Crm} port: it opens the database through
 * the run's lazy connection, builds the service context of the logged-in
 * collaborator once, and runs each operation of the contract through the
 * service function named like it (the services answer the port's records).
 * @module
 */
import type { Operations } from "../contract/operations.ts";
import { AppError, NotAuthenticatedError } from "../domain/errors.ts";
import type { ServiceContext } from "../services/context.ts";
import type { Session, TokenSettings } from "../services/session.ts";
import type {
  AnswerOf,
  Crm,
  InputOf,
  JsonListOperation,
  LoginResult,
  LogoutResult,
  Me,
  OutputOf,
  PortOperation,
} from "./crm.ts";
import { msg } from "../domain/messages.ts";

/**
 * The service module of each group of operations, imported when an
 * operation of the group first runs: a command loads only its own service
 * (and the schemas behind it), `whoami` none. Each module exports one
 * function per operation of its group, named like it, taking the service
 * context and the operation's input and giving its output.
 */
const SERVICES = {
  users: once(() => import("../services/users.ts")),
  clients: once(() => import("../services/clients.ts")),
  contracts: once(() => import("../services/contracts.ts")),
  events: once(() => import("../services/events.ts")),
  audit: once(() => import("../services/audit.ts")),
  imports: once(() => import("../services/import.ts")),
  reports: once(() => import("../services/reports.ts")),
  calendar: once(() => import("../services/calendar.ts")),
};
const contract = once(() => import("../contract/operations.ts"));

/** The service function of each list that the database may give as JSON text (see {@link Crm.listJson}). */
const JSON_LISTS = {
  listEvents: async () => (await SERVICES.events()).listEventsJson,
  listContracts: async () => (await SERVICES.contracts()).listContractsJson,
  listClients: async () => (await SERVICES.clients()).listClientsJson,
} satisfies Record<JsonListOperation, unknown>;

/** `load`, called once: a server calls the same services at every request, and each `import()` costs its promise. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => loaded ??= load();
}
const sessions = () => import("../services/session.ts");

/** A group of operations that a service module implements. */
type ServiceTag = keyof typeof SERVICES;

/** The operations the services implement (the session's are the adapter's own). */
type ServiceOperation = Exclude<PortOperation, "whoami">;

/** How a service implements operation `K`. */
type Implementation<K extends ServiceOperation> = (
  ctx: ServiceContext,
  input: InputOf<K>,
) => OutputOf<K> | Promise<OutputOf<K>>;

/** What each service module exports, by operation: the function named like it in its group's module. */
type Provided = {
  [K in ServiceOperation]: Operations[K]["tag"] extends infer T extends ServiceTag
    ? K extends keyof Awaited<ReturnType<(typeof SERVICES)[T]>> ? Awaited<ReturnType<(typeof SERVICES)[T]>>[K]
    : "missing: no function of this name in its service module"
    : "missing: its group has no service module";
};

/**
 * Fails to compile unless every operation of the contract has its service
 * function, with the operation's input and output: what makes the lookup by
 * name in {@link LocalCrm.call} safe.
 */
export type ServicesImplementTheContract = Provided extends { [K in ServiceOperation]: Implementation<K> } ? true
  : never;
const _proof: ServicesImplementTheContract = true;

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

/** The error of a logout that removed the local token but could not end the session. */
function locallyLoggedOut(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code === "internal" || error instanceof NotAuthenticatedError) {
    return error;
  }
  return new AppError(error.code, msg("errors.session.logout_partial", { why: error.text }), {
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
    return { user: result.user, expires_at: result.expires_at };
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

  async listJson<K extends JsonListOperation>(
    name: K,
    input: InputOf<K>,
  ): Promise<AsyncIterable<Uint8Array | AnswerOf<K>> | undefined> {
    // Each list's service takes its own input and answers its own records, which TypeScript does not resolve for K.
    const list = await JSON_LISTS[name]() as (
      ctx: ServiceContext,
      input: InputOf<K>,
    ) => AsyncIterable<Uint8Array | AnswerOf<K>> | undefined;
    return list(await this.#ctx(), input);
  }

  /** Runs `name` through the service function of the same name, with the session's context. */
  async call<K extends PortOperation>(name: K, input: InputOf<K>): Promise<OutputOf<K>> {
    if (name === "whoami") return await this.whoami() as OutputOf<K>;
    const { OPERATIONS } = await contract();
    const tag = OPERATIONS[name].tag as ServiceTag;
    // The service of `name` is named like it in its group's module (proven by ServicesImplementTheContract).
    const services = await SERVICES[tag]() as unknown as { [O in ServiceOperation]: Implementation<O> };
    const run = services[name as ServiceOperation] as unknown as Implementation<ServiceOperation>;
    return await run(await this.#ctx(), input as InputOf<ServiceOperation>) as OutputOf<K>;
  }
}
