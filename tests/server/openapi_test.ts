/**
 * The OpenAPI document: every route the server answers is in it and every
 * operation in it is answered (probed over HTTP with every method), and its
 * request schemas are the ones the services validate with.
 */
import assert from "node:assert/strict";
import {
  clientCreateSchema,
  clientListSchema,
  contractCreateSchema,
  eventAssignSchema,
} from "../../src/contract/mod.ts";
import type { Operation } from "../../src/contract/operations.ts";
import { jsonSchemaOf, openApiDocument, operationObject } from "../../src/server/openapi.ts";
import { ok, PASSWORD, setupCrew } from "../support/fixtures.ts";
import { api, apiLogin } from "../support/http.ts";
import { startContractProxy } from "../support/contract.ts";
import { remoteTest } from "../support/remote.ts";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { securitySchemes: Record<string, unknown> };
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"] as const;

/** Paths no route has: each must be a 404 "No such route" for every method. */
const NOT_ROUTES = [
  "/",
  "/api",
  "/api/v1",
  "/api/v1/",
  "/api/v2/clients",
  "/api/v1/clients/",
  "/api/v1/clients/1/sign",
  "/api/v1/contracts/1/assign",
  "/api/v1/sessions/1",
  "/api/v1/users/1/extra",
  "/healthz/",
  "/API/V1/CLIENTS",
  "/api/v1/openapi.yaml",
];

remoteTest(
  "every route the server answers is in the OpenAPI document, and every operation in it is answered",
  async (b) => {
    const crew = await setupCrew(b);
    const base = b.servers[0].url;
    const docAnswer = await api(base, "GET", "/api/v1/openapi.json");
    assert.equal(docAnswer.status, 200);
    const doc = docAnswer.json<Doc>();
    assert.equal(doc.openapi, "3.1.0");
    assert.deepEqual(Object.keys(doc.components.securitySchemes), ["bearer"]);

    const documented = new Set<string>();
    const operationIds = new Set<string>();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        documented.add(`${method.toUpperCase()} ${path}`);
        assert.ok(!operationIds.has(String(operation.operationId)), `operationId ${operation.operationId} is unique`);
        operationIds.add(String(operation.operationId));
      }
    }
    assert.ok(documented.size >= 30, `${documented.size} operations documented`);

    // Probe as a manager; ids that do not exist, so that nothing is changed.
    let token = await apiLogin(base, crew.manager.email, "correct horse battery");
    const answered = new Set<string>();
    const probe = async (method: string, template: string) => {
      const path = template.replaceAll("{id}", "999999");
      const withBody = method === "POST" || method === "PATCH" || method === "PUT";
      const answer = await api(base, method, path, { token, ...(withBody ? { body: {} } : {}) });
      if (answer.status === 401 && method !== "HEAD") {
        // The probe of DELETE /api/v1/sessions/current logs the manager out: log in again.
        token = await apiLogin(base, crew.manager.email, "correct horse battery");
      }
      const routeMissing = answer.status === 405 ||
        (answer.status === 404 && (method === "HEAD" || answer.json<{ error: { message: string } }>().error.message
          .startsWith("No such route")));
      if (!routeMissing) answered.add(`${method} ${template}`);
      return routeMissing;
    };
    for (const template of Object.keys(doc.paths)) {
      for (const method of METHODS) await probe(method, template);
    }
    for (const path of NOT_ROUTES) {
      for (const method of METHODS) assert.ok(await probe(method, path), `${method} ${path} is no route`);
    }
    for (const operation of answered) {
      assert.ok(
        documented.has(operation),
        `${operation} is answered but not documented`,
      );
    }
    for (const operation of documented) {
      assert.ok(
        answered.has(operation),
        `${operation} is documented but not answered`,
      );
    }
    // The probe of DELETE /api/v1/sessions ended every session of the manager
    // (logout --all): the server still answers a fresh login.
    const ended = await crew.manager.cli(["whoami", "--json"]);
    assert.equal(ended.code, 3, ended.stderr);
    await ok(crew.manager.cli(["login", "--email", crew.manager.email, "--password-stdin"], { stdin: PASSWORD }));
    await ok(crew.manager.cli(["whoami", "--json"]));
  },
);

