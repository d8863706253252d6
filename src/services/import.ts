/**
 * Imports: many clients, contracts or events from the rows of a file (see
 * `src/import/`), all or nothing. Every row goes through the rules of the
 * single create (`newClientRow`, `newContractRow`, `newEventRow`: the same
 * schemas, permissions and audit entries) and, for a row whose natural key
 * exists and `onConflict: "update"`, through the update use case itself.
 *
 * - One transaction for the whole file, rolled back when any line is wrong
 *   or on a dry run: nothing is half-written. It is not run again on a
 *   deadlock (the rows are a stream, read once): the error is returned.
 * - Every line's problems are collected (the first {@link MAX_REPORTED_ERRORS}
 *   kept, the rest counted), and valid rows are still written meanwhile, so
 *   that a later duplicate of them is found too.
 * - Rows go in batches: one query finds a batch's existing records, one
 *   writes its audit entries; the file is never held, only per-batch rows
 *   and small per-file state (the ids this import created, as runs; for
 *   contracts, a count per client).
 * - Locks as for single creates (docs/concurrency.md): every collaborator
 *   share-locked first, in id order (any row may name any of them), then per
 *   batch the clients and contracts rows refer to, share-locked in id order.
 *
 * Natural keys: a client's email; a contract's client and creation order
 * (`contract_number`, 1 for the client's first contract; without the column,
 * the n-th row of a client in the file is its n-th contract); an event's
 * contract, name and start.
 * @module
 */
import { AppError, type ErrorCode, InvalidInputError } from "../domain/errors.ts";
import { authorize, roleName } from "../domain/policy.ts";
import type { Role } from "../domain/roles.ts";
import { clientCreateSchema } from "../contract/clients.ts";
import { contractCreateSchema } from "../contract/contracts.ts";
import { eventCreateSchema } from "../contract/events.ts";
import {
  IMPORT_REFERENCE_KEYS,
  type ImportReferences,
  importReferencesSchema,
  inputIssues,
  parseInput,
} from "../domain/schemas/mod.ts";
import type { Queryable } from "../db/database.ts";
import { type ImportEntity, ImportFileError, type LineError, type ParsedRow, readImport } from "../import/mod.ts";
import { importParamsSchema, importQuerySchema } from "../contract/dayone.ts";
import type { InputOf, OutputOf } from "../contract/operations.ts";
import {
  type ClientKey,
  findClientsByEmails,
  findClientsByNames,
  insertClients,
  lockClientsShared,
} from "../repositories/clients.ts";
import {
  clientsOfContracts,
  contractIdsByClient,
  type ContractKey,
  insertContract,
  lockContractsShared,
} from "../repositories/contracts.ts";
import { type EventKey, eventKeysByContract, insertEvent } from "../repositories/events.ts";
import { lockAllUsersShared, type User } from "../repositories/users.ts";
import { type AuditNote, recordAudits } from "./audit.ts";
import { clientCreatedAudit, getClient, newClientRow, updateClient } from "./clients.ts";
import { checkUserRole, constraintError } from "./common.ts";
import { type Actor, NULL_REPORTER, type ServiceContext } from "./context.ts";
import { contractCreatedAudit, getContract, newContractRow, updateContract } from "./contracts.ts";
import { joined } from "./dry_run.ts";
import { assignEvent, eventCreatedAudit, getEvent, newEventRow, updateEvent } from "./events.ts";
import { requireActor } from "./session.ts";
import { english, type Message, msg } from "../domain/messages.ts";
import { messageText } from "../i18n/errors.ts";

/** What `importFile` takes besides the file: the API's path and query together. */
const importInputSchema = importParamsSchema.extend(importQuerySchema.shape);

/** What to do with a row whose natural key already exists. */
export const ON_CONFLICT = ["fail", "skip", "update"] as const;

/** `fail` (the line is an error), `skip` (left as it is) or `update` (changed as `update` would). */
export type OnConflict = typeof ON_CONFLICT[number];

/** Line errors kept in a result; beyond, they are only counted. */
export const MAX_REPORTED_ERRORS = 100;

