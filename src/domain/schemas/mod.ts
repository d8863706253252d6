/**
 * The zod schemas shared by the CLI and the services: one per entity and
 * action, with the JSON field names of PRODUCT.md §1, plus the list filters
 * and `login`.
 *
 * - Every input schema is a strict object: an unknown key (`compnay_name`) is
 *   refused (`compnay_name: unknown field`, exit 2), and the `…Input` types
 *   make it a compile error for callers.
 * - The shared field rules (text, email, phone, money, dates, ids) live in
 *   `fields.ts`; see it for the text rules (trimming, lengths in characters,
 *   refused control, separator and bidirectional characters).
 * - Money becomes integer cents; dates become `Date` instants. Schemas with
 *   dates are factories taking the IANA time zone of zone-less input.
 * - Optional fields left out are `undefined` in the output, meaning "not
 *   given" (an update leaves them alone; a create applies the service's
 *   default) — except a create's nullable fields (`phone` of a user, `notes`,
 *   `support_contact_id` of an event), which come out as `null`.
 * - An empty string given for a nullable field (user `phone`, `notes`) means `null`.
 * @module
 */
export { fieldError, fieldSchema, inputIssues, parseId, parseInput } from "./parse.ts";
export {
  type UserCreateInput,
  userCreateSchema,
  type UserUpdateInput,
  type UserUpdateOutput,
  userUpdateSchema,
} from "./user.ts";
export { type LoginInput, loginSchema } from "./session.ts";
export {
  type ClientCreateData,
  type ClientCreateInput,
  clientCreateSchema,
  type ClientFilterInput,
  clientFilterSchema,
  type ClientUpdateInput,
  clientUpdateSchema,
} from "./client.ts";
export {
  AMOUNT_DUE_ABOVE_TOTAL,
  amountDueWithinTotal,
  type ContractCreateData,
  type ContractCreateInput,
  contractCreateSchema,
  type ContractFilterInput,
  contractFilterSchema,
  type ContractUpdateInput,
  contractUpdateSchema,
} from "./contract.ts";
export {
  END_NOT_AFTER_START,
  endAfterStart,
  type EventAssignInput,
  eventAssignSchema,
  type EventCreateData,
  type EventCreateInput,
  type EventCreateSchema,
  eventCreateSchema,
  type EventFilterInput,
  eventFilterSchema,
  type EventUpdateInput,
  type EventUpdateSchema,
  eventUpdateSchema,
} from "./event.ts";
export { type AuditFilterInput, type AuditFilterSchema, auditFilterSchema } from "./audit.ts";
export {
  type EventsRow,
  eventsRowSchema,
  PIPELINE_STATES,
  type PipelineRow,
  pipelineRowSchema,
  type PipelineState,
  REPORT_NAMES,
  REPORT_ROW_SCHEMAS,
  type ReportInput,
  reportInputSchema,
  type ReportName,
  type ReportRows,
  type RevenueRow,
  revenueRowSchema,
  type WorkloadRow,
  workloadRowSchema,
} from "./report.ts";
export { type CalendarEntry, calendarEntrySchema } from "./calendar.ts";
export { IMPORT_REFERENCE_KEYS, type ImportReferences, importReferencesSchema } from "./import.ts";