remoteTest("the document's request schemas are generated from the services' validation schemas", async (b) => {
  const doc = (await api(b.servers[0].url, "GET", "/api/v1/openapi.json")).json<Doc>();
  const body = (method: string, path: string) =>
    ((doc.paths[path][method].requestBody as Record<string, unknown>).content as Record<string, { schema: unknown }>)[
      "application/json"
    ].schema;
  assert.deepEqual(body("post", "/api/v1/clients"), jsonSchemaOf(clientCreateSchema, "input"));
  assert.deepEqual(body("post", "/api/v1/contracts"), jsonSchemaOf(contractCreateSchema, "input"));
  assert.deepEqual(body("post", "/api/v1/events/{id}/assign"), jsonSchemaOf(eventAssignSchema, "input"));
  const clientBody = body("post", "/api/v1/clients") as { required: string[]; properties: Record<string, unknown> };
  assert.deepEqual(clientBody.required, ["full_name", "email", "phone", "company_name"]);
  assert.deepEqual(clientBody.properties.sales_contact_id, { type: "integer", minimum: 1, maximum: 2147483647 });

  const listClients = doc.paths["/api/v1/clients"].get as { parameters: { name: string; schema: unknown }[] };
  assert.deepEqual(listClients.parameters.map((p) => p.name), ["mine", "search", "limit", "offset", "display"]);
  assert.deepEqual(
    listClients.parameters.find((p) => p.name === "limit")!.schema,
    jsonSchemaOf(clientListSchema.shape.limit, "input"),
  );
  const userBody = body("post", "/api/v1/users") as { required: string[] };
  assert.ok(userBody.required.includes("password"));
  assert.deepEqual((doc.paths["/healthz"].get as { security: unknown[] }).security, []);
  assert.deepEqual((doc.paths["/api/v1/clients"].get as { security: unknown[] }).security, [{ bearer: [] }]);
});

Deno.test("the document is valid OpenAPI 3.1 for an independent validator; a broken one is not", async () => {
  const { Validator } = await import("@seriousme/openapi-schema-validator");
  const validator = new Validator();
  const document = structuredClone(openApiDocument());
  const result = await validator.validate(document);
  assert.deepEqual(result.errors ?? [], [], "no validation error");
  assert.equal(result.valid, true);
  assert.equal(validator.version, "3.1");
  // The validator is no rubber stamp: a parameter that does not say where it goes is refused.
  const broken = structuredClone(document) as Doc;
  delete (broken.paths["/api/v1/clients"].get.parameters as Record<string, unknown>[])[0].in;
  assert.equal((await new Validator().validate(broken)).valid, false);
});

Deno.test("the contract proxy reports every answer the document does not describe, and nothing else", async () => {
  const document = openApiDocument();
  const client = {
    id: 3,
    full_name: "Kate",
    email: "k@x.io",
    phone: "0102030405",
    company_name: "Acme",
    sales_contact_id: 2,
    created_at: "2027-06-04T16:00:00.000Z",
    last_updated: "2027-06-04T16:00:00.000Z",
  };
  const answers: Record<string, [number, unknown]> = {
    "/api/v1/openapi.json": [200, document],
    "/api/v1/clients": [200, [client, { ...client, id: "four" }]],
    "/api/v1/clients/3": [200, client],
    "/api/v1/users/1": [418, { error: { code: "internal", message: "teapot" } }],
    "/api/v1/nope": [404, { error: { code: "not_found", message: "No such route" } }],
  };
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const [status, body] = answers[new URL(request.url).pathname];
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  });
  const proxy = await startContractProxy(`http://127.0.0.1:${upstream.addr.port}`);
  try {
    for (const path of ["/api/v1/clients", "/api/v1/clients/3", "/api/v1/users/1", "/api/v1/nope"]) {
      const answer = await fetch(`${proxy.url}${path}`);
      assert.deepEqual(await answer.json(), answers[path][1], "passed through unchanged");
    }
  } finally {
    await proxy.close();
    await upstream.shutdown();
  }
  assert.equal(proxy.violations.length, 2, proxy.violations.join("\n"));
  assert.match(proxy.violations[0], /^GET \/api\/v1\/clients: answered 200 with a body that does not match .*id/);
  assert.match(proxy.violations[1], /^GET \/api\/v1\/users\/1: answered 418, which the document does not list/);
});

Deno.test("an operation that answers nothing is documented as 204 without content, and the document stays valid", async () => {
  const { Validator } = await import("@seriousme/openapi-schema-validator");
  const op: Operation = {
    method: "POST",
    path: "/api/v1/calendar/reset",
    summary: "a test operation",
    tag: "users",
    answer: { none: true },
  };
  const answered = operationObject("resetCalendar", op) as { responses: Record<string, Record<string, unknown>> };
  assert.deepEqual(answered.responses["204"], { description: "done; no body" });
  assert.equal(answered.responses["200"], undefined);
  const document = structuredClone(openApiDocument()) as Doc;
  document.paths[op.path] = { post: answered };
  assert.deepEqual((await new Validator().validate(document)).errors ?? [], []);
});
