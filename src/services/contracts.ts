/**
 * Contracts: list, show, create, update, sign, delete. Money is integer cents.
 * @module
 */
import {
  type ContractCreateData,
  contractCreateSchema,
  contractDeleteSchema,
  contractListSchema,
  type ContractRecord,
  contractRecord,
  contractUpdateSchema,
} from "../contract/contracts.ts";
import { toRecord } from "../contract/meta.ts";
import type { AnswerOf, InputOf } from "../contract/operations.ts";
import { ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError } from "../domain/errors.ts";
import { formatMoney } from "../domain/money.ts";
import { authorize } from "../domain/policy.ts";
import { parseId, parseInput } from "../domain/schemas/mod.ts";
import type { Queryable } from "../db/database.ts";
import { findClient, lockClient } from "../repositories/clients.ts";
import {
  type Contract,
  contractEventCount,
  type ContractFilter,
  deleteContract as deleteContractRow,
  findContract,
  insertContract,
  listContracts as listContractRows,
  listContractsJson as listContractJsonRows,
  lockContract,
  updateContract as updateContractRow,
} from "../repositories/contracts.ts";
import { mapRows, transaction } from "../repositories/sql.ts";
import { type AuditNote, type Change, diff, recordAudit } from "./audit.ts";
import { checkUserRole, constraintError, jsonOrRecords, lockUsersSharedById, type Rows } from "./common.ts";
import type { Actor, ServiceContext } from "./context.ts";
import { dryRunIf } from "./dry_run.ts";
import type { User } from "../repositories/users.ts";
import { requireActor } from "./session.ts";
import { msg } from "../domain/messages.ts";

export type { Contract };

function record(contract: Contract): ContractRecord {
  return toRecord(contractRecord, contract);
}

/** A contract that must exist (exit 5). */
export async function mustFindContract(db: Queryable, id: number): Promise<Contract> {
  const contract = await findContract(db, id);
  if (!contract) throw new NotFoundError("Contract", id);
  return contract;
}

/**
 * `contract list`: `--mine` means the contracts of my clients — exactly those
 * I may update and sign (a contract belongs to its client's sales contact).
 */
export function listContracts(ctx: ServiceContext, input: InputOf<"listContracts">): Rows<ContractRecord> {
  return mapRows(listContractRows(ctx.db, contractListFilter(ctx, input)), record);
}

/** `contract list --json` where the database builds the JSON text (see `listEventsJson`). */
export function listContractsJson(
  ctx: ServiceContext,
  input: InputOf<"listContracts">,
): Rows<Uint8Array | ContractRecord> | undefined {
  const rows = listContractJsonRows(ctx.db, { ...contractListFilter(ctx, input), display: false });
  return rows && jsonOrRecords(rows, (id) => findContract(ctx.db, id), record);
}

/** The repository's filter of `contract list`'s options, checked (the caller, then the options). */
function contractListFilter(ctx: ServiceContext, input: InputOf<"listContracts">): ContractFilter {
  const actor = requireActor(ctx);
  const filter = parseInput(contractListSchema, input);
  return {
    clientSalesContactId: filter.mine ? actor.id : undefined,
    unsigned: filter.unsigned,
    unpaid: filter.unpaid,
    clientId: filter.client,
    limit: filter.limit,
    offset: filter.offset,
    display: filter.display,
  };
}

/** `contract show`. */
export async function getContract(ctx: ServiceContext, input: InputOf<"getContract">): Promise<ContractRecord> {
  requireActor(ctx);
  return record(await mustFindContract(ctx.db, parseId(input.id)));
}

function auditable(c: Contract): Record<string, unknown> {
  return {
    client_id: c.client_id,
    sales_contact_id: c.sales_contact_id,
    total_amount_cents: c.total_amount_cents,
    amount_due_cents: c.amount_due_cents,
    signed_status: c.signed_status,
  };
}

/** A new contract's row, once its rules are applied (see {@link newContractRow}). */
export interface NewContractRow {
  client_id: number;
  sales_contact_id: number;
  total_amount_cents: number;
  amount_due_cents: number;
  signed_status: boolean;
}

