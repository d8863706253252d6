/**
 * What the operator commands (`init`, `migrate`, `backup`) run with: the
 * {@link Operator} port instead of the CRM's, and the same streams, clock
 * and prompts as every command; and their printer of short lists, which
 * never pages.
 * @module
 */
import type { Operator } from "../port/operator.ts";
import { LocalOperator } from "../port/operator_local.ts";
import { type Clock, type Prompter, resolveFormat } from "./command.ts";
import type { Format } from "./format.ts";
import type { Io } from "./io.ts";
import { type Column, type PrintDeps, printTable, streamRows } from "./print.ts";
import { runtimeClock, runtimePrompter } from "./prompter.ts";
import type { Runtime } from "./runtime.ts";
import { refuseInServerMode } from "./server_mode.ts";

/** What an operator command's run function is given. */
export interface OperatorDeps {
  io: Io;
  operator: Operator;
  clock: Clock;
  prompter: Prompter;
}

/** The dependencies of an operator command run on this machine's database. */
export function runtimeOperatorDeps(rt: Runtime, programVersion: string): OperatorDeps {
  // Operator commands run where DATABASE_URL is, never through a server: in
  // server mode they are refused before asking or reading anything.
  refuseInServerMode(rt);
  return {
    io: rt.io,
    operator: new LocalOperator(rt, programVersion),
    clock: runtimeClock(rt),
    prompter: runtimePrompter(rt),
  };
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
