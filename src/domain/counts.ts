/**
 * Row counts by table, as backups and restores report them.
 * @module
 */

/** Rows by table name (`{ users: 3, clients: 2 }`). */
export type TableCounts = Record<string, number>;

/** `3 users, 2 clients` (tables with rows only), or `no rows`. */
export function describeCounts(counts: TableCounts): string {
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([table, n]) => `${n} ${table}`);
  return parts.length > 0 ? parts.join(", ") : "no rows";
}
