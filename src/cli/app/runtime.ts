/**
 * Per-run state of the CLI: the injected IO, global flags, and the lazily
 * loaded configuration and database connection. The modules behind them
 * (drivers, migrations, sessions and their packages) are imported when first
 * used, so that `--help` and `--version` never load them.
 * @module
 */
import { DEFAULT_LANG, type Lang } from "../../domain/lang.ts";
import { type Config, loadConfig } from "../../config.ts";
import type { Database } from "../../db/database.ts";
import { NotAuthenticatedError } from "../../domain/errors.ts";
import { ensurePrivateDir } from "../../security/private_dir.ts";
import { resolveSecretKey } from "../../security/secret_key.ts";
import { databaseEntry, TokenStore } from "../../security/token_store.ts";
import { NULL_REPORTER, type Reporter, type ServiceContext } from "../../services/context.ts";
import type { Session, TokenSettings } from "../../services/session.ts";
import type { Io } from "./io.ts";
import type { OutputMode } from "../output/errors.ts";
import { clientEnv, refuseInServerMode } from "../remote/setting.ts";

/** State shared by the commands of one run. */
export class Runtime implements OutputMode {
  readonly io: Io;
  json: boolean;
  debug: boolean;
  /** Full name of the command being run, e.g. `client create`. */
  commandName = "";
  /** Receives business events (Sentry, logs); set up by run(). */
  reporter: Reporter = NULL_REPORTER;
  /**
   * Set by a command that handles SIGINT/SIGTERM itself (`serve` shuts down
   * gracefully): the run then does not cancel it on the first signal.
   */
  handlesInterrupt = false;
  /** The authenticated user of this run, once known (for the log line). */
  userId: number | null = null;
  #config?: Config;
  #db?: Database;

  /** `--format` as typed, if given (`--json` is short for `--format json`). */
  format?: string;

  /** `--wide`: tables as wide as their content instead of fitting the terminal. */
  wide: boolean;

  /** The language people read in this run (`--lang`, `EPIC_EVENTS_LANG`, the locale); set by run(). */
  lang: Lang = DEFAULT_LANG;

  constructor(io: Io, argv: readonly string[]) {
    this.io = io;
    const flags = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : argv.length);
    const at = flags.findIndex((flag) => flag === "--format" || flag.startsWith("--format="));
    this.format = at < 0 ? undefined : flags[at].startsWith("--format=") ? flags[at].slice(9) : flags[at + 1];
    // Errors are JSON too when the output is.
    this.json = flags.includes("--json") || this.format?.trim().toLowerCase() === "json";
    this.debug = flags.includes("--debug");
    this.wide = flags.includes("--wide");
  }

  /** The validated configuration (exit 2 naming a bad variable). */
  config(): Config {
    return this.#config ??= loadConfig(clientEnv(this.io.env, this.io.cwd), this.io.cwd);
  }

  /**
   * The database, without the pending-migration check (for `migrate`). The
   * default SQLite file's folder is created 0700 (or refused when it is a
   * file or another user's shared folder); an unreachable or unopenable
   * database is exit 7.
   */
  async rawDatabase(): Promise<Database> {
    if (this.#db) return this.#db;
    refuseInServerMode(this);
    const config = this.config();
    if (config.database.kind === "sqlite" && config.database.isDefault) {
      ensurePrivateDir(config.dataDir, { variable: "EPIC_EVENTS_DATA_DIR" });
    }
    const { connect } = await import("../../db/connect.ts");
    return this.#db ??= await connect(config.database, { connectTimeoutSeconds: config.connectTimeoutSeconds });
  }

  /** The database, refusing one with pending or edited migrations (exit 6). */
  async database(): Promise<Database> {
    const db = await this.rawDatabase();
    const [{ assertUpToDate }, { MIGRATIONS }] = await Promise.all([
      import("../../db/migrator.ts"),
      import("../../../migrations/mod.ts"),
    ]);
    await assertUpToDate(db, MIGRATIONS);
    return db;
  }

  /** Where the token of this database is kept (its own entry: it is read for no other database). */
  tokenStore(): TokenStore {
    const config = this.config();
    return new TokenStore(config.configDir, () => databaseEntry(config.database));
  }

  /** How tokens are signed (exit 2 if SECRET_KEY is missing for PostgreSQL). */
  tokenSettings(): TokenSettings {
    const config = this.config();
    return { secret: resolveSecretKey(config), lifetimeMinutes: config.tokenLifetimeMinutes };
  }

  /** A service context without an acting user (init, login). */
  async anonymousContext(): Promise<ServiceContext> {
    return this.#context(await this.database(), null);
  }

  #context(db: Database, actor: ServiceContext["actor"]): ServiceContext {
    return {
      db,
      actor,
      now: () => new Date(),
      reporter: this.reporter,
      bcryptRounds: this.config().bcryptRounds,
      lang: this.lang,
      timeZone: this.config().timeZone,
    };
  }

  /** The token of this run and where it came from, or null. */
  async #token(): Promise<{ token: string; legacy: boolean } | null> {
    const override = this.config().tokenOverride;
    if (override) return { token: override, legacy: false };
    const store = this.tokenStore();
    const token = await store.read();
    if (token !== null) return { token, legacy: false };
    // The token of an older version, whose database was not written down: a
    // candidate only, moved into this database's entry once it verifies here.
    const legacy = await store.readLegacy();
    return legacy === null ? null : { token: legacy, legacy: true };
  }

  /** The stored (or `EPIC_EVENTS_TOKEN`) token, or null. */
  async currentToken(): Promise<string | null> {
    return (await this.#token())?.token ?? null;
  }

  /**
   * Verifies the token and loads its user from the database (exit 3 when
   * missing, expired, tampered, revoked, deleted, or of another database).
   */
  async session(): Promise<{ ctx: ServiceContext; session: Session; token: string }> {
    const found = await this.#token();
    if (!found) throw new NotAuthenticatedError();
    const { secret } = this.tokenSettings();
    const db = await this.database();
    const { authenticate } = await import("../../services/session.ts");
    const session = await authenticate({ db, now: () => new Date() }, found.token, secret);
    // Signed with this key, issued by this database (its identity), not revoked: it is this database's token.
    if (found.legacy) await this.tokenStore().adoptLegacy(found.token);
    this.userId = session.actor.id;
    return { ctx: this.#context(db, session.actor), session, token: found.token };
  }

  /** The service context of the logged-in user. */
  async context(): Promise<ServiceContext> {
    return (await this.session()).ctx;
  }

  /** Whether prompts may be shown (stdin is a terminal). */
  get interactive(): boolean {
    return this.io.stdinIsTerminal;
  }

  /** Closes what the run opened. */
  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (db) await db.close();
  }

  /**
   * Ends what is running (SIGINT, SIGTERM, Ctrl-C): statements in flight are
   * cancelled, an open transaction is rolled back, the connection is closed.
   */
  async abort(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (db) await db.abort();
  }
}
