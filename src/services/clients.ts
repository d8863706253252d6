/**
 * Clients: list, show, create, update, delete.
 * @module
 */
import {
  type ClientCreateData,
  clientCreateSchema,
  clientDeleteSchema,
  clientListSchema,
  type ClientRecord,
  clientRecord,
  clientUpdateSchema,
} from "../contract/clients.ts";
import { inRecordOrder, toRecord } from "../contract/meta.ts";
import type { AnswerOf, InputOf } from "../contract/operations.ts";
import { ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError } from "../domain/errors.ts";
import { authorize } from "../domain/policy.ts";
import { parseId, parseInput } from "../domain/schemas/mod.ts";
import type { Queryable } from "../db/database.ts";
import {
  type Client,
  clientDependents,
  type ClientFilter,
  deleteClient as deleteClientRow,
  deleteClientDependents,
  findClient,
  insertClient,
  listClients as listClientRows,
  listClientsJson as listClientJsonRows,
  lockClient,
  updateClient as updateClientRow,
} from "../repositories/clients.ts";
import { moveClientContracts } from "../repositories/contracts.ts";
import { mapRows, transaction } from "../repositories/sql.ts";
import { type AuditNote, diff, recordAudit } from "./audit.ts";
import {
  checkUserRole,
  constraintError,
  jsonOrRecords,
  lockUserShared,
  requireUserWithRole,
  type Rows,
} from "./common.ts";
import type { Actor, ServiceContext } from "./context.ts";
import { dryRunIf } from "./dry_run.ts";
import { requireActor } from "./session.ts";
import { msg } from "../domain/messages.ts";

export type { Client };

function record(client: Client): ClientRecord {
  return toRecord(clientRecord, client);
}

/** A client that must exist (exit 5). */
export async function mustFindClient(db: Queryable, id: number): Promise<Client> {
  const client = await findClient(db, id);
  if (!client) throw new NotFoundError("Client", id);
  return client;
}

/** `client list`: `--mine` means "my clients" (I am their sales contact). */
export function listClients(ctx: ServiceContext, input: InputOf<"listClients">): Rows<ClientRecord> {
  return mapRows(listClientRows(ctx.db, clientListFilter(ctx, input)), record);
}

/** `client list --json` where the database builds the JSON text (see `listEventsJson`). */
export function listClientsJson(
  ctx: ServiceContext,
  input: InputOf<"listClients">,
): Rows<Uint8Array | ClientRecord> | undefined {
  const rows = listClientJsonRows(ctx.db, { ...clientListFilter(ctx, input), display: false });
  return rows && jsonOrRecords(rows, (id) => findClient(ctx.db, id), record);
}

/** The repository's filter of `client list`'s options, checked (the caller, then the options). */
function clientListFilter(ctx: ServiceContext, input: InputOf<"listClients">): ClientFilter {
  const actor = requireActor(ctx);
  const filter = parseInput(clientListSchema, input);
  return {
    salesContactId: filter.mine ? actor.id : undefined,
    search: filter.search,
    limit: filter.limit,
    offset: filter.offset,
    display: filter.display,
  };
}

/** `client show`. */
export async function getClient(ctx: ServiceContext, input: InputOf<"getClient">): Promise<ClientRecord> {
  requireActor(ctx);
  return record(await mustFindClient(ctx.db, parseId(input.id)));
}

/** A new client's row, once its rules are applied (see {@link newClientRow}). */
export type NewClientRow = Omit<ClientRecord, "id" | "created_at" | "last_updated" | "display">;

/**
 * The rules of a new client that need no database, shared by `client create`
 * and imports: a SALES collaborator's client is theirs (naming someone else
 * is refused, exit 4); a manager must name the sales contact (exit 2). The
 * caller has authorised `client.create` and validated `data`, and checks
 * that the sales contact is a SALES user (with the user share-locked).
 */
export function newClientRow(actor: Actor, data: ClientCreateData): NewClientRow {
  let salesContactId = data.sales_contact_id;
  if (actor.role === "SALES") {
    if (salesContactId !== undefined && salesContactId !== actor.id) {
      throw new PermissionDeniedError(msg("errors.client.own_clients"));
    }
    salesContactId = actor.id;
  }
  if (salesContactId === undefined) {
    throw new InvalidInputError(msg("errors.client.sales_contact_required"), "sales_contact_id");
  }
  // Every field as given, with the sales contact settled.
  return inRecordOrder(clientRecord, { ...data, sales_contact_id: salesContactId });
}

/** The audit entry of a new client (the same for `client create` and imports). */
export function clientCreatedAudit(id: number, row: NewClientRow): AuditNote {
  return { action: "client.created", entity: "client", entityId: id, changes: diff(null, { ...row }) };
}

