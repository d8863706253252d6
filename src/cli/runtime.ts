/**
 * Per-run state of the CLI: the injected IO, global flags, and the lazily
 * loaded configuration and database connection.
 * @module
 */
import { type Config, loadConfig } from "../config.ts";
import { connect } from "../db/connect.ts";
import type { Database } from "../db/database.ts";
import { assertUpToDate } from "../db/migrator.ts";
import type { Io } from "./io.ts";
import type { OutputMode } from "./output.ts";

/** State shared by the commands of one run. */
export class Runtime implements OutputMode {
  readonly io: Io;
  json: boolean;
  debug: boolean;
  /** Full name of the command being run, e.g. `client create`. */
  commandName = "";
  #config?: Config;
  #db?: Database;

  constructor(io: Io, argv: readonly string[]) {
    this.io = io;
    const flags = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : argv.length);
    this.json = flags.includes("--json");
    this.debug = flags.includes("--debug");
  }

  /** The validated configuration (exit 2 naming a bad variable). */
  config(): Config {
    return this.#config ??= loadConfig(this.io.env, this.io.cwd);
  }

  /** The database, without the pending-migration check (for `migrate`). */
  async rawDatabase(): Promise<Database> {
    return this.#db ??= await connect(this.config().database);
  }

  /** The database, refusing one with pending or edited migrations (exit 6). */
  async database(): Promise<Database> {
    const db = await this.rawDatabase();
    await assertUpToDate(db);
    return db;
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
}
