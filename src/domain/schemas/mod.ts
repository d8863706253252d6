/**
 * The validation rules every input schema of the contract (`src/contract/`)
 * is built from, and how a refusal becomes an error naming its field.
 *
 * - Every input schema is a strict object: an unknown key (`compnay_name`) is
 *   refused (`compnay_name: unknown field`, exit 2).
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
export { fieldError, fieldReason, fieldSchema, inputIssues, parseId, parseInput } from "./parse.ts";
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
