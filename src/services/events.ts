/**
 * Events: list, show, create, update, assign, delete.
 * @module
 */
import {
  eventAssignSchema,
  type EventCreateData,
  eventCreateSchema,
  eventDeleteSchema,
  eventListSchema,
  type EventRecord,
  eventRecord,
  eventUpdateSchema,
} from "../contract/events.ts";
import { inRecordOrder, toRecord } from "../contract/meta.ts";
import type { AnswerOf, InputOf } from "../contract/operations.ts";
import { ConflictError, InvalidInputError, NotFoundError } from "../domain/errors.ts";
import { authorize, ownEventsOf } from "../domain/policy.ts";
import { parseId, parseInput } from "../domain/schemas/mod.ts";
import type * as z from "zod";
import type { Queryable } from "../db/database.ts";
import { lockClient } from "../repositories/clients.ts";
import { findContract, lockContract } from "../repositories/contracts.ts";
import {
  deleteEvent as deleteEventRow,
  type Event,
  type EventFilter,
  findEvent,
  insertEvent,
  listEvents as listEventRows,
  listEventsJson as listEventJsonRows,
  lockEvent,
  updateEvent as updateEventRow,
} from "../repositories/events.ts";
import { mapRows, transaction } from "../repositories/sql.ts";
import { type AuditNote, diff, recordAudit } from "./audit.ts";
import { checkUserRole, constraintError, jsonOrRecords, lockUserShared, type Rows } from "./common.ts";
import type { Actor, ServiceContext } from "./context.ts";
import { dryRunIf } from "./dry_run.ts";
import type { Contract } from "../repositories/contracts.ts";
import type { User } from "../repositories/users.ts";
import { requireActor } from "./session.ts";
import { msg } from "../domain/messages.ts";

export type { Event };

function record(event: Event): EventRecord {
  return toRecord(eventRecord, event);
}

/** An event that must exist (exit 5). */
export async function mustFindEvent(db: Queryable, id: number): Promise<Event> {
  const event = await findEvent(db, id);
  if (!event) throw new NotFoundError("Event", id);
  return event;
}

/**
 * `event list`. `--mine`: for SUPPORT (and MANAGEMENT) the events I support;
 * for SALES the events of my clients. `--upcoming`: not ended yet.
 */
export function listEvents(ctx: ServiceContext, input: InputOf<"listEvents">): Rows<EventRecord> {
  const actor = requireActor(ctx);
  return mapRows(listEventRows(ctx.db, eventListFilter(ctx, actor, parseInput(eventListSchema, input))), record);
}

/**
 * `event list --json` where the database builds the JSON text (PostgreSQL):
 * the same caller, filters and rows as {@link listEvents}, each as the text
 * (UTF-8) of its element in the printed array, or as its record when the database
 * could not build it; undefined when the database builds no JSON.
 */
export function listEventsJson(
  ctx: ServiceContext,
  input: InputOf<"listEvents">,
): Rows<Uint8Array | EventRecord> | undefined {
  const actor = requireActor(ctx);
  const filter = eventListFilter(ctx, actor, parseInput(eventListSchema, input));
  const rows = listEventJsonRows(ctx.db, { ...filter, display: false });
  return rows && jsonOrRecords(rows, (id) => findEvent(ctx.db, id), record);
}

/** The repository's filter of `event list`'s validated options, for `actor` (also `event list --format ics`). */
export function eventListFilter(ctx: ServiceContext, actor: Actor, filter: EventListOutput): EventFilter {
  const own = filter.mine ? ownEventsOf(actor.role) : undefined;
  return {
    supportContactId: own === "they_support" ? actor.id : undefined,
    clientSalesContactId: own === "of_their_clients" ? actor.id : undefined,
    unassigned: filter.unassigned,
    endsAfter: filter.upcoming ? ctx.now().toISOString() : undefined,
    contractId: filter.contract,
    limit: filter.limit,
    offset: filter.offset,
    display: filter.display,
  };
}

/** `event list`'s options, validated. */
export type EventListOutput = z.output<typeof eventListSchema>;

