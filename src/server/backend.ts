/**
 * The {@link LocalBackend} of one HTTP request: the same local adapter the
 * CLI uses, with the session taken from the request's bearer token, verified
 * here, on the server, with the server's key. Nothing outlives the request
 * but the shared database pool, so several `serve` processes on one database
 * behave as one.
 * @module
 */
import { DEFAULT_LANG, type Lang } from "../domain/lang.ts";
import type { Database } from "../db/database.ts";
import { NotAuthenticatedError } from "../domain/errors.ts";
import type { LocalBackend } from "../port/local.ts";
import type { Reporter, ServiceContext } from "../services/context.ts";
import { authenticate, type Session, type TokenSettings } from "../services/session.ts";

/** What every request shares: the pool, the key, the reporter. */
export interface ServerContext {
  db: Database;
  tokens: TokenSettings;
  bcryptRounds: number;
  reporter: Reporter;
  /** IANA zone of zone-less dates (the server's `TZ`); the CLI sends instants. */
  timeZone?: string;
}

/** A request's backend: the bearer token in, the token a login issues out. */
export class RequestBackend implements LocalBackend {
  readonly #server: ServerContext;
  readonly #bearer: string | null;
  readonly #lang: Lang;
  /** The acting user, once the token is verified (for the access log). */
  userId: number | null = null;
  /** The token a login issued, for the response body. */
  issued: string | null = null;

  /** A backend for a request carrying `bearer` (or none), read in `lang` (its `Accept-Language`). */
  constructor(server: ServerContext, bearer: string | null, lang: Lang = DEFAULT_LANG) {
    this.#server = server;
    this.#bearer = bearer;
    this.#lang = lang;
  }

  #context(actor: ServiceContext["actor"]): ServiceContext {
    const s = this.#server;
    return {
      db: s.db,
      actor,
      now: () => new Date(),
      reporter: s.reporter,
      bcryptRounds: s.bcryptRounds,
      timeZone: s.timeZone,
      lang: this.#lang,
    };
  }

  /** Verifies the bearer token and loads its user (401 when missing, bad, expired, revoked or deleted). */
  async session(): Promise<{ ctx: ServiceContext; session: Session; token: string }> {
    const token = this.#bearer;
    if (!token) throw new NotAuthenticatedError();
    const session = await authenticate(
      { db: this.#server.db, now: () => new Date() },
      token,
      this.#server.tokens.secret,
    );
    this.userId = session.actor.id;
    return { ctx: this.#context(session.actor), session, token };
  }

  /** A context without an acting user (login). */
  anonymousContext(): Promise<ServiceContext> {
    return Promise.resolve(this.#context(null));
  }

  /** The server's signing key and token lifetime. */
  tokenSettings(): TokenSettings {
    return this.#server.tokens;
  }

  /** A login's token goes to the response, never to a file. */
  tokenStore(): { write(token: string): Promise<void>; remove(): Promise<void> } {
    return {
      write: (token) => {
        this.issued = token;
        return Promise.resolve();
      },
      remove: () => Promise.resolve(),
    };
  }

  /** The request's bearer token. */
  currentToken(): Promise<string | null> {
    return Promise.resolve(this.#bearer);
  }

  /** bcrypt cost (for the constant-time answer to an unknown email). */
  config(): { bcryptRounds: number } {
    return { bcryptRounds: this.#server.bcryptRounds };
  }
}