/** Rows handled together: one query finds their existing records, one writes their audit entries. */
export const IMPORT_BATCH = 500;

/** Options of {@link importRecords}. */
export interface ImportOptions {
  /** Check everything, write nothing. */
  dryRun?: boolean;
  /** Rows whose natural key exists (default `fail`). */
  onConflict?: OnConflict;
  /** Told the number of rows read so far, after each batch. */
  onProgress?: (rows: number) => void;
}

/** What an import did (or, on a dry run or with errors, would have done: nothing was written then). */
export interface ImportResult {
  entity: ImportEntity;
  /** Records created. */
  created: number;
  /** Existing records changed (`update`). */
  updated: number;
  /** Existing records left as they were: `skip`, or `update` with nothing different. */
  skipped: number;
  /** The first {@link MAX_REPORTED_ERRORS} line errors, in line order. */
  errors: LineError[];
  /** Every line error, including those not kept. */
  errorCount: number;
  /** Whether it was a dry run. */
  dryRun: boolean;
  /** Whether the changes were committed (no error, not a dry run). */
  committed: boolean;
}

/** Line errors, the first ones kept. */
class ErrorList {
  readonly kept: LineError[] = [];
  count = 0;

  add(line: number, error: { field?: string; code?: ErrorCode; message: Message | string; text?: Message }): void {
    this.count++;
    if (this.kept.length < MAX_REPORTED_ERRORS) {
      const { message } = error;
      const text = typeof message === "string" ? error.text : message;
      this.kept.push({
        line,
        field: error.field,
        code: error.code ?? "invalid_input",
        message: typeof message === "string" ? message : english(message),
        ...(text ? { text } : {}),
      });
    }
  }
}

/** Ids this import created, as runs of consecutive ids (ids from one sequence grow). */
class IdRuns {
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];

  add(id: number): void {
    const last = this.#ends.length - 1;
    if (last >= 0 && id === this.#ends[last] + 1) this.#ends[last] = id;
    else if (last < 0 || id > this.#ends[last]) {
      this.#starts.push(id);
      this.#ends.push(id);
    } else {
      const at = this.#find(id);
      this.#starts.splice(at + 1, 0, id);
      this.#ends.splice(at + 1, 0, id);
    }
  }

  /** The index of the last run starting at or before `id`, or -1. */
  #find(id: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.#starts[mid] <= id) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  has(id: number): boolean {
    const at = this.#find(id);
    return at >= 0 && id <= this.#ends[at];
  }
}

/** `client_id: client 12 not found` (exit 5's kind, naming the column). */
function notFound(field: string, entity: "client" | "contract", id: number): AppError {
  return new AppError(
    "not_found",
    msg("errors.import.not_found", { field, entity: msg(`errors.entity.${entity}`), id }),
    {
      field,
    },
  );
}

/** Every collaborator, share-locked, by id, email and display name. */
class Directory {
  readonly byId: Map<number, User>;
  readonly #byEmail: Map<string, User>;
  readonly #byName = new Map<string, User[]>();

  constructor(users: readonly User[]) {
    this.byId = new Map(users.map((u) => [u.id, u]));
    this.#byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
    for (const user of users) {
      const name = `${user.first_name} ${user.last_name}`;
      this.#byName.set(name, [...this.#byName.get(name) ?? [], user]);
    }
  }