/** `event show`. */
export async function getEvent(ctx: ServiceContext, input: InputOf<"getEvent">): Promise<EventRecord> {
  requireActor(ctx);
  return record(await mustFindEvent(ctx.db, parseId(input.id)));
}

/**
 * The columns of an event the audit trail records, as stored (an amount in
 * cents, as the audit trail keeps it): every one but its id, the copy of its
 * client's sales contact and the names looked up for tables.
 */
function auditable(e: Event): Record<string, unknown> {
  const { id: _id, client_sales_contact_id: _copy, client_name: _c, support_contact_name: _s, ...fields } = e;
  return fields;
}

/** A new event's row, once its rules are applied (see {@link newEventRow}). */
export type NewEventRow = Omit<EventRecord, "id" | "display">;

/**
 * The rules of a new event once its contract (and client) are share-locked
 * and read again, shared by `event create` and imports: SALES only for
 * their own clients (exit 4), only for a signed contract (exit 6), and a
 * support contact (named by MANAGEMENT only: the caller authorises
 * `event.assign`) must be a SUPPORT user (`support`: that user,
 * share-locked). The event's client is the contract's.
 */
export function newEventRow(
  actor: Actor,
  contract: Pick<Contract, "id" | "client_id" | "client_sales_contact_id" | "signed_status">,
  data: EventCreateData,
  support: User | undefined,
): NewEventRow {
  authorize(actor, "event.create", contract.client_sales_contact_id);
  if (!contract.signed_status) {
    throw new ConflictError(msg("errors.event.contract_unsigned", { id: contract.id }), "contract_id");
  }
  if (data.support_contact_id !== null) {
    checkUserRole(support, { id: data.support_contact_id, role: "SUPPORT", field: "support_contact_id" });
  }
  // Every field as given, but the contract's ids and the dates as instants.
  const { contract_id: _given, start_date, end_date, ...fields } = data;
  return inRecordOrder(eventRecord, {
    ...fields,
    contract_id: contract.id,
    client_id: contract.client_id,
    start_date: start_date.toISOString(),
    end_date: end_date.toISOString(),
  });
}

/** The audit entry of a new event (the same for `event create` and imports). */
export function eventCreatedAudit(id: number, row: NewEventRow): AuditNote {
  return { action: "event.created", entity: "event", entityId: id, changes: diff(null, { ...row }) };
}

/**
 * `event create`: only for a signed contract (exit 6 otherwise); SALES only
 * for their own clients. The event's client is the contract's client. A
 * support contact may be named at creation by MANAGEMENT only.
 */
export async function createEvent(ctx: ServiceContext, input: InputOf<"createEvent">): Promise<EventRecord> {
  const actor = requireActor(ctx);
  authorize(actor, "event.create");
  const data = parseInput(eventCreateSchema(ctx.timeZone), input);
  if (data.support_contact_id !== null) authorize(actor, "event.assign");
  return await transaction(ctx.db, async (tx) => {
    // Lock order: the support contact, the client, then the contract (share:
    // a concurrent unsigning or deletion of the contract, or deletion of the
    // client, waits for us or has committed and we see it).
    const support = data.support_contact_id !== null ? await lockUserShared(tx, data.support_contact_id) : undefined;
    const seen = await findContract(tx, data.contract_id);
    if (!seen) throw new NotFoundError("Contract", data.contract_id);
    const locked = await lockClient(tx, seen.client_id, "share") && await lockContract(tx, seen.id, "share");
    const contract = locked ? await findContract(tx, seen.id) : undefined;
    if (!contract) {
      throw new ConflictError(msg("errors.event.contract_deleted", { id: seen.id }), "contract_id");
    }
    const row = newEventRow(actor, contract, data, support);
    const id = await insertEvent(tx, { ...row, updated_at: ctx.now().toISOString() }).catch((e) =>
      constraintError(e, "event")
    );
    const event = (await findEvent(tx, id))!;
    await recordAudit(tx, ctx, eventCreatedAudit(id, row));
    return record(event);
  });
}

