/**
 * Unit tests of the operator commands (`init`, `migrate`, `backup`) without
 * a database: a fake {@link Operator} recording its calls, with in-memory
 * streams and scripted answers to prompts.
 * @module
 */
import type { OperatorDeps } from "../../src/cli/operator/deps.ts";
import type { MigrationName, Operator } from "../../src/port/operator.ts";
import { type Answer, type Call, fakeCrm, type TestDeps, testDeps } from "./commands.ts";

/** The migrations a fake operator knows. */
export const KNOWN: readonly MigrationName[] = [
  { version: "0001", name: "initial_schema" },
  { version: "0002", name: "auth_sessions" },
  { version: "0003", name: "audit_log" },
];

/** A fake operator: the given methods (and `migrations()` → {@link KNOWN}), every call recorded. */
export function fakeOperator(methods: Partial<Operator>): Operator & { calls: Call[] } {
  // The same recording proxy as the fake Crm: any method not given throws.
  return fakeCrm({ migrations: () => KNOWN, ...methods } as never) as unknown as Operator & { calls: Call[] };
}

/** Dependencies of an operator command under test. */
export type TestOperatorDeps = OperatorDeps & Omit<TestDeps, "crm"> & { operator: Operator & { calls: Call[] } };

/** Dependencies with `operator`, in-memory streams (a terminal with `terminal`) and scripted answers. */
export function testOperatorDeps(
  operator: Operator & { calls: Call[] },
  options: { terminal?: boolean; answers?: Answer[]; stdin?: string } = {},
): TestOperatorDeps {
  const { crm: _crm, ...rest } = testDeps(fakeCrm({}), options);
  return { ...rest, operator };
}
