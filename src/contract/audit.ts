/**
 * The audit trail: an entry (`audit list --json`), and what `audit list`
 * takes.
 * @module
 */
import * as z from "zod";
import { AUDIT_ENTITIES } from "../domain/audit_entities.ts";
import { dateField, idField as idRule, perTimeZone, typeError } from "../domain/schemas/fields.ts";
import { field, filter, ID, idField, instantField, PAGE, record } from "./meta.ts";

/** One entry of the audit trail; `changes` are in public units (money as `"1500.00"`). */
export const auditRecord = record({
  id: idField("The entry's id (entries are in the order they were written).", { label: "ID" }),
  occurred_at: instantField("When the change was made (ISO 8601, `Z`).", "AT"),
  actor_id: field(ID.nullable(), "Who made it, or null (e.g. a failed login).", { label: "ACTOR", show: "number" }),
  action: field(z.string(), "What was done, e.g. `contract.signed`.", { label: "ACTION" }),
  entity: field(z.string(), "The kind of record changed, e.g. `contract`, or the session for logins.", {
    label: "ENTITY",
  }),
  entity_id: field(ID.nullable(), "The record changed, or null.", { label: "ENTITY ID", show: "number" }),
  changes: field(
    z.record(z.string(), z.unknown()).nullable(),
    "Each changed field as `{ old, new }` (secrets redacted), or null.",
    { label: "CHANGES" },
  ),
}, {
  noun: "audit entry",
  list: ["id", "occurred_at", "actor_id", "action", "entity", "entity_id", "changes"],
  more: [],
  // The action names the entity (`contract.signed`): on a narrow terminal, the changes are worth more.
  narrow: ["entity", "actor_id"],
});

/** An audit entry, as `--json` prints it. */
export type AuditRecord = z.output<typeof auditRecord>;

const auditEntity = z
  .string({ error: typeError(`must be one of ${AUDIT_ENTITIES.join(", ")}`) })
  .trim()
  .toLowerCase()
  .transform((value) => value.endsWith("s") ? value.slice(0, -1) : value)
  .pipe(z.enum(AUDIT_ENTITIES, { error: `must be one of ${AUDIT_ENTITIES.join(", ")}` }));

function buildAuditListSchema(timeZone: string) {
  return z.strictObject({
    entity: filter(auditEntity.optional(), "user, client, contract or event", { arg: "name", words: AUDIT_ENTITIES }),
    id: filter(idRule.optional(), "only about the entity with this id", { arg: "id", kind: "id" }),
    actor: filter(idRule.optional(), "only what they did", { arg: "user_id", kind: "id" }),
    since: filter(dateField(timeZone).optional(), "on or after this date (local time by default)", {
      arg: "date",
      kind: "date",
    }),
    ...PAGE,
  });
}

/** The schema `auditListSchema` builds. */
export type AuditListSchema = ReturnType<typeof buildAuditListSchema>;

/**
 * `audit list` schema for a time zone: entity (user/client/contract/event,
 * any case, plural accepted), id, actor (a user id), since (`Date`; a bare
 * `YYYY-MM-DD` is local midnight), paging — all optional. Unknown keys are
 * refused.
 *
 * @param timeZone IANA zone of zone-less dates (the `TZ` variable); default: the process's zone
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export const auditListSchema: (timeZone?: string) => AuditListSchema = perTimeZone(buildAuditListSchema);
