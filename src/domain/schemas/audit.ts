/**
 * Schema of the audit trail's filter (`audit list`).
 * @module
 */
import * as z from "zod";
import { dateField, idField, limitField, perTimeZone, typeError } from "./fields.ts";
import { AUDIT_ENTITIES } from "../audit_entities.ts";

/** Entity names accepted by `audit list --entity` (singular, lower case). */

const auditEntity = z
  .string({ error: typeError(`must be one of ${AUDIT_ENTITIES.join(", ")}`) })
  .trim()
  .toLowerCase()
  .transform((value) => value.endsWith("s") ? value.slice(0, -1) : value)
  .pipe(z.enum(AUDIT_ENTITIES, { error: `must be one of ${AUDIT_ENTITIES.join(", ")}` }));

function buildAuditFilterSchema(timeZone: string) {
  return z.strictObject({
    entity: auditEntity.optional(),
    id: idField.optional(),
    actor: idField.optional(),
    since: dateField(timeZone).optional(),
    limit: limitField.optional(),
  });
}

/** The schema `auditFilterSchema` builds. */
export type AuditFilterSchema = ReturnType<typeof buildAuditFilterSchema>;

/**
 * `audit list` schema for a time zone: entity (user/client/contract/event,
 * any case, plural accepted), id, actor (a user id), since (`Date`; a bare
 * `YYYY-MM-DD` is local midnight), limit — all optional. Unknown keys are
 * refused.
 *
 * @param timeZone IANA zone of zone-less dates (the `TZ` variable); default: the process's zone
 * @throws {InvalidInputError} (field `TZ`) when the zone is unknown
 */
export const auditFilterSchema: (timeZone?: string) => AuditFilterSchema = perTimeZone(buildAuditFilterSchema);

/** What a caller gives `audit list`. */
export type AuditFilterInput = z.input<AuditFilterSchema>;