/**
 * The rules of a new contract once its client is share-locked and read
 * again, shared by `contract create` and imports: SALES only for their own
 * clients (exit 4); the sales contact defaults to the client's, and only
 * MANAGEMENT may name another, a SALES user (`users`: the collaborators
 * share-locked, by id). An import may create it signed (`signed`), which
 * also needs the right to sign it.
 */
export function newContractRow(
  actor: Actor,
  client: { id: number; sales_contact_id: number },
  data: ContractCreateData,
  options: { users: ReadonlyMap<number, User>; signed?: boolean },
): NewContractRow {
  authorize(actor, "contract.create", client.sales_contact_id);
  if (options.signed) authorize(actor, "contract.sign", client.sales_contact_id);
  const salesContactId = data.sales_contact_id ?? client.sales_contact_id;
  if (salesContactId !== client.sales_contact_id) {
    if (actor.role !== "MANAGEMENT") {
      throw new PermissionDeniedError(msg("errors.contract.other_sales_contact"));
    }
    checkUserRole(options.users.get(salesContactId), { id: salesContactId, role: "SALES", field: "sales_contact_id" });
  }
  return {
    client_id: client.id,
    sales_contact_id: salesContactId,
    total_amount_cents: data.total_amount,
    amount_due_cents: data.amount_due,
    signed_status: options.signed ?? false,
  };
}

/** The audit entry of a new contract (the same for `contract create` and imports). */
export function contractCreatedAudit(id: number, row: NewContractRow): AuditNote {
  return { action: "contract.created", entity: "contract", entityId: id, changes: diff(null, { ...row }) };
}

/**
 * `contract create`: SALES only for their own clients. The sales contact
 * defaults to the client's; only MANAGEMENT may name another SALES user.
 */
export async function createContract(
  ctx: ServiceContext,
  input: InputOf<"createContract">,
): Promise<ContractRecord> {
  const actor = requireActor(ctx);
  authorize(actor, "contract.create");
  const data = parseInput(contractCreateSchema, input);
  return await transaction(ctx.db, async (tx) => {
    // Lock order: the collaborators (the client's sales contact and the one
    // named), then the client (share: a concurrent `client delete` waits for
    // us, or has committed and we see the client gone).
    const seen = await findClient(tx, data.client_id);
    if (!seen) throw new NotFoundError("Client", data.client_id);
    const users = await lockUsersSharedById(
      tx,
      [seen.sales_contact_id, data.sales_contact_id].filter((v): v is number => v !== undefined),
    );
    const client = await lockClient(tx, seen.id, "share") ? await findClient(tx, seen.id) : undefined;
    if (!client) {
      throw new ConflictError(msg("errors.contract.client_deleted", { id: seen.id }), "client_id");
    }
    const row = newContractRow(actor, client, data, { users });
    const id = await insertContract(tx, { ...row, now: ctx.now().toISOString() }).catch((e) =>
      constraintError(e, "contract")
    );
    const contract = (await findContract(tx, id))!;
    await recordAudit(tx, ctx, contractCreatedAudit(id, row));
    return record(contract);
  });
}

/**
 * Applies `changes` to a locked contract after the ownership check; shared by
 * `update` and `sign`. Returns the contract and what changed.
 */
async function changeContract(
  tx: Queryable,
  ctx: ServiceContext,
  id: number,
  action: "contract.update" | "contract.sign",
  changes: { total_amount_cents?: number; amount_due_cents?: number; signed_status?: boolean },
): Promise<{ before: Contract; after: Contract; changed: Record<string, Change> }> {
  const actor = requireActor(ctx);
  if (!await lockContract(tx, id)) throw new NotFoundError("Contract", id);
  const before = await mustFindContract(tx, id);
  authorize(actor, action, before.client_sales_contact_id);
  const total = changes.total_amount_cents ?? before.total_amount_cents;
  const due = changes.amount_due_cents ?? before.amount_due_cents;
  if (due > total) {
    throw new InvalidInputError(
      msg("errors.contract.due_above_total", { due: formatMoney(due), total: formatMoney(total) }),
      changes.amount_due_cents !== undefined ? "amount_due" : "total_amount",
    );
  }
  if (changes.signed_status === false && before.signed_status && await contractEventCount(tx, id) > 0) {
    throw new ConflictError(msg("errors.contract.unsign_with_events", { id }), "signed_status");
  }
  const changed = diff(auditable(before), changes);
  if (Object.keys(changed).length > 0) {
    // The signing instant (`report revenue` files the contract under its
    // month) moves with the status only: a signed contract whose amounts
    // change keeps it.
    const signedAt = changed.signed_status ? { signed_at: changes.signed_status ? ctx.now().toISOString() : null } : {};
    await updateContractRow(tx, id, { ...changes, ...signedAt }).catch((e) => constraintError(e, "contract"));
    await recordAudit(tx, ctx, {
      action: changes.signed_status === true && !before.signed_status ? "contract.signed" : "contract.updated",
      entity: "contract",
      entityId: id,
      changes: changed,
    });
  }
  return { before, after: (await findContract(tx, id))!, changed };
}