  /**
   * The collaborator a row names as its `prefix` (by id, email or `First
   * Last` display name among the `role` users), or undefined when it names
   * none. Names given together must agree.
   */
  resolve(refs: ImportReferences, prefix: "sales_contact" | "support_contact", role: Role): number | undefined {
    const found: { field: string; id: number }[] = [];
    const id = refs[`${prefix}_id`];
    if (id !== undefined) found.push({ field: `${prefix}_id`, id });
    const email = refs[`${prefix}_email`];
    if (email !== undefined) {
      const user = this.#byEmail.get(email);
      if (!user) {
        throw new InvalidInputError(msg("errors.import.no_email", { prefix, email }), `${prefix}_email`);
      }
      found.push({ field: `${prefix}_email`, id: user.id });
    }
    const name = refs[`${prefix}_name`];
    if (name !== undefined) {
      const named = (this.#byName.get(name) ?? []).filter((u) => u.role === role);
      if (named.length !== 1) {
        throw new InvalidInputError(
          named.length === 0
            ? msg("errors.import.no_name", { prefix, role: roleName(role), name })
            : msg("errors.import.many_names", { prefix, count: named.length, role: roleName(role), name }),
          `${prefix}_name`,
        );
      }
      found.push({ field: `${prefix}_name`, id: named[0].id });
    }
    const other = found.find((f) => f.id !== found[0].id);
    if (other) {
      throw new InvalidInputError(
        msg("errors.import.disagree", {
          field: other.field,
          id: other.id,
          first: found[0].field,
          firstId: found[0].id,
        }),
        other.field,
      );
    }
    return found[0]?.id;
  }
}

/** A row's own fields and its references, split and validated. */
interface Split {
  fields: Record<string, unknown>;
  refs: ImportReferences;
}

/** Splits `record` into the entity's fields and its references; the references' problems go to `problems`. */
function split(record: Record<string, unknown>, problems: AppError[]): Split {
  const fields: Record<string, unknown> = {};
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    // A reference of null (an unassigned event's support contact in `--json`) names nobody.
    if (IMPORT_REFERENCE_KEYS.includes(key)) {
      if (value !== null) given[key] = value;
    } else fields[key] = value;
  }
  const checked = inputIssues(importReferencesSchema, given);
  if (checked.ok) return { fields, refs: checked.data };
  problems.push(...checked.errors);
  return { fields, refs: {} };
}

/** One import's state: who, where, what to do with conflicts, and what happened so far. */
interface Job {
  ctx: ServiceContext;
  /** The context the update use cases run in: the import's transaction. */
  inner: ServiceContext;
  tx: Queryable;
  actor: Actor;
  users: Directory;
  onConflict: OnConflict;
  errors: ErrorList;
  result: Pick<ImportResult, "created" | "updated" | "skipped">;
  created: IdRuns;
  audits: AuditNote[];
}

/** A row ready for its batch: its line and what the entity made of it. */
type Ready<T> = { line: number } & T;

/** Adds `error` (a refusal of one row) to the job's errors; anything else is thrown. */
function refuse(job: Job, line: number, error: unknown): void {
  if (!(error instanceof AppError)) throw error;
  const text = error.text;
  job.errors.add(line, {
    field: error.field,
    code: error.code,
    message: error.message,
    ...(typeof text === "string" ? {} : { text }),
  });
}

/**
 * A row whose natural key exists: an error (`fail`), left alone (`skip`), or
 * changed by `update`, which reads it before and after (unchanged counts as
 * skipped). Refusals of the update become the line's errors.
 */
async function onExisting<R>(
  job: Job,
  line: number,
  conflict: { field: string; message: Message; read: () => Promise<R>; update: () => Promise<R> },
): Promise<void> {
  if (job.onConflict === "skip") {
    job.result.skipped++;
    return;
  }
  if (job.onConflict === "fail") {
    job.errors.add(line, { field: conflict.field, code: "conflict", message: conflict.message });
    return;
  }
  try {
    const before = JSON.stringify(await conflict.read());
    const after = JSON.stringify(await conflict.update());
    if (before === after) job.result.skipped++;
    else job.result.updated++;
  } catch (error) {
    refuse(job, line, error);
  }
}

/**
 * Creates the record of one row: `rules` (those of the single create) make
 * its row, `insert` writes it; its audit entry waits for the batch's. A
 * refusal becomes the line's error. Returns the new id.
 */
async function createOne<R>(
  job: Job,
  line: number,
  steps: { rules: () => R; insert: (row: R) => Promise<number>; audit: (id: number, row: R) => AuditNote },
): Promise<number | undefined> {
  try {
    const row = steps.rules();
    const id = await steps.insert(row);
    job.created.add(id);
    job.audits.push(steps.audit(id, row));
    job.result.created++;
    return id;
  } catch (error) {
    refuse(job, line, error);
    return undefined;
  }
}

