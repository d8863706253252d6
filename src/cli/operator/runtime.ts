/**
 * The dependencies of an operator command (`init`, `migrate`, `backup`) when
 * it really runs: the {@link LocalOperator} port on this machine's database.
 * Imported by the program only when such a command is about to run, so that
 * `--help` and the other commands never load the migrator, the backup code or
 * the services behind them.
 * @module
 */
import { LocalOperator } from "../../port/operator_local.ts";
import type { OperatorDeps } from "./deps.ts";
import { runtimeClock, runtimePrompter } from "../app/deps.ts";
import type { Runtime } from "../app/runtime.ts";
import { refuseInServerMode } from "../remote/mode.ts";

/** The dependencies of an operator command run on this machine's database. */
export function runtimeOperatorDeps(rt: Runtime, programVersion: string): OperatorDeps {
  // Operator commands run where DATABASE_URL is, never through a server: in
  // server mode they are refused before asking or reading anything.
  refuseInServerMode(rt);
  return {
    io: rt.io,
    wide: rt.wide,
    operator: new LocalOperator(rt, programVersion),
    clock: runtimeClock(rt),
    prompter: runtimePrompter(rt),
  };
}
