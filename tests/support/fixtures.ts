/**
 * Fixtures: a crew of collaborators of each role, each with their own
 * logged-in CLI, and entity builders that make users, clients, contracts
 * (signed or not) and events through the services — validated, authorised and
 * audited exactly as a command would — instead of raw SQL or long CLI setups.
 *
 * ```ts
 * const { manager, sales, support, build } = await setupCrew(b);
 * const client = await build.client(sales);
 * const contract = await build.contract(client, { signed: true });
 * const event = await build.event(contract, { support });
 * await build.as(sales).contract(client); // audited as sales's own action
 * ```
 * @module
 */
import assert from "node:assert/strict";
import { MIGRATIONS } from "../../migrations/mod.ts";
import type { Database } from "../../src/db/database.ts";
import { migrateUp } from "../../src/db/migrator.ts";
import type { Role } from "../../src/domain/roles.ts";
import type {
  ClientCreateInput,
  ClientRecord,
  ContractCreateInput,
  ContractRecord,
  EventCreateInput,
  EventRecord,
  UserCreateInput,
  UserRecord,
} from "../../src/contract/mod.ts";
import { createClient } from "../../src/services/clients.ts";
import { type Actor, NULL_REPORTER, type ServiceContext } from "../../src/services/context.ts";
import { createContract, signContract } from "../../src/services/contracts.ts";
import { createEvent } from "../../src/services/events.ts";
import { createFirstManager, createUser, type FirstManagerInput } from "../../src/services/users.ts";
import type { Backend } from "./backends.ts";
import type { CliResult, RunOptions } from "./cli.ts";

/** One logged-in collaborator. */
export interface Person {
  id: number;
  email: string;
  password: string;
  role: Role;
  /** Environment of this person's CLI (own config dir, so own token). */
  env: Record<string, string>;
  /** Runs the CLI as this person. */
  cli(args: string[], options?: RunOptions): Promise<CliResult>;
}

/** Everyone a test needs, and builders acting as the manager. */
export interface Crew {
  manager: Person;
  sales: Person;
  sales2: Person;
  support: Person;
  support2: Person;
  /** Entity builders acting as `manager` (see {@link Builders.as} for someone else). */
  build: Builders;
}

/** The password every fixture user has. */
export const PASSWORD = "correct horse battery";

/** bcrypt cost of fixture passwords (the backends' `BCRYPT_ROUNDS`). */
const BCRYPT_ROUNDS = 4;

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

/** Creates a collaborator as `manager` (through the service) and logs them in. */
export async function addPerson(
  manager: Person,
  b: Backend,
  fields: { first: string; last: string; email: string; role: Person["role"] },
): Promise<Person> {
  const user = await (await builders(b, manager)).user(fields.role, {
    first_name: fields.first,
    last_name: fields.last,
    email: fields.email,
  });
  return await loginAs(b, user);
}

/** A manager, two sales and two support collaborators, all logged in, and builders. */
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
  return { manager, sales, sales2, support, support2, build: await builders(b, manager) };
}

// ---------------------------------------------------------------------------
// Entity builders, through the services

/** Who acts: a {@link Person}, a built {@link User}, or any actor. */
export type ActorLike = Pick<Actor, "id" | "email" | "role">;

/** A service context acting as `actor` (null: nobody) on `db`: real clock, no reporter, fast bcrypt. */
export function serviceContext(
  db: Database,
  actor: ActorLike | null,
  options: { now?: () => Date; timeZone?: string } = {},
): ServiceContext {
  return {
    db,
    actor: actor && { id: actor.id, email: actor.email, role: actor.role },
    now: options.now ?? (() => new Date()),
    reporter: NULL_REPORTER,
    bcryptRounds: BCRYPT_ROUNDS,
    timeZone: options.timeZone,
  };
}