function reportSigned(ctx: ServiceContext, before: Contract, after: Contract, changed: Record<string, Change>): void {
  if (!before.signed_status && after.signed_status) {
    ctx.reporter.businessEvent({
      action: "contract.signed",
      actorId: ctx.actor!.id,
      entity: "contract",
      entityId: after.id,
      changedFields: Object.keys(changed),
    });
  }
}

/** `contract update`: amounts and signed status; only the given fields change. */
export async function updateContract(
  ctx: ServiceContext,
  input: InputOf<"updateContract">,
): Promise<ContractRecord> {
  authorize(requireActor(ctx), "contract.update");
  const { id: given, ...changes } = input;
  const id = parseId(given);
  const data = parseInput(contractUpdateSchema, changes);
  const result = await transaction(ctx.db, (tx) =>
    changeContract(tx, ctx, id, "contract.update", {
      total_amount_cents: data.total_amount,
      amount_due_cents: data.amount_due,
      signed_status: data.signed_status,
    }));
  reportSigned(ctx, result.before, result.after, result.changed);
  return record(result.after);
}

/**
 * `contract sign`: marks the contract signed. Signing a signed contract
 * changes nothing and succeeds (idempotent; nothing is recorded).
 */
export async function signContract(
  ctx: ServiceContext,
  input: InputOf<"signContract">,
): Promise<AnswerOf<"signContract">> {
  authorize(requireActor(ctx), "contract.sign");
  const id = parseId(input.id);
  const result = await transaction(
    ctx.db,
    (tx) => changeContract(tx, ctx, id, "contract.sign", { signed_status: true }),
  );
  reportSigned(ctx, result.before, result.after, result.changed);
  return { contract: record(result.after), already_signed: result.before.signed_status };
}

/**
 * `contract delete` (MANAGEMENT): refused while it has events (exit 6) unless
 * `cascade`; `dry_run` runs every check and changes nothing.
 */
export async function deleteContract(
  ctx: ServiceContext,
  input: InputOf<"deleteContract">,
): Promise<AnswerOf<"deleteContract">> {
  authorize(requireActor(ctx), "contract.delete");
  const { id: given, ...rest } = input;
  const id = parseId(given);
  const options = parseInput(contractDeleteSchema, rest);
  return await dryRunIf(ctx, options.dry_run, (ctx) => removeContract(ctx, id, options.cascade ?? false));
}

async function removeContract(ctx: ServiceContext, id: number, cascade: boolean): Promise<AnswerOf<"deleteContract">> {
  return await transaction(ctx.db, async (tx) => {
    // Locked first: a concurrent `event create` share-locks it.
    if (!await lockContract(tx, id)) throw new NotFoundError("Contract", id);
    const contract = await mustFindContract(tx, id);
    const events = await contractEventCount(tx, id);
    if (events > 0 && !cascade) {
      throw new ConflictError(msg("errors.contract.has_events", { id, count: events }));
    }
    await deleteContractRow(tx, id, events > 0);
    await recordAudit(tx, ctx, {
      action: "contract.deleted",
      entity: "contract",
      entityId: id,
      changes: {
        ...Object.fromEntries(Object.entries(auditable(contract)).map(([k, v]) => [k, { old: v, new: null }])),
        ...(events > 0 ? { deleted_events: { old: null, new: events } } : {}),
      },
    });
    return { id, deleted_events: events };
  });
}