/** Writes the audit entries of the rows created so far. */
async function writeAudits(job: Job): Promise<void> {
  await recordAudits(job.tx, job.ctx, job.audits);
  job.audits.length = 0;
}

// ---------------------------------------------------------------------------
// Clients

type ClientRow = Ready<{ row: ReturnType<typeof newClientRow>; given: boolean }>;

function prepareClient(job: Job, line: number, record: Record<string, unknown>): ClientRow | AppError[] {
  const problems: AppError[] = [];
  const { fields, refs } = split(record, problems);
  let salesContactId: number | undefined;
  try {
    salesContactId = job.users.resolve(refs, "sales_contact", "SALES");
  } catch (error) {
    problems.push(error as AppError);
  }
  const parsed = inputIssues(clientCreateSchema, { ...fields, sales_contact_id: salesContactId });
  if (!parsed.ok) problems.push(...parsed.errors);
  if (problems.length > 0 || !parsed.ok) return problems;
  try {
    const row = newClientRow(job.actor, parsed.data);
    checkUserRole(job.users.byId.get(row.sales_contact_id), {
      id: row.sales_contact_id,
      role: "SALES",
      field: "sales_contact_id",
    });
    return { line, row, given: salesContactId !== undefined };
  } catch (error) {
    return [error as AppError];
  }
}

async function flushClients(job: Job, batch: ClientRow[]): Promise<void> {
  const existing = new Map<string, ClientKey>(
    (await findClientsByEmails(job.tx, batch.map((r) => r.row.email))).map((c) => [c.email.toLowerCase(), c]),
  );
  const seen = new Map<string, number>();
  const fresh: ClientRow[] = [];
  for (const item of batch) {
    const { line, row, given } = item;
    const earlier = seen.get(row.email);
    if (earlier !== undefined) {
      job.errors.add(line, { field: "email", message: msg("errors.import.same_email_line", { earlier }) });
      continue;
    }
    seen.set(row.email, line);
    const found = existing.get(row.email);
    if (found && job.created.has(found.id)) {
      job.errors.add(line, { field: "email", message: msg("errors.import.same_email_earlier") });
    } else if (found) {
      const { email: _email, sales_contact_id, ...changes } = row;
      await onExisting(job, line, {
        field: "email",
        message: msg("errors.import.client_exists", { id: found.id }),
        read: () => getClient(job.inner, { id: found.id }),
        update: () =>
          updateClient(job.inner, {
            id: found.id,
            ...changes,
            ...(given ? { sales_contact_id: sales_contact_id } : {}),
          }),
      });
    } else {
      fresh.push(item);
    }
  }
  // The new ones in a few statements (their rules were applied row by row).
  const rows = fresh.map((item) => item.row);
  const ids = await insertClients(job.tx, rows, job.ctx.now().toISOString()).catch((e) => constraintError(e, "client"));
  for (const row of rows) {
    const id = ids.get(row.email)!;
    job.created.add(id);
    job.audits.push(clientCreatedAudit(id, row));
  }
  job.result.created += rows.length;
  await writeAudits(job);
}

// ---------------------------------------------------------------------------
// Contracts

type ContractRow = Ready<{
  refs: ImportReferences;
  data: ReturnType<typeof contractCreateSchema.parse>;
  fields: Record<string, unknown>;
}>;

function clientReferenceMissing(refs: ImportReferences, field: string): AppError | undefined {
  if (refs.client_id !== undefined || refs.client_email !== undefined || refs.client_name !== undefined) {
    return undefined;
  }
  return new InvalidInputError(msg("errors.import.client_required", { field }), field);
}

