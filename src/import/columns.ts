/**
 * The columns an import reads for each entity: the CSV titles `--format csv`
 * prints (a list's and a record's detail columns, e.g. `NAME`, `SALES CONTACT
 * ID`), the JSON names of `--json` (`full_name`, `sales_contact_id`), and the
 * natural keys that let a file name what it refers to without ids
 * (`client_email`, `contract_number`, `sales_contact_email` …).
 *
 * A column is either read (handed to the service under its JSON name) or
 * ignored: ids, timestamps and display-only names that the database decides
 * (`id`, `created_at`, `last_updated`, an event's `CLIENT` name). The
 * exceptions are a contact's display name (`SALES CONTACT`, `SUPPORT`) and
 * a contract's client (`CLIENT`): a list's CSV names them by name only, so
 * it is read as a reference, resolved among the collaborators of the right
 * role (or the clients) when the name is unique. A field of the record that no layout names (a field added to the
 * contract) is read under its JSON name and its label, or ignored when the
 * command line does not set it either (see {@link withRecordFields}).
 * `tests/import/read_test.ts` checks that every title the CLI prints is
 * known here.
 * @module
 */
import type * as z from "zod";
import { clientRecord } from "../contract/clients.ts";
import { contractRecord } from "../contract/contracts.ts";
import { eventRecord } from "../contract/events.ts";
import { displayShapeOf, fieldMetaOf, type RecordSchema } from "../contract/meta.ts";
import { ImportFileError } from "./errors.ts";

/** What an import creates. */
export type ImportEntity = "client" | "contract" | "event";

/** Every entity an import takes, in the order a full load goes. */
export const IMPORT_ENTITIES: readonly ImportEntity[] = ["client", "contract", "event"];

/** One column of an import file. */
export interface ImportColumn {
  /** The JSON name: the key of a JSON Lines record and of the record the service gets. */
  name: string;
  /** The CSV title, as `--format csv` prints it (or would, for a natural key). */
  title: string;
  /** Read and dropped: an id, a timestamp or a display name the database decides. */
  ignored?: boolean;
  /** An empty CSV cell means `null` (no value), not "not given". */
  nullable?: boolean;
}

/** The columns of one entity, and which it needs. */
export interface ImportLayout {
  entity: ImportEntity;
  columns: readonly ImportColumn[];
  /**
   * What a CSV header must hold: for each requirement, one of its
   * alternatives, each a set of columns all present (by JSON name).
   */
  requires: readonly (readonly (readonly string[])[])[];
}

const ignored = (name: string, title: string): ImportColumn => ({ name, title, ignored: true });
const read = (name: string, title: string): ImportColumn => ({ name, title });

/** A collaborator referenced by id, email or display name. */
function contact(prefix: "sales_contact" | "support_contact", nameTitle: string): ImportColumn[] {
  const title = prefix === "sales_contact" ? "SALES CONTACT" : "SUPPORT CONTACT";
  return [
    read(`${prefix}_id`, `${title} ID`),
    read(`${prefix}_email`, `${title} EMAIL`),
    read(`${prefix}_name`, nameTitle),
  ];
}

/**
 * `layout` with a column for each field of `record` (and of its `display`)
 * that it does not name: read under the field's JSON name and label when
 * the command line sets the field (nullable when the field is), ignored
 * otherwise.
 */
function withRecordFields(layout: ImportLayout, record: RecordSchema): ImportLayout {
  const named = new Set(layout.columns.map((c) => c.name));
  const fields: [string, z.core.$ZodType][] = [
    ...Object.entries(record.shape).filter(([name]) => name !== "display"),
    ...Object.entries(displayShapeOf(record)),
  ];
  const added: ImportColumn[] = [];
  for (const [name, field] of fields) {
    const meta = fieldMetaOf(field);
    if (named.has(name) || !meta?.label) continue;
    const nullable = (field as z.ZodType).safeParse(null).success;
    added.push({ name, title: meta.label, ...(meta.input ? (nullable ? { nullable } : {}) : { ignored: true }) });
  }
  return { ...layout, columns: [...layout.columns, ...added] };
}

