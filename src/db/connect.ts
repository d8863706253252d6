/**
 * Opens the database named by the configuration. Each driver is imported only
 * when its URL is used, so `--help` loads none and SQLite never loads postgres.js.
 * @module
 */
import type { DatabaseTarget } from "../config.ts";
import type { Database } from "./database.ts";

/** Connects to the database of `target`. */
export async function connect(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "sqlite") {
    const { SqliteDatabase } = await import("./sqlite.ts");
    return new SqliteDatabase(target.path);
  }
  const { PostgresDatabase } = await import("./postgres.ts");
  return new PostgresDatabase(target.url);
}
