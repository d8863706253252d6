/**
 * Lists read as JSON text built by the database (PostgreSQL): the SQL of a
 * record's element text, from the contract's layout of its fields. Apart from
 * the other helpers of `sql.ts` so that the repositories on the token's path
 * (sessions, users) do not import the contract (zod) with them.
 * @module
 */
import type { SqlFeatures } from "../db/database.ts";
import { jsonColumnsOf, type RecordSchema } from "../contract/meta.ts";
import { ELEMENT_END, elementKeyPrefix } from "../domain/json_layout.ts";

/**
 * A row of a list read as JSON text (see {@link jsonListSelect}): the UTF-8
 * bytes of its element's text, which starts with `{`, or, for a row whose
 * text the database could not build, of the row's id.
 */
export type JsonRow = readonly [text: Uint8Array];

/** `text` as an SQL string literal (program constants only: keys and the JSON layout). */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The SQL expression of a record's text as an element of a printed JSON
 * array (`src/domain/json_layout.ts`: the same bytes as the CLI's JSON
 * writer gives the record without its `display` names), from the columns of
 * `alias`; NULL when one of its values has no exact text in SQL (see
 * {@link SqlFeatures.jsonValue}: checked once for the row). Undefined when
 * the dialect builds no JSON.
 */
export function recordJsonSql(sql: SqlFeatures, schema: RecordSchema, alias: string): string | undefined {
  const jsonValue = sql.jsonValue;
  if (!jsonValue) return undefined;
  const exact: string[] = [];
  const parts = jsonColumnsOf(schema).map((field, i) => {
    const value = jsonValue(`${alias}.${field.column}`, field.kind, field.nullable);
    if (value.exact) exact.push(value.exact);
    return `${literal(elementKeyPrefix(field.name, i === 0))} || ${value.text}`;
  });
  const text = `${parts.join(" || ")} || ${literal(ELEMENT_END)}`;
  return exact.length === 0 ? text : `CASE WHEN ${exact.join(" AND ")} THEN ${text} END`;
}

/**
 * The select list of a list read as JSON text, {@link JsonRow}s (read with
 * `raw`): each row's element text, or its id (`key`) where there is none.
 */
export function jsonListSelect(json: string, alias: string, key = "id"): string {
  return `coalesce(${json}, ${alias}.${key}::text)`;
}