function prepareContract(job: Job, line: number, record: Record<string, unknown>): ContractRow | AppError[] {
  const problems: AppError[] = [];
  const { fields, refs } = split(record, problems);
  const missing = clientReferenceMissing(refs, "client_id");
  if (missing && problems.length === 0) problems.push(missing);
  let salesContactId: number | undefined;
  try {
    salesContactId = job.users.resolve(refs, "sales_contact", "SALES");
  } catch (error) {
    problems.push(error as AppError);
  }
  // The client is found by the batch; the schema checks the rest with a stand-in id.
  const parsed = inputIssues(contractCreateSchema, {
    ...fields,
    client_id: refs.client_id ?? 1,
    sales_contact_id: salesContactId,
  });
  if (!parsed.ok) problems.push(...parsed.errors);
  if (problems.length > 0 || !parsed.ok) return problems;
  return { line, refs, data: parsed.data, fields };
}

/** The clients rows name (by id and by email), share-locked in id order; a row's client or why there is none. */
async function lockNamedClients(
  job: Job,
  refs: readonly ImportReferences[],
): Promise<(r: ImportReferences) => ClientKey | AppError> {
  const byEmail = new Map(
    (await findClientsByEmails(job.tx, refs.flatMap((r) => r.client_email ?? []))).map((c) => [c.email, c.id]),
  );
  // A client named only by its full name (the CLIENT column of `contract list --format csv`): when unique.
  const byName = new Map<string, number[]>();
  const named = refs.flatMap((r) =>
    r.client_id === undefined && r.client_email === undefined && r.client_name !== undefined ? [r.client_name] : []
  );
  for (const client of await findClientsByNames(job.tx, named)) {
    byName.set(client.full_name, [...byName.get(client.full_name) ?? [], client.id]);
  }
  const ids = refs.flatMap((r) => [
    r.client_id,
    r.client_email && byEmail.get(r.client_email),
    ...(r.client_id === undefined && r.client_email === undefined ? byName.get(r.client_name ?? "") ?? [] : []),
  ]).filter((id): id is number => typeof id === "number");
  const locked = new Map((await lockClientsShared(job.tx, ids)).map((c) => [c.id, c]));
  return (r) => {
    if (r.client_id === undefined && r.client_email === undefined && r.client_name !== undefined) {
      const found = byName.get(r.client_name) ?? [];
      if (found.length !== 1) {
        return new InvalidInputError(
          found.length === 0
            ? msg("errors.import.no_client_name", { name: r.client_name })
            : msg("errors.import.many_client_names", { count: found.length, name: r.client_name }),
          "client_name",
        );
      }
      return locked.get(found[0]) ?? notFound("client_id", "client", found[0]);
    }
    const fromEmail = r.client_email !== undefined ? byEmail.get(r.client_email) : undefined;
    if (r.client_email !== undefined && fromEmail === undefined) {
      return new InvalidInputError(msg("errors.import.no_client_email", { email: r.client_email }), "client_email");
    }
    if (r.client_id !== undefined && fromEmail !== undefined && r.client_id !== fromEmail) {
      return new InvalidInputError(
        msg("errors.import.client_disagree", { id: fromEmail, given: r.client_id }),
        "client_email",
      );
    }
    const client = locked.get(r.client_id ?? fromEmail!);
    return client ?? notFound("client_id", "client", r.client_id ?? fromEmail!);
  };
}

