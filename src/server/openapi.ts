/**
 * The OpenAPI 3.1 document of the API, generated from the route table and
 * the zod schemas: request bodies and query parameters from the schemas the
 * services validate with (`src/domain/schemas/`, through zod 4's
 * `z.toJSONSchema`), responses from `records.ts`. Nothing in it is written
 * by hand but the prose.
 * @module
 */
import * as z from "zod";
import { errorSchema } from "./records.ts";
import { booleanField } from "../domain/schemas/fields.ts";
import type { QueryParam, Route } from "./route.ts";

type JsonSchema = Record<string, unknown>;

/** The `display` query parameter of the routes answering records. */
export const DISPLAY_PARAM: QueryParam = {
  name: "display",
  schema: booleanField,
  description: "add the names tables show (client, sales and support contact) under display",
};

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), inputs as accepted. */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    // Dates are sent as ISO 8601 text; other unrepresentable parts (a
    // preprocessing step) accept what their inner schema accepts.
    unrepresentable: "any",
    override(ctx) {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

const ERROR_STATUSES: Readonly<Record<string, string>> = {
  "400": "invalid input (exit code 2): the message names the field or parameter",
  "401": "not authenticated (exit code 3): no token, or an expired, invalid, revoked or foreign one",
  "403": "permission denied (exit code 4)",
  "404": "not found (exit code 5)",
  "409": "conflict (exit code 6)",
  "413": "request body larger than 1 MiB",
  "500": "unexpected failure on the server (exit code 1); details are in its error log",
  "503": "the database cannot be reached, or the request took too long (exit code 7); may be retried",
};

function errorResponses(route: Route): Record<string, unknown> {
  const statuses = ["400", "404", "500", "503"];
  if (route.auth) statuses.push("401", "403", "409");
  if (route.body) statuses.push("413", "409");
  const out: Record<string, unknown> = {};
  for (const status of [...new Set(statuses)].sort()) {
    out[status] = {
      description: ERROR_STATUSES[status],
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return out;
}

function parameter(param: QueryParam): Record<string, unknown> {
  return {
    name: param.name,
    in: "query",
    required: false,
    description: param.description,
    schema: jsonSchemaOf(param.schema, "input"),
  };
}

function operation(route: Route): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = [];
  for (const match of route.path.matchAll(/\{([a-z_]+)\}/g)) {
    parameters.push({
      name: match[1],
      in: "path",
      required: true,
      schema: { type: "integer", minimum: 1 },
    });
  }
  for (const param of route.query ?? []) parameters.push(parameter(param));
  if (route.display) parameters.push(parameter(DISPLAY_PARAM));
  const body = jsonSchemaOf(route.response, "output");
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: route.auth ? [{ bearer: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
        requestBody: {
          required: true,
          content: { "application/json": { schema: jsonSchemaOf(route.body, "input") } },
        },
      }
      : {}),
    responses: {
      [String(route.status)]: {
        description: route.list ? "a JSON array, streamed row by row" : "success",
        content: { "application/json": { schema: route.list ? { type: "array", items: body } : body } },
      },
      ...errorResponses(route),
    },
  };
}

const documents = new WeakMap<readonly Route[], Record<string, unknown>>();

/** The OpenAPI 3.1 document of `routes` (built once per table). */
export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const cached = documents.get(routes);
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  const document = {
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
  documents.set(routes, document);
  return document;
}