/** Columns of each entity. */
export const IMPORT_LAYOUTS: Readonly<Record<ImportEntity, ImportLayout>> = {
  client: withRecordFields({
    entity: "client",
    columns: [
      ignored("id", "ID"),
      read("full_name", "NAME"),
      read("email", "EMAIL"),
      read("phone", "PHONE"),
      read("company_name", "COMPANY"),
      ...contact("sales_contact", "SALES CONTACT"),
      ignored("created_at", "CREATED AT"),
      ignored("last_updated", "LAST UPDATED"),
    ],
    requires: [[["full_name"]], [["email"]], [["phone"]], [["company_name"]]],
  }, clientRecord),
  contract: withRecordFields({
    entity: "contract",
    columns: [
      ignored("id", "ID"),
      read("client_id", "CLIENT ID"),
      read("client_email", "CLIENT EMAIL"),
      read("client_name", "CLIENT"),
      read("contract_number", "CONTRACT NUMBER"),
      ...contact("sales_contact", "SALES CONTACT"),
      read("total_amount", "TOTAL"),
      read("amount_due", "DUE"),
      read("signed_status", "SIGNED"),
      ignored("created_at", "CREATED"),
    ],
    requires: [[["client_email"], ["client_id"], ["client_name"]], [["total_amount"]]],
  }, contractRecord),
  event: withRecordFields({
    entity: "event",
    columns: [
      ignored("id", "ID"),
      read("contract_id", "CONTRACT"),
      read("client_email", "CLIENT EMAIL"),
      read("contract_number", "CONTRACT NUMBER"),
      ignored("client_id", "CLIENT ID"),
      ignored("client_name", "CLIENT"),
      read("name", "NAME"),
      read("client_contact", "CLIENT CONTACT"),
      read("start_date", "START"),
      read("end_date", "END"),
      read("location", "LOCATION"),
      read("attendees", "ATTENDEES"),
      { name: "notes", title: "NOTES", nullable: true },
      ...contact("support_contact", "SUPPORT"),
    ],
    requires: [
      [["contract_id"], ["client_email", "contract_number"]],
      [["name"]],
      [["client_contact"]],
      [["start_date"]],
      [["end_date"]],
      [["location"]],
      [["attendees"]],
    ],
  }, eventRecord),
};

/** A column's name as matched: trimmed, lower case (`Email`, `EMAIL` and `email` are one). */
function key(text: string): string {
  return text.trim().toLowerCase();
}

/** Columns of `layout` by title and by JSON name, matched case-insensitively. */
function byKey(layout: ImportLayout): Map<string, ImportColumn> {
  const map = new Map<string, ImportColumn>();
  for (const column of layout.columns) {
    map.set(key(column.title), column);
    if (!map.has(key(column.name))) map.set(key(column.name), column);
  }
  return map;
}

const lookups = new Map<ImportEntity, Map<string, ImportColumn>>();

/** The column named `text` (a CSV title or a JSON name, any case), if `layout` has one. */
export function findColumn(layout: ImportLayout, text: string): ImportColumn | undefined {
  let map = lookups.get(layout.entity);
  if (!map) lookups.set(layout.entity, map = byKey(layout));
  return map.get(key(text));
}

/** `NAME (full_name)`. */
function describe(column: ImportColumn): string {
  return column.title === column.name ? column.title : `${column.title} (${column.name})`;
}

/** `NAME, EMAIL, PHONE …`: the titles of the columns read. */
function readTitles(layout: ImportLayout): string {
  return layout.columns.filter((c) => !c.ignored).map((c) => c.title).join(", ");
}

/**
 * The columns of a CSV header, in order: `null` for an ignored column.
 *
 * @throws {ImportFileError} (line 1) for an unknown or repeated column, or a
 *   required one missing
 */
export function headerColumns(layout: ImportLayout, header: readonly string[]): (ImportColumn | null)[] {
  const seen = new Set<string>();
  const columns = header.map((text) => {
    const column = findColumn(layout, text);
    if (!column) {
      throw new ImportFileError(
        1,
        `unknown column ${JSON.stringify(text)}: a ${layout.entity} file's columns are ${readTitles(layout)}` +
          " (or their JSON names)",
        "header",
      );
    }
    if (seen.has(column.name)) {
      throw new ImportFileError(1, `column ${describe(column)} is given twice`, "header");
    }
    seen.add(column.name);
    return column.ignored ? null : column;
  });
  for (const requirement of layout.requires) {
    if (requirement.some((names) => names.every((name) => seen.has(name)))) continue;
    const wanted = requirement.map((names) =>
      names.map((name) => describe(layout.columns.find((c) => c.name === name)!)).join(" and ")
    );
    throw new ImportFileError(1, `the header has no ${wanted.join(" or ")} column`, "header");
  }
  return columns;
}

/**
 * A JSON Lines record with its keys checked: ignored keys dropped, unknown
 * keys listed (the record is refused for them, as a command refuses an
 * unknown field).
 */
export function recordFields(
  layout: ImportLayout,
  value: Record<string, unknown>,
): { record: Record<string, unknown>; unknown: string[] } {
  const record: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [name, field] of Object.entries(value)) {
    const column = layout.columns.find((c) => c.name === name);
    if (!column) unknown.push(name);
    else if (!column.ignored) record[name] = field;
  }
  return { record, unknown };
}