async function flushContracts(job: Job, batch: ContractRow[], perClient: Map<number, number>): Promise<void> {
  const clientOf = await lockNamedClients(job, batch.map((r) => r.refs));
  const clients = batch.map((r) => clientOf(r.refs));
  const contracts = await contractIdsByClient(
    job.tx,
    clients.flatMap((c) => "sales_contact_id" in c ? [c.id] : []),
  );
  const now = job.ctx.now().toISOString();
  for (let i = 0; i < batch.length; i++) {
    const { line, refs, data, fields } = batch[i];
    const client = clients[i];
    if (!("sales_contact_id" in client)) {
      refuse(job, line, client);
      continue;
    }
    const counted = (perClient.get(client.id) ?? 0) + 1;
    perClient.set(client.id, counted);
    const number = refs.contract_number ?? counted;
    const ids = contracts.get(client.id)!;
    const who = refs.client_email ?? msg("errors.import.who_client", { id: client.id });
    if (number > ids.length + 1) {
      job.errors.add(line, {
        field: "contract_number",
        message: msg("errors.import.next_number", { who, count: ids.length, next: ids.length + 1 }),
      });
      continue;
    }
    if (number <= ids.length) {
      const id = ids[number - 1];
      if (job.created.has(id)) {
        job.errors.add(line, {
          field: "contract_number",
          message: msg("errors.import.contract_earlier", { number, who }),
        });
        continue;
      }
      await onExisting(job, line, {
        field: "contract_number",
        message: msg("errors.import.contract_exists", { who, number, id }),
        read: () => getContract(job.inner, { id }),
        update: () =>
          updateContract(job.inner, {
            id,
            total_amount: fields.total_amount as string,
            ...(fields.amount_due !== undefined ? { amount_due: fields.amount_due as string } : {}),
            ...(refs.signed_status !== undefined ? { signed_status: refs.signed_status } : {}),
          }),
      });
      continue;
    }
    const id = await createOne(job, line, {
      rules: () => newContractRow(job.actor, client, data, { users: job.users.byId, signed: refs.signed_status }),
      insert: (row) => insertContract(job.tx, { ...row, now }).catch((e) => constraintError(e, "contract")),
      audit: contractCreatedAudit,
    });
    if (id !== undefined) ids.push(id);
  }
  await writeAudits(job);
}

// ---------------------------------------------------------------------------
// Events

type EventRow = Ready<{
  refs: ImportReferences;
  data: ReturnType<ReturnType<typeof eventCreateSchema>["parse"]>;
  given: Record<string, unknown>;
}>;

function prepareEvent(job: Job, line: number, record: Record<string, unknown>): EventRow | AppError[] {
  const problems: AppError[] = [];
  const { fields, refs } = split(record, problems);
  const contractId = fields.contract_id;
  if (contractId === undefined && problems.length === 0) {
    if (refs.client_email === undefined) {
      problems.push(
        new InvalidInputError(msg("errors.import.contract_required"), "contract_id"),
      );
    } else if (refs.contract_number === undefined) {
      problems.push(new InvalidInputError(msg("errors.import.number_required"), "contract_number"));
    }
  }
  let supportId: number | undefined;
  try {
    supportId = job.users.resolve(refs, "support_contact", "SUPPORT");
    if (supportId !== undefined) authorize(job.actor, "event.assign");
  } catch (error) {
    problems.push(error as AppError);
  }
  // The contract may be named by its client and number, found by the batch: a stand-in id meanwhile.
  const parsed = inputIssues(eventCreateSchema(job.ctx.timeZone), {
    ...fields,
    contract_id: contractId ?? 1,
    support_contact_id: supportId,
  });
  if (!parsed.ok) problems.push(...parsed.errors);
  if (problems.length > 0 || !parsed.ok) return problems;
  return { line, refs, data: parsed.data, given: fields };
}

/** The contracts rows name (by id, or by client email and number): clients then contracts share-locked. */
async function lockNamedContracts(
  job: Job,
  batch: readonly EventRow[],
): Promise<(row: EventRow) => ContractKey | AppError> {
  const byKey = batch.filter((r) => r.given.contract_id === undefined);
  const clientOf = await lockNamedClients(job, byKey.map((r) => r.refs));
  const keyed = new Map(byKey.map((r) => [r, clientOf(r.refs)]));
  const numbered = await contractIdsByClient(
    job.tx,
    [...keyed.values()].flatMap((c) => "sales_contact_id" in c ? [c.id] : []),
  );
  const contractId = (row: EventRow): number | AppError => {
    const client = keyed.get(row);
    if (client === undefined) return row.data.contract_id;
    if (!("sales_contact_id" in client)) return client;
    const ids = numbered.get(client.id)!;
    const id = ids[row.refs.contract_number! - 1];
    if (id !== undefined) return id;
    return new InvalidInputError(
      `contract_number: ${row.refs.client_email} has ${ids.length} contract(s), not ${row.refs.contract_number}`,
      "contract_number",
    );
  };
  const ids = batch.map(contractId);
  const wanted = ids.filter((id): id is number => typeof id === "number");
  // Lock order: the clients of the contracts, then the contracts.
  await lockClientsShared(job.tx, [...(await clientsOfContracts(job.tx, wanted)).values()]);
  const locked = new Map((await lockContractsShared(job.tx, wanted)).map((c) => [c.id, c]));
  const index = new Map(batch.map((row, i) => [row, ids[i]]));
  return (row) => {
    const id = index.get(row)!;
    if (typeof id !== "number") return id;
    return locked.get(id) ?? notFound("contract_id", "contract", id);
  };
}

