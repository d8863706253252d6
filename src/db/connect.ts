/**
 * Opens the database named by the configuration. Each driver is imported only
 * when its URL is used, so `--help` loads none and SQLite never loads postgres.js.
 * @module
 */
import type { DatabaseTarget } from "../config.ts";
import type { Database } from "./database.ts";
import { labelOf } from "./unavailable.ts";

/** How to connect. */
export interface ConnectOptions {
  /** PostgreSQL: seconds before an unreachable server is exit 7 (`DATABASE_CONNECT_TIMEOUT`, default 10). */
  connectTimeoutSeconds?: number;
}

/**
 * Connects to the database of `target`. A database that cannot be reached or
 * opened is an `UnavailableError` (exit 7) naming `DATABASE_URL`, the host:port
 * or file, and the cause; PostgreSQL reports it on the first statement.
 */
export async function connect(target: DatabaseTarget, options: ConnectOptions = {}): Promise<Database> {
  const label = labelOf(target, options.connectTimeoutSeconds);
  if (target.kind === "sqlite") {
    const { SqliteDatabase } = await import("./sqlite.ts");
    return new SqliteDatabase(target.path, { label, ownFile: target.isDefault });
  }
  const { PostgresDatabase } = await import("./postgres.ts");
  return new PostgresDatabase(target.url, { label, connectTimeoutSeconds: options.connectTimeoutSeconds });
}
