/**
 * Lists: the `--limit`/`--offset` flags every list takes, and the one list
 * printer. A table shows 100 rows unless `--limit` says otherwise; JSON, CSV
 * and TSV return every row unless `--limit`. Whether more rows exist is
 * learnt by asking for one row more than is shown — no count of every row —
 * and the footer says how to see them (`--offset N`).
 * @module
 */
import type { Paging } from "../../port/crm.ts";
import { type FlagDef, outputFormat, resolveFormat, text, type VerbInput } from "../verbs/verb.ts";
import type { Format } from "./formats.ts";
import { type Column, type PrintDeps, printTable, streamJson, streamRows } from "./print.ts";
import { readWhole, valueOf } from "../input/values.ts";
import { t } from "../../i18n/mod.ts";

/** Rows a table shows when no `--limit` is given. */
export const TABLE_PAGE = 100;

/** `--limit` and `--offset` (their help as message keys). */
export const LIST_FLAGS: readonly FlagDef[] = [
  { flag: "--limit", arg: "n", help: "cli.list.limit", helpValues: { page: TABLE_PAGE }, field: "limit" },
  { flag: "--offset", arg: "n", help: "cli.list.offset", field: "offset" },
];

/** Paging and format of a list. */
export interface ListOptions extends Paging {
  format?: Format;
}

/**
 * Reads `--limit` (1 or more), `--offset` (0 or more) and the output format.
 * `--limit 0`, `--limit -1` and `--limit x` all say `--limit: must be a whole
 * number, 1 or more`.
 */
export function parseList(input: VerbInput): ListOptions {
  const limit = text(input, "--limit");
  const offset = text(input, "--offset");
  return {
    limit: limit === undefined ? undefined : valueOf<number>(readWhole(limit, 1), "--limit", "limit"),
    offset: offset === undefined ? undefined : valueOf<number>(readWhole(offset, 0), "--offset", "offset"),
    format: outputFormat(input),
  };
}

/** The footer under a table page that is followed by more rows. */
export function moreRowsFooter(page: { offset: number; shown: number; defaultLimit: boolean }): string {
  const values = { first: page.offset + 1, last: page.offset + page.shown, page: TABLE_PAGE };
  return t(page.defaultLimit ? "tables.morePageDefault" : "tables.morePage", values);
}

/**
 * Fetches and prints a list in the format asked for. `fetchJson`, when
 * given, fetches the same rows for JSON as the text of their elements where
 * the database builds it (`Crm.listJson`; undefined: it does not).
 */
export async function printList<R>(
  deps: PrintDeps,
  columns: readonly Column<R>[],
  options: ListOptions,
  fetch: (page: Paging) => Promise<AsyncIterable<R>>,
  fetchJson?: (page: Paging) => Promise<AsyncIterable<Uint8Array | R> | undefined>,
): Promise<void> {
  const format = resolveFormat(options.format, deps.io);
  const texts = format === "json" && fetchJson
    ? await fetchJson({ limit: options.limit, offset: options.offset, display: false })
    : undefined;
  if (texts) {
    await streamJson(deps.io, texts);
    return;
  }
  if (format !== "table") {
    // JSON prints no display names: the list need not look them up.
    const display = format !== "json";
    await streamRows(deps.io, columns, format, await fetch({ limit: options.limit, offset: options.offset, display }));
    return;
  }
  const limit = options.limit ?? TABLE_PAGE;
  const rows: R[] = [];
  let more = false;
  for await (const row of await fetch({ limit: limit + 1, offset: options.offset })) {
    if (rows.length === limit) {
      more = true;
      break;
    }
    rows.push(row);
  }
  const footer = more
    ? moreRowsFooter({ offset: options.offset ?? 0, shown: rows.length, defaultLimit: options.limit === undefined })
    : undefined;
  await printTable(deps, columns, rows, footer);
}