function sameEvent(key: EventKey, row: { name: string; start_date: Date }): boolean {
  return key.name === row.name && new Date(key.start_date).getTime() === row.start_date.getTime();
}

async function flushEvents(job: Job, batch: EventRow[]): Promise<void> {
  const contractOf = await lockNamedContracts(job, batch);
  const contracts = batch.map(contractOf);
  const events = await eventKeysByContract(job.tx, contracts.flatMap((c) => "signed_status" in c ? [c.id] : []));
  for (let i = 0; i < batch.length; i++) {
    const { line, data, given } = batch[i];
    const contract = contracts[i];
    if (!("signed_status" in contract)) {
      refuse(job, line, contract);
      continue;
    }
    const keys = events.get(contract.id)!;
    const found = keys.find((key) => sameEvent(key, data));
    if (found && job.created.has(found.id)) {
      job.errors.add(line, {
        field: "name",
        message: msg("errors.import.event_earlier", { contract: contract.id }),
      });
      continue;
    }
    if (found) {
      await onExisting(job, line, {
        field: "name",
        message: msg("errors.import.event_exists", { contract: contract.id, id: found.id }),
        read: () => getEvent(job.inner, { id: found.id }),
        update: async () => {
          const changed = await updateEvent(job.inner, {
            id: found.id,
            client_contact: data.client_contact,
            end_date: data.end_date,
            location: data.location,
            attendees: data.attendees,
            ...("notes" in given ? { notes: data.notes } : {}),
          });
          if (data.support_contact_id === null || data.support_contact_id === changed.support_contact_id) {
            return changed;
          }
          return await assignEvent(job.inner, { id: found.id, support_contact_id: data.support_contact_id });
        },
      });
      continue;
    }
    const support = data.support_contact_id !== null ? job.users.byId.get(data.support_contact_id) : undefined;
    await createOne(job, line, {
      rules: () => newEventRow(job.actor, contract, data, support),
      insert: async (row) => {
        const id = await insertEvent(job.tx, { ...row, updated_at: job.ctx.now().toISOString() }).catch((e) =>
          constraintError(e, "event")
        );
        keys.push({ id, contract_id: contract.id, name: row.name, start_date: row.start_date });
        return id;
      },
      audit: eventCreatedAudit,
    });
  }
  await writeAudits(job);
}

// ---------------------------------------------------------------------------

/** How each entity prepares a row (no database) and writes a batch. */
interface Importer<T> {
  prepare(job: Job, line: number, record: Record<string, unknown>): Ready<T> | AppError[];
  flush(job: Job, batch: Ready<T>[]): Promise<void>;
}

function importerOf(entity: ImportEntity): Importer<unknown> {
  switch (entity) {
    case "client":
      return { prepare: prepareClient, flush: flushClients } as Importer<unknown>;
    case "contract": {
      const perClient = new Map<number, number>();
      return {
        prepare: prepareContract,
        flush: (job, batch) => flushContracts(job, batch as ContractRow[], perClient),
      } as Importer<unknown>;
    }
    case "event":
      return { prepare: prepareEvent, flush: flushEvents } as Importer<unknown>;
  }
}

/** Ends the transaction without committing, carrying nothing out. */
class RollBack extends Error {
  constructor() {
    super("import: rolled back");
  }
}

