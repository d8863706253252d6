/**
 * A crew of collaborators of each role, each with their own logged-in CLI.
 * @module
 */
import assert from "node:assert/strict";
import type { Backend } from "./backends.ts";
import type { CliResult, RunOptions } from "./cli.ts";

/** One logged-in collaborator. */
export interface Person {
  id: number;
  email: string;
  password: string;
  role: "MANAGEMENT" | "SALES" | "SUPPORT";
  /** Environment of this person's CLI (own config dir, so own token). */
  env: Record<string, string>;
  /** Runs the CLI as this person. */
  cli(args: string[], options?: RunOptions): Promise<CliResult>;
}

/** Everyone a test needs. */
export interface Crew {
  manager: Person;
  sales: Person;
  sales2: Person;
  support: Person;
  support2: Person;
}

/** The password every fixture user has. */
export const PASSWORD = "correct horse battery";

/** Runs `args` and fails the test unless it exits 0; returns parsed JSON when --json. */
export async function ok<T = Record<string, unknown>>(
  run: Promise<CliResult>,
): Promise<T> {
  const result = await run;
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.stdout.trim().startsWith("{") || result.stdout.trim().startsWith("[")
    ? result.json<T>()
    : (undefined as T);
}

/** Logs `email` in with its own config dir and returns a Person. */
export async function loginAs(
  b: Backend,
  person: { id: number; email: string; role: Person["role"]; password?: string },
): Promise<Person> {
  const password = person.password ?? PASSWORD;
  const env = { ...b.env, EPIC_EVENTS_CONFIG_DIR: `${b.dir}/config-${person.id}` };
  const cli = (args: string[], options: RunOptions = {}) =>
    b.cli(args, { ...options, env: { ...env, ...options.env } });
  await ok(cli(["login", "--email", person.email, "--password-stdin"], { stdin: password }));
  return { ...person, password, env, cli };
}

/** Runs `init` (which migrates) and returns the first manager, logged in. */
export async function initManager(b: Backend): Promise<Person> {
  const created = await ok<{ id: number; email: string }>(
    b.cli(
      [
        "init",
        "--email",
        "ada@epic.test",
        "--first-name",
        "Ada",
        "--last-name",
        "Lovelace",
        "--password-stdin",
        "--json",
      ],
      { stdin: PASSWORD + "\n" },
    ),
  );
  return await loginAs(b, { id: created.id, email: created.email, role: "MANAGEMENT" });
}

/** Creates a collaborator as `manager` and logs them in. */
export async function addPerson(
  manager: Person,
  b: Backend,
  fields: { first: string; last: string; email: string; role: Person["role"] },
): Promise<Person> {
  const created = await ok<{ id: number; email: string }>(manager.cli([
    "user",
    "create",
    "--first-name",
    fields.first,
    "--last-name",
    fields.last,
    "--email",
    fields.email,
    "--role",
    fields.role,
    "--password-stdin",
    "--json",
  ], { stdin: PASSWORD }));
  return await loginAs(b, { id: created.id, email: created.email, role: fields.role });
}

/** A manager, two sales and two support collaborators, all logged in. */
export async function setupCrew(b: Backend): Promise<Crew> {
  const manager = await initManager(b);
  const sales = await addPerson(manager, b, { first: "Sam", last: "Seller", email: "sam@epic.test", role: "SALES" });
  const sales2 = await addPerson(manager, b, { first: "Sue", last: "Vendor", email: "sue@epic.test", role: "SALES" });
  const support = await addPerson(manager, b, {
    first: "Tom",
    last: "Helper",
    email: "tom@epic.test",
    role: "SUPPORT",
  });
  const support2 = await addPerson(manager, b, {
    first: "Tess",
    last: "Aide",
    email: "tess@epic.test",
    role: "SUPPORT",
  });
  return { manager, sales, sales2, support, support2 };
}
