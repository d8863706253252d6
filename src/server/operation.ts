/**
 * The one handler of every operation of the contract that is not special: it
 * turns a request into the operation's input, calls the same {@link Crm} the
 * CLI calls (the local adapter, with the session of the request's bearer
 * token), and sends its answer — one JSON document, or a list streamed row by
 * row. Its errors are answered by the server with the status of their kind.
 *
 * In order, as the local CLI would meet them: the path's and the query's
 * values (400 naming the parameter), the JSON body's syntax (400), the
 * session (401), the operation's permission (403), the body's fields (400
 * naming the field), then the use case itself (ownership, existence,
 * conflicts). The input is checked against the operation's schemas and
 * passed on as sent: the services validate it again, with the server's time
 * zone, as they do for the CLI.
 * @module
 */
import type * as z from "zod";
import { type InputOf, type Operation, OPERATIONS, type PortOperation } from "../contract/operations.ts";
import { authorize } from "../domain/policy.ts";
import { parseInput } from "../domain/schemas/mod.ts";
import { jsonResponse, parseJsonObject, readBody, respond, streamArray, uploadedFile } from "./http.ts";
import type { Exchange, Route } from "./route.ts";

/** Checks `value` against `schema` (400 naming the field), narrowing it to what the schema accepts. */
function check<S extends z.ZodType>(schema: S, value: unknown): asserts value is z.input<S> {
  parseInput(schema, value);
}

/** A value without the `display` names of its records (and of the records it holds), unless asked for. */
export function shaped(x: Pick<Exchange, "display">, value: unknown): unknown {
  if (x.display || value === null || typeof value !== "object" || Array.isArray(value)) return value;
  if (isFlat(value)) return value; // nothing to drop: the record as it is (a list's rows, most answers)
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== "display") out[key] = shaped(x, inner);
  }
  return out;
}

/** A list's row as it is (records asked without their names). */
const asItIs = (row: unknown): unknown => row;

/** Whether `value` has no `display` and holds no object that could have one. */
function isFlat(value: object): boolean {
  for (const key in value) {
    if (key === "display") return false;
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== null && typeof inner === "object") return false;
  }
  return true;
}

/**
 * Checks the input of operation `name` part by part — its path parameters,
 * its query and its body, each by its schema — so that the whole is the
 * operation's input.
 */
function checkInput<K extends PortOperation>(
  name: K,
  input: Record<string, unknown>,
  queryChecked: boolean,
): asserts input is Record<string, unknown> & InputOf<K> {
  const op: Operation = OPERATIONS[name];
  // A query alone, already checked (most lists): nothing left to check here.
  if (queryChecked && !op.body && !op.params) return;
  const rest = { ...input };
  for (const part of [op.params, op.query]) {
    if (!part) continue;
    const values: Record<string, unknown> = {};
    for (const key of Object.keys(part.shape)) {
      if (key in rest) values[key] = rest[key];
      delete rest[key];
    }
    if (part !== op.query || !queryChecked) check(part, values);
  }
  if (op.body) check(op.body, rest);
}

/**
 * Whether a query that passed {@link Exchange.query}'s checks (each
 * parameter sent, by its own schema) passes the query's schema as a whole:
 * no check across its fields, and every field may be left out. Then it is
 * not checked a second time here (the service still validates its input).
 */
function checkedByParameter(query: z.ZodObject | undefined): boolean {
  if (query === undefined) return true;
  if ((query._zod.def.checks ?? []).length > 0) return false;
  return Object.values(query.shape).every((field) => (field as z.ZodType).safeParse(undefined).success);
}

/** Whether `value` is the rows of a list. */
function isRows(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** What every route of the table takes from its operation: method, path, name, whether a token is needed, its query. */
export function routeOf(name: string, op: Operation): Omit<Route, "handle"> {
  return { method: op.method, path: op.path, operationId: name, auth: op.auth !== false, query: op.query };
}

/** The route of operation `name`, served by the generic handler. */
export function operationRoute<K extends PortOperation>(name: K): Route {
  const op: Operation = OPERATIONS[name];
  const list = "stream" in op.answer;
  const displayed = op.query !== undefined && "display" in op.query.shape;
  const queryChecked = checkedByParameter(op.query);
  return {
    ...routeOf(name, op),
    display: op.display,
    list,
    async handle(x) {
      // The query was read by the server, parameter by parameter; the path's values are read first too.
      if (op.params) check(op.params, x.params);
      if (op.permission) authorize(await x.crm.whoami(), op.permission);
      const body = op.body ? parseJsonObject(await readBody(x.request)) : {};
      const input: Record<string, unknown> = { ...x.params, ...x.query, ...(displayed ? { display: x.display } : {}) };
      Object.assign(input, body);
      checkInput(name, input, queryChecked);
      // A file (an import) is handed on as it arrives, within its own ceiling.
      const upload = op.upload ? uploadedFile(x.request, op.upload.maxBytes) : undefined;
      if (upload) Object.assign(input, { file: upload.file });
      let answer: unknown;
      try {
        answer = await x.crm.call(name, input);
      } catch (error) {
        // Refused before or while reading the file: what is left is read and dropped, so that the client,
        // still sending, gets the answer rather than a reset connection.
        await upload?.drain();
        throw error;
      }
      if (list && isRows(answer)) {
        // Asked without names (`display` false in the list's input), its records were built without them.
        return streamArray(answer, displayed && !x.display ? asItIs : (row) => shaped(x, row), x.stream);
      }
      if ("none" in op.answer) return respond(204, null);
      return jsonResponse(op.status ?? 200, shaped(x, answer));
    },
  };
}