/**
 * `client create`: a SALES collaborator's client is theirs; MANAGEMENT names
 * the sales contact (a SALES user).
 */
export async function createClient(ctx: ServiceContext, input: InputOf<"createClient">): Promise<ClientRecord> {
  const actor = requireActor(ctx);
  authorize(actor, "client.create");
  const row = newClientRow(actor, parseInput(clientCreateSchema, input));
  return await transaction(ctx.db, async (tx) => {
    await requireUserWithRole(tx, row.sales_contact_id, "SALES", "sales_contact_id");
    const id = await insertClient(tx, { ...row, now: ctx.now().toISOString() }).catch((e) =>
      constraintError(e, "client")
    );
    const client = (await findClient(tx, id))!;
    await recordAudit(tx, ctx, clientCreatedAudit(id, row));
    return record(client);
  });
}

/**
 * `client update`: only the given fields change. SALES may update only their
 * own clients and may not reassign them. Reassigning a client (MANAGEMENT)
 * moves its contracts to the new sales contact in the same transaction, each
 * move audited: a contract belongs to its client's sales contact. An update
 * that changes nothing writes nothing (no audit entry, `last_updated` kept).
 */
export async function updateClient(ctx: ServiceContext, input: InputOf<"updateClient">): Promise<ClientRecord> {
  const actor = requireActor(ctx);
  authorize(actor, "client.update");
  const { id: given, ...changes } = input;
  const id = parseId(given);
  const data = parseInput(clientUpdateSchema, changes);
  return await transaction(ctx.db, async (tx) => {
    // Lock order: the collaborator, then the client, then its contracts.
    const newContact = data.sales_contact_id !== undefined
      ? await lockUserShared(tx, data.sales_contact_id)
      : undefined;
    if (!await lockClient(tx, id, "update")) throw new NotFoundError("Client", id);
    const before = await mustFindClient(tx, id);
    authorize(actor, "client.update", before.sales_contact_id);
    const reassigned = data.sales_contact_id !== undefined && data.sales_contact_id !== before.sales_contact_id;
    if (reassigned) {
      authorize(actor, "client.reassign");
      checkUserRole(newContact, { id: data.sales_contact_id!, role: "SALES", field: "sales_contact_id" });
    }
    const changed = diff(before, data);
    if (Object.keys(changed).length === 0) return record(before);
    await updateClientRow(tx, id, data, ctx.now().toISOString()).catch((e) => constraintError(e, "client"));
    await recordAudit(tx, ctx, { action: "client.updated", entity: "client", entityId: id, changes: changed });
    if (reassigned) {
      for (const moved of await moveClientContracts(tx, id, data.sales_contact_id!)) {
        await recordAudit(tx, ctx, {
          action: "contract.updated",
          entity: "contract",
          entityId: moved.id,
          changes: { sales_contact_id: { old: moved.sales_contact_id, new: data.sales_contact_id } },
        });
      }
    }
    return record((await findClient(tx, id))!);
  });
}

/**
 * `client delete` (MANAGEMENT): refused while the client has contracts or
 * events (exit 6, with the counts) unless `cascade`; `dry_run` runs every
 * check and changes nothing.
 */
export async function deleteClient(
  ctx: ServiceContext,
  input: InputOf<"deleteClient">,
): Promise<AnswerOf<"deleteClient">> {
  authorize(requireActor(ctx), "client.delete");
  const { id: given, ...rest } = input;
  const id = parseId(given);
  const options = parseInput(clientDeleteSchema, rest);
  return await dryRunIf(ctx, options.dry_run, (ctx) => removeClient(ctx, id, options.cascade ?? false));
}

async function removeClient(
  ctx: ServiceContext,
  id: number,
  cascade: boolean,
): Promise<AnswerOf<"deleteClient">> {
  return await transaction(ctx.db, async (tx) => {
    // The client first: a concurrent contract or event creation share-locks it.
    if (!await lockClient(tx, id, "update")) throw new NotFoundError("Client", id);
    const client = await mustFindClient(tx, id);
    const dependents = await clientDependents(tx, id);
    if (dependents.contracts + dependents.events > 0) {
      if (!cascade) {
        throw new ConflictError(
          msg("errors.client.has_dependents", { id, contracts: dependents.contracts, events: dependents.events }),
        );
      }
      await deleteClientDependents(tx, id);
    }
    await deleteClientRow(tx, id);
    const { id: _id, sales_contact_name: _n, ...fields } = client;
    await recordAudit(tx, ctx, {
      action: "client.deleted",
      entity: "client",
      entityId: id,
      changes: {
        ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { old: v, new: null }])),
        ...(cascade ? { cascade: { old: null, new: dependents } } : {}),
      },
    });
    return { id, deleted_contracts: dependents.contracts, deleted_events: dependents.events };
  });
}
