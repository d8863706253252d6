/**
 * The OpenAPI 3.1 document of the API, generated from the contract's table
 * of operations (`src/contract/operations.ts`) through zod 4's
 * `z.toJSONSchema`: every path, parameter, request body and answer comes
 * from the schemas the services validate with and the records the CLI
 * prints. Nothing in it is written by hand but the prose of its header.
 * @module
 */
import * as z from "zod";
import { errorSchema, type Operation, OPERATIONS } from "../contract/operations.ts";
import { POLICY } from "../domain/policy.ts";
import { booleanField } from "../domain/schemas/fields.ts";

type JsonSchema = Record<string, unknown>;

/** The `display` query parameter of the operations answering records. */
const DISPLAY_PARAM = booleanField.optional()
  .describe("add the names tables show (client, sales and support contact) under display");

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), inputs as accepted. */
export function jsonSchemaOf(schema: z.core.$ZodType, io: "input" | "output"): JsonSchema {
  const json: JsonSchema = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    // Dates are sent as ISO 8601 text; other unrepresentable parts (a
    // preprocessing step) accept what their inner schema accepts.
    unrepresentable: "any",
    override(ctx) {
      if (ctx.zodSchema._zod.def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  });
  delete json.$schema;
  return json;
}

const ERROR_STATUSES: Readonly<Record<string, string>> = {
  "400": "invalid input (exit code 2): the message names the field or parameter",
  "401": "not authenticated (exit code 3): no token, or an expired, invalid, revoked or foreign one",
  "403": "permission denied (exit code 4)",
  "404": "not found (exit code 5)",
  "409": "conflict (exit code 6)",
  "413": "request body larger than 1 MiB (an import's file: larger than its own limit)",
  "500": "unexpected failure on the server (exit code 1); details are in its error log",
  "503": "the database cannot be reached, or the request took too long (exit code 7); may be retried",
};

function errorResponses(op: Operation): Record<string, unknown> {
  const statuses = ["400", "404", "500", "503"];
  if (op.auth !== false) statuses.push("401", "403", "409");
  // A session's operations answer 401 for bad credentials or a token that no longer holds.
  if (op.tag === "sessions") statuses.push("401");
  if (op.body) statuses.push("413", "409");
  if (op.upload) statuses.push("413");
  const out: Record<string, unknown> = {};
  for (const status of [...new Set(statuses)].sort()) {
    out[status] = {
      description: ERROR_STATUSES[status],
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return out;
}

function parameters(where: "path" | "query", shape: z.core.$ZodShape): Record<string, unknown>[] {
  return Object.entries(shape).map(([name, schema]) => {
    const description = z.globalRegistry.get(schema)?.description;
    return {
      name,
      in: where,
      required: where === "path",
      ...(description ? { description } : {}),
      schema: jsonSchemaOf(schema, "input"),
    };
  });
}

/** Who may run an operation, from the permission table: `MANAGEMENT (any), SALES (own)`. */
function permissionNote(op: Operation): string | undefined {
  if (!op.permission) return undefined;
  const roles = Object.entries(POLICY[op.permission]).map(([role, scope]) => `${role} (${scope})`);
  return `Permission \`${op.permission}\`: ${roles.join(", ")}.`;
}

/** The answer of success: one JSON document, a streamed array of them, or no body (204). */
function success(op: Operation): Record<string, unknown> {
  if ("none" in op.answer) return { "204": { description: "done; no body" } };
  if ("media" in op.answer) {
    return { "200": { description: "success", content: { [op.answer.media]: { schema: { type: "string" } } } } };
  }
  const list = "stream" in op.answer;
  const body = jsonSchemaOf("stream" in op.answer ? op.answer.stream : op.answer.one, "output");
  return {
    [String(op.status ?? 200)]: {
      description: list ? "a JSON array, streamed row by row" : "success",
      content: { "application/json": { schema: list ? { type: "array", items: body } : body } },
    },
  };
}

/** The OpenAPI operation object of `op`. */
export function operationObject(name: string, op: Operation): Record<string, unknown> {
  const params = [
    ...parameters("path", op.params?.shape ?? {}),
    ...parameters("query", op.query?.shape ?? {}),
    ...(op.display && !op.query?.shape.display ? parameters("query", { display: DISPLAY_PARAM }) : []),
  ];
  const note = permissionNote(op);
  return {
    operationId: name,
    summary: op.summary,
    ...(note ? { description: note } : {}),
    tags: [op.tag],
    security: op.auth === false ? [] : [{ bearer: [] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(op.body, "input") } } } }
      : {}),
    ...(op.upload
      ? {
        requestBody: {
          required: true,
          description: `the file, streamed (at most ${op.upload.maxBytes} bytes; each line at most 1 MiB)`,
          content: Object.fromEntries(
            Object.values(op.upload.media).map((media) => [media, { schema: { type: "string" } }]),
          ),
        },
      }
      : {}),
    responses: { ...success(op), ...errorResponses(op) },
  };
}

let document: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document of every operation of the contract (built once). */
export function openApiDocument(): Record<string, unknown> {
  if (document) return document;
  const paths: Record<string, Record<string, unknown>> = {};
  const operations: [string, Operation][] = Object.entries(OPERATIONS);
  for (const [name, op] of operations) {
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(name, op);
  }
  document = {
    openapi: "3.1.0",
    info: {
      title: "Epic Events CRM",
      version: "1",
      description: "The API of `epic-events serve`. Resources are the CLI's `--json` output; errors are the CLI's " +
        'error object `{"error":{"code","message","field"}}`. Send `Authorization: Bearer <token>` from ' +
        "`POST /api/v1/sessions`. Lists are streamed JSON arrays; their filters are the CLI's flags.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: jsonSchemaOf(errorSchema, "output") },
    },
    paths,
  };
  return document;
}