/** Makes records through the services as one collaborator. */
export interface Builders {
  /** The connection the builders write through (shared by the test's builders; closed with the backend). */
  readonly db: Database;
  /** Who the records are made by (the audit trail's actor). */
  readonly actor: ActorLike;
  /** The same builders acting as `actor` (their permissions apply). */
  as(actor: ActorLike): Builders;
  /** A collaborator of `role` with password {@link PASSWORD} (unless `fields.password`); not logged in. */
  user(role: Role, fields?: Partial<UserCreateInput> & { password?: string }): Promise<UserRecord>;
  /** A client whose sales contact is `salesContact`. */
  client(salesContact: { id: number }, fields?: Partial<ClientCreateInput>): Promise<ClientRecord>;
  /** A contract of `client` (total 1000.00 unless given), signed when `signed`. */
  contract(
    client: { id: number },
    options?: Partial<Omit<ContractCreateInput, "client_id">> & { signed?: boolean },
  ): Promise<ContractRecord>;
  /**
   * An event of the signed `contract` (June 2027, Paris, 75 attendees unless
   * given), supported by `support` (a MANAGEMENT builder only) or unassigned.
   */
  event(
    contract: { id: number },
    options?: Partial<Omit<EventCreateInput, "contract_id" | "support_contact_id">> & { support?: { id: number } },
  ): Promise<EventRecord>;
}

let made = 0;

/** One connection per backend for every builder of a test. */
const connections = new WeakMap<Backend, Promise<Database>>();

function connection(b: Backend): Promise<Database> {
  let db = connections.get(b);
  if (db === undefined) {
    db = b.db();
    connections.set(b, db);
  }
  return db;
}

function buildersOn(db: Database, actor: ActorLike): Builders {
  const ctx = serviceContext(db, actor);
  return {
    db,
    actor,
    as: (other) => buildersOn(db, other),
    async user(role, fields = {}) {
      const n = ++made;
      const { password = PASSWORD, ...rest } = fields;
      return await createUser(ctx, {
        first_name: "Fixture",
        last_name: `${role.toLowerCase()} ${n}`,
        email: `${role.toLowerCase()}${n}@fixtures.test`,
        role,
        ...rest,
        password,
      });
    },
    async client(salesContact, fields = {}) {
      const n = ++made;
      return await createClient(ctx, {
        full_name: `Client Number${n}`,
        email: `client${n}@fixtures.test`,
        phone: "+33 6 12 34 56 78",
        company_name: `Corp ${n}`,
        sales_contact_id: salesContact.id,
        ...fields,
      });
    },
    async contract(client, options = {}) {
      const { signed = false, ...fields } = options;
      const contract = await createContract(ctx, { client_id: client.id, total_amount: "1000.00", ...fields });
      if (!signed) return contract;
      return (await signContract(ctx, { id: contract.id })).contract;
    },
    async event(contract, options = {}) {
      const { support, ...fields } = options;
      return await createEvent(ctx, {
        contract_id: contract.id,
        name: "Launch party",
        client_contact: "Kate",
        start_date: "2027-06-04T11:00:00Z",
        end_date: "2027-06-04T20:00:00Z",
        location: "Paris",
        attendees: 75,
        ...(support ? { support_contact_id: support.id } : {}),
        ...fields,
      });
    },
  };
}

/** Builders acting as `actor` on the backend's database (migrated by `init` or {@link firstManager}). */
export async function builders(b: Backend, actor: ActorLike): Promise<Builders> {
  return buildersOn(await connection(b), actor);
}

/**
 * Migrates the backend's database and creates its first manager through the
 * services (what `init` does, without the CLI); not logged in.
 */
export async function firstManager(b: Backend, fields: Partial<FirstManagerInput> = {}): Promise<UserRecord> {
  const db = await connection(b);
  await migrateUp(db, { migrations: MIGRATIONS });
  return await createFirstManager(serviceContext(db, null), {
    first_name: "Ada",
    last_name: "Lovelace",
    email: "ada@epic.test",
    ...fields,
  }, PASSWORD);
}
