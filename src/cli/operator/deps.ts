/**
 * What the operator commands (`init`, `migrate`, `backup`) run with: the
 * {@link Operator} port instead of the CRM's, and the same streams, clock
 * and prompts as every command; and their printer of short lists, which
 * never pages. The runtime's dependencies (the port on this machine's
 * database) are in `runtime.ts`, loaded only when a command runs.
 * @module
 */
import type { Operator } from "../../port/operator.ts";
import { type Clock, type Prompter, resolveFormat } from "../verbs/verb.ts";
import type { Format } from "../output/formats.ts";
import type { Io } from "../app/io.ts";
import { type Column, type PrintDeps, printTable, streamRows } from "../output/print.ts";

/** What an operator command's run function is given. */
export interface OperatorDeps {
  io: Io;
  /** `--wide`: tables as wide as their content. */
  wide?: boolean;
  operator: Operator;
  clock: Clock;
  prompter: Prompter;
}

async function* each<R>(rows: readonly R[]): AsyncGenerator<R> {
  yield* rows;
}

/** Prints every row in the format asked for (a table on a terminal, TSV when piped), without paging. */
export async function printRows<R>(
  deps: PrintDeps,
  columns: readonly Column<R>[],
  format: Format | undefined,
  rows: readonly R[],
): Promise<void> {
  const resolved = resolveFormat(format, deps.io);
  if (resolved === "table") await printTable(deps, columns, rows);
  else await streamRows(deps.io, columns, resolved, each(rows));
}

/** Variables every operator command reads. */
export const OPERATOR_ENV: readonly string[] = ["DATABASE_URL", "EPIC_EVENTS_DATA_DIR", "DATABASE_CONNECT_TIMEOUT"];
