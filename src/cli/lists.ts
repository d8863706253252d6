/**
 * Paging of lists: a terminal shows 100 rows by default and says how many
 * more there are; JSON and piped output return everything unless `--limit`.
 * @module
 */
import type { Page } from "../services/common.ts";
import { parseCount } from "./fields.ts";
import { type Column, printList } from "./output.ts";
import type { Runtime } from "./runtime.ts";

/** Rows a terminal shows when no `--limit` is given. */
export const TERMINAL_PAGE = 100;

/** Fetches and prints one page of a list. */
export async function showList<T>(
  rt: Runtime,
  paging: { limit?: string; offset?: string },
  fetch: (page: { limit?: number; offset?: number }) => Promise<Page<T>>,
  columns: readonly Column<T>[],
  json: (row: T) => unknown,
): Promise<void> {
  const offset = parseCount(paging.offset, "offset");
  let limit = parseCount(paging.limit, "limit");
  const terminalDefault = limit === undefined && !rt.json && rt.io.stdoutIsTerminal;
  if (terminalDefault) limit = TERMINAL_PAGE;
  const page = await fetch({ limit, offset });
  const shownUpTo = (offset ?? 0) + page.rows.length;
  const more = page.total - shownUpTo;
  const footer = rt.io.stdoutIsTerminal && more > 0 && page.rows.length > 0
    ? `Showing ${page.rows.length} of ${page.total}; ${more} more (use --offset ${shownUpTo}${
      terminalDefault ? " or --limit" : ""
    }).`
    : undefined;
  await printList(rt.io, rt, page.rows, columns, { json, footer });
}