/**
 * `import clients|contracts|events FILE`: creates a record per row of
 * `rows` (read by `readImport`), as the single create would, or — for a row
 * whose natural key exists — fails, skips or updates it (`onConflict`). All
 * or nothing: with any line error, or on a dry run, nothing is written; the
 * result then says what was wrong (every line's errors) or what would have
 * been done. A collaborator who may not create the entity at all is refused
 * before any row is read (exit 4).
 */
export async function importRecords(
  ctx: ServiceContext,
  entity: ImportEntity,
  rows: AsyncIterable<ParsedRow>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const actor = requireActor(ctx);
  authorize(actor, `${entity}.create`);
  const dryRun = options.dryRun ?? false;
  const errors = new ErrorList();
  const result = { created: 0, updated: 0, skipped: 0 };
  const importer = importerOf(entity);
  let committed = false;
  try {
    await ctx.db.transaction(async (tx) => {
      const job: Job = {
        ctx,
        inner: { ...ctx, db: joined(ctx.db, tx), reporter: dryRun ? NULL_REPORTER : ctx.reporter },
        tx,
        actor,
        users: new Directory(await lockAllUsersShared(tx)),
        onConflict: options.onConflict ?? "fail",
        errors,
        result,
        created: new IdRuns(),
        audits: [],
      };
      let batch: Ready<unknown>[] = [];
      let read = 0;
      try {
        for await (const row of rows) {
          read++;
          if (row.error) {
            errors.add(row.line, row.error);
            continue;
          }
          const ready = importer.prepare(job, row.line, row.record);
          if (Array.isArray(ready)) {
            for (const problem of ready) refuse(job, row.line, problem);
            continue;
          }
          batch.push(ready);
          if (batch.length >= IMPORT_BATCH) {
            await importer.flush(job, batch);
            batch = [];
            options.onProgress?.(read);
          }
        }
        await importer.flush(job, batch);
        options.onProgress?.(read);
      } catch (error) {
        if (!(error instanceof ImportFileError)) throw error;
        errors.add(error.line, error.toLineError());
      }
      if (errors.count > 0 || dryRun) throw new RollBack();
    });
    committed = true;
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  if (committed && result.created + result.updated > 0) {
    ctx.reporter.businessEvent({ action: `${entity}.imported`, actorId: actor.id, entity, entityId: null });
  }
  errors.kept.sort((a, b) => a.line - b.line);
  return { entity, ...result, errors: errors.kept, errorCount: errors.count, dryRun, committed };
}

/** The entity of each plural the command line and the API name a file by. */
const ENTITY_OF: Readonly<Record<InputOf<"importFile">["entity"], ImportEntity>> = {
  clients: "client",
  contracts: "contract",
  events: "event",
};

/**
 * `import clients|contracts|events FILE` through the port: reads `file`
 * (its bytes as they come: a file, stdin, a request's body) in `format`
 * and imports its rows ({@link importRecords}); the answer is the API's
 * (snake_case). The collaborator's permission is checked before any byte
 * is read.
 */
export async function importFile(ctx: ServiceContext, input: InputOf<"importFile">): Promise<OutputOf<"importFile">> {
  const data = parseInput(importInputSchema, {
    entity: input.entity,
    format: input.format,
    dry_run: input.dry_run,
    on_conflict: input.on_conflict,
  });
  const entity = ENTITY_OF[data.entity];
  authorize(requireActor(ctx), `${entity}.create`);
  const rows = readImport(input.file, { entity, format: data.format });
  const result = await importRecords(ctx, entity, rows, {
    dryRun: data.dry_run ?? false,
    onConflict: data.on_conflict ?? "fail",
  });
  return {
    entity: result.entity,
    created: result.created,
    updated: result.updated,
    skipped: result.skipped,
    errors: result.errors.map((e) => ({
      line: e.line,
      ...(e.field ? { field: e.field } : {}),
      code: e.code,
      // In the reader's language: the CLI's, or the request's on a server (the rest of the answer is data).
      message: e.text ? messageText(e.text, ctx.lang ?? "en") : e.message,
    })),
    error_count: result.errorCount,
    dry_run: result.dryRun,
    committed: result.committed,
  };
}
