/**
 * Day one and every day after (issue 19): what `import`, `report` and
 * `calendar` take and answer, through the port and the API.
 *
 * - An import's file is not JSON: it is the request's body itself (CSV or
 *   JSON Lines), streamed; its options are the query string. The answer is
 *   the import's result, 200 whether or not it was committed: a file with
 *   bad lines answers `committed: false` and every line's errors (the CLI
 *   exits 2), so that one request reports them all.
 * - Each report answers its rows (`src/domain/schemas/report.ts`).
 * - `calendar url` and `calendar reset` answer the feed's key, once; the
 *   feed itself (`GET /api/v1/calendar.ics?feed=KEY`) is served by hand.
 * @module
 */
import * as z from "zod";
import { booleanField } from "../domain/schemas/fields.ts";
import {
  calendarEntrySchema,
  eventsRowSchema,
  pipelineRowSchema,
  revenueRowSchema,
  workloadRowSchema,
} from "../domain/schemas/mod.ts";
import { COUNT, ERROR_CODE, INSTANT } from "./meta.ts";

/** The entities an import takes, as the command line and the API's path name them. */
export const IMPORT_NOUNS = ["clients", "contracts", "events"] as const;

/** What an import does with a row whose natural key exists (`services/import.ts`). */
export const ON_CONFLICT_VALUES = ["fail", "skip", "update"] as const;

/** The formats of an import file. */
export const IMPORT_FILE_FORMATS = ["csv", "jsonl"] as const;

/** `{entity}` of `POST /api/v1/imports/{entity}`. */
export const importParamsSchema = z.strictObject({
  entity: z.enum(IMPORT_NOUNS, { error: `must be one of ${IMPORT_NOUNS.join(", ")}` })
    .describe("what the file holds"),
});

/** The options of an import (its query string). */
export const importQuerySchema = z.strictObject({
  format: z.enum(IMPORT_FILE_FORMATS, { error: `must be one of ${IMPORT_FILE_FORMATS.join(", ")}` })
    .describe("csv (the header `--format csv` prints) or jsonl (one `--json` record a line)"),
  dry_run: booleanField.optional().describe("check every line and change nothing"),
  on_conflict: z.enum(ON_CONFLICT_VALUES, { error: `must be one of ${ON_CONFLICT_VALUES.join(", ")}` }).optional()
    .describe("a row whose natural key exists: fail (default), skip, or update"),
});

/** The media types of an import's body, by format. */
export const IMPORT_MEDIA: Readonly<Record<typeof IMPORT_FILE_FORMATS[number], string>> = {
  csv: "text/csv",
  jsonl: "application/x-ndjson",
};

/** Largest import file the server reads (1 GiB); the line limit of the readers still applies. */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/** One problem of one line of an import file. */
export const lineErrorSchema = z.strictObject({
  line: z.number().int().min(1).describe("the physical line (1-based) where the record starts"),
  field: z.string().optional().describe("the field at fault (its JSON name), when there is one"),
  code: ERROR_CODE
    .describe("the kind of problem, as a single command would get it"),
  message: z.string().describe("`email: must be a valid email address`"),
});

/** What an import did (or, dry or with errors, would have done: nothing was written then). */
export const importResultSchema = z.strictObject({
  entity: z.enum(["client", "contract", "event"]),
  created: COUNT.describe("records created"),
  updated: COUNT.describe("existing records changed (on_conflict update)"),
  skipped: COUNT.describe("existing records left as they were"),
  errors: z.array(lineErrorSchema).describe("the first 100 line errors, in line order"),
  error_count: COUNT.describe("every line error, including those not listed"),
  dry_run: z.boolean(),
  committed: z.boolean().describe("whether the changes were written (no error, not a dry run)"),
});

/** The input of `report revenue` and `report events`: the months to cover and their zone. */
export const reportRangeSchema = z.strictObject({
  from: z.string().optional().describe("first month: `2026-06` or a date standing for its month"),
  to: z.string().optional().describe("last month, included: `2026-06` or a date"),
  time_zone: z.string().optional().describe("IANA zone of the months, e.g. Europe/Paris; default: the server's"),
});

/** The answers of the four reports. */
export const REPORT_ANSWERS = {
  pipeline: z.array(pipelineRowSchema),
  revenue: z.array(revenueRowSchema),
  events: z.array(eventsRowSchema),
  workload: z.array(workloadRowSchema),
} as const;

/** A calendar feed's key, shown once. */
export const feedKeySchema = z.strictObject({
  key: z.string().describe("the secret of the feed's address: GET /api/v1/calendar.ics?feed=KEY"),
  created_at: INSTANT,
  replaced: z.boolean().describe("whether it replaced an older key (whose address now answers 404)"),
});

/** `?feed=` of the calendar feed. */
export const feedQuerySchema = z.strictObject({
  feed: z.string().max(200).describe("the key `calendar url` or `calendar reset` gave"),
});

export { calendarEntrySchema };
