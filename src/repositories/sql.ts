/**
 * Small helpers shared by the repositories. Column names come from fixed
 * whitelists in the repositories, never from user input; values are always
 * bound as parameters.
 * @module
 */
import type { Queryable, SqlValue } from "../db/database.ts";

/** Runs `UPDATE table SET col = $n, … WHERE id = $k` for the given columns. */
export async function updateColumns(
  db: Queryable,
  table: string,
  id: number,
  changes: Readonly<Record<string, SqlValue | undefined>>,
): Promise<number> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [string, SqlValue][];
  if (entries.length === 0) return 0;
  const sets = entries.map(([column], i) => `${column} = $${i + 1}`).join(", ");
  const result = await db.execute(
    `UPDATE ${table} SET ${sets} WHERE id = $${entries.length + 1}`,
    [...entries.map(([, v]) => v), id],
  );
  return result.changes;
}

/** Appends `LIMIT/OFFSET` with bound parameters to `params`, returning the SQL text. */
export function pageClause(page: { limit?: number; offset?: number }, params: SqlValue[]): string {
  if (page.limit === undefined && !page.offset) return "";
  // An offset needs a limit in SQLite: "no limit" is the largest safe integer.
  params.push(page.limit ?? Number.MAX_SAFE_INTEGER, page.offset ?? 0);
  return ` LIMIT $${params.length - 1} OFFSET $${params.length}`;
}