/**
 * `event update`: MANAGEMENT any event, SUPPORT only the events assigned to
 * them; only the given fields change.
 */
export async function updateEvent(ctx: ServiceContext, input: InputOf<"updateEvent">): Promise<EventRecord> {
  const actor = requireActor(ctx);
  authorize(actor, "event.update");
  const { id: given, ...fields } = input;
  const id = parseId(given);
  const data = parseInput(eventUpdateSchema(ctx.timeZone), fields);
  const changes = {
    ...data,
    start_date: data.start_date?.toISOString(),
    end_date: data.end_date?.toISOString(),
  };
  return await transaction(ctx.db, async (tx) => {
    if (!await lockEvent(tx, id)) throw new NotFoundError("Event", id);
    const before = await mustFindEvent(tx, id);
    authorize(actor, "event.update", before.support_contact_id);
    const start = changes.start_date ?? before.start_date;
    const end = changes.end_date ?? before.end_date;
    if (new Date(end).getTime() <= new Date(start).getTime()) {
      throw new InvalidInputError(
        msg("errors.event.end_after_start", { start }),
        changes.end_date !== undefined ? "end_date" : "start_date",
      );
    }
    const changed = diff(auditable(before), changes);
    if (Object.keys(changed).length > 0) {
      await updateEventRow(tx, id, { ...changes, updated_at: ctx.now().toISOString() })
        .catch((e) => constraintError(e, "event"));
      await recordAudit(tx, ctx, { action: "event.updated", entity: "event", entityId: id, changes: changed });
    }
    return record((await findEvent(tx, id))!);
  });
}

/** `event assign ID --support USER_ID` (MANAGEMENT): a SUPPORT user. */
export async function assignEvent(ctx: ServiceContext, input: InputOf<"assignEvent">): Promise<EventRecord> {
  authorize(requireActor(ctx), "event.assign");
  const { id: given, ...fields } = input;
  const id = parseId(given);
  const data = parseInput(eventAssignSchema, fields);
  return await transaction(ctx.db, async (tx) => {
    // Lock order: the support contact (share: their role cannot change until
    // we commit), then the event.
    const support = await lockUserShared(tx, data.support_contact_id);
    if (!await lockEvent(tx, id)) throw new NotFoundError("Event", id);
    const before = await mustFindEvent(tx, id);
    checkUserRole(support, { id: data.support_contact_id, role: "SUPPORT", field: "support_contact_id" });
    if (before.support_contact_id !== data.support_contact_id) {
      await updateEventRow(tx, id, {
        support_contact_id: data.support_contact_id,
        updated_at: ctx.now().toISOString(),
      });
      await recordAudit(tx, ctx, {
        action: "event.assigned",
        entity: "event",
        entityId: id,
        changes: diff(auditable(before), { support_contact_id: data.support_contact_id }),
      });
    }
    return record((await findEvent(tx, id))!);
  });
}

/** `event delete` (MANAGEMENT); `dry_run` runs every check and changes nothing. */
export async function deleteEvent(
  ctx: ServiceContext,
  input: InputOf<"deleteEvent">,
): Promise<AnswerOf<"deleteEvent">> {
  authorize(requireActor(ctx), "event.delete");
  const { id: given, ...rest } = input;
  const id = parseId(given);
  const options = parseInput(eventDeleteSchema, rest);
  return await dryRunIf(ctx, options.dry_run, (ctx) => removeEvent(ctx, id));
}

async function removeEvent(ctx: ServiceContext, id: number): Promise<AnswerOf<"deleteEvent">> {
  return await transaction(ctx.db, async (tx) => {
    if (!await lockEvent(tx, id)) throw new NotFoundError("Event", id);
    const event = await mustFindEvent(tx, id);
    await deleteEventRow(tx, id);
    await recordAudit(tx, ctx, {
      action: "event.deleted",
      entity: "event",
      entityId: id,
      changes: Object.fromEntries(Object.entries(auditable(event)).map(([k, v]) => [k, { old: v, new: null }])),
    });
    return { id };
  });
}
