/**
 * The contract test of server mode: a loopback proxy between the CLI and a
 * real `epic-events serve` that checks every answer against the server's own
 * OpenAPI document, with an independent JSON Schema validator (ajv, JSON
 * Schema 2020-12, the dialect of OpenAPI 3.1). An answer the document does
 * not describe — a status it does not list for the operation, a body that
 * does not match that status's schema — is a violation; the remote backend
 * fails its test with every violation when it is disposed.
 *
 * Requests and answers pass through unchanged and streamed (a list is
 * checked once its whole body has gone through).
 * @module
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;

/** A running proxy. */
export interface ContractProxy {
  /** `http://127.0.0.1:PORT`: the server, as the CLI should reach it. */
  url: string;
  /** Every answer the document does not describe, as `METHOD /path: why`. */
  readonly violations: string[];
  /** Waits for the answers still being checked, then stops. */
  close(): Promise<void>;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Validators of the documented answers, by status. */
  answers: Map<string, (body: unknown) => string | undefined>;
}

/** Every `$ref` to a component replaced by the component itself (the document's own refs are local). */
function inline(schema: unknown, components: Json): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inline(s, components));
  if (schema === null || typeof schema !== "object") return schema;
  const ref = (schema as Json).$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
    return inline(components[ref.slice("#/components/schemas/".length)], components);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inline(v, components)]));
}

/** The operations of an OpenAPI document, each status's body schema compiled. */
function operationsOf(document: Json): { operations: Operation[]; error: (body: unknown) => string | undefined } {
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  addFormats.default(ajv);
  const components = ((document.components as Json).schemas ?? {}) as Json;
  const compile = (schema: unknown) => {
    const validate = ajv.compile(inline(schema, components) as Json);
    return (body: unknown) => validate(body) ? undefined : ajv.errorsText(validate.errors, { dataVar: "body" });
  };
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+").replaceAll(".", "\\.")}$`);
    for (const [method, operation] of Object.entries(methods)) {
      const answers = new Map<string, (body: unknown) => string | undefined>();
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        const content = response.content as Json | undefined;
        // An answer without content has no body: an empty one is all it may send.
        const json = content?.["application/json"] as Json | undefined;
        answers.set(status, json ? compile(json.schema) : content ? notJson : noBody);
      }
      operations.push({ method: method.toUpperCase(), template, pattern, answers });
    }
  }
  return { operations, error: compile(components.Error) };
}

/** The check of an answer the document gives no content (204): its body is empty (checked apart). */
function noBody(): undefined {
  return undefined;
}

/** The check of an answer of another media type (the calendar feed): a text the document does not describe further. */
function notJson(): undefined {
  return undefined;
}

/** Why `text` (the body of an answer with `status` to `method path`) breaks the document, or undefined. */
function violation(
  spec: ReturnType<typeof operationsOf>,
  request: { method: string; path: string },
  status: number,
  text: string,
): string | undefined {
  const matching = spec.operations.filter((op) => op.pattern.test(request.path));
  const operation = matching.find((op) => op.method === request.method);
  let check: ((body: unknown) => string | undefined) | undefined;
  if (operation) {
    check = operation.answers.get(String(status));
    if (!check) return `answered ${status}, which the document does not list for ${operation.template}`;
  } else {
    // No such operation: the error object of a 404 (no such path) or a 405 (another method).
    const expected = matching.length > 0 ? 405 : 404;
    if (status !== expected) return `answered ${status} where no operation is documented (expected ${expected})`;
    check = spec.error;
  }
  if (check === notJson) return undefined;
  if (request.method === "HEAD" || check === noBody) {
    return check === noBody && text !== ""
      ? `answered ${status} with a body where the document describes none`
      : undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `answered ${status} with a body that is not JSON`;
  }
  const why = check(body);
  return why === undefined ? undefined : `answered ${status} with a body that does not match the document: ${why}`;
}

/** Starts a proxy to `upstream` that checks its answers against `upstream`'s OpenAPI document. */
export async function startContractProxy(upstream: string): Promise<ContractProxy> {
  const documentAnswer = await fetch(new URL("/api/v1/openapi.json", upstream));
  const spec = operationsOf(await documentAnswer.json() as Json);
  const violations: string[] = [];
  const checks = new Set<Promise<void>>();
  const controller = new AbortController();
  // No idle connection is kept to the server: `serve` closes one idle for 5 s, and a request sent on it at that
  // moment fails ("fetch failed") — an HTTP/1.1 race a one-shot CLI never meets, which this long-lived proxy would.
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  const { promise: listening, resolve } = Promise.withResolvers<string>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: ({ port }) => resolve(`http://127.0.0.1:${port}`),
  }, async (request) => {
    const url = new URL(request.url);
    const target = new URL(url.pathname + url.search, upstream);
    const headers = new Headers(request.headers);
    headers.delete("host");
    let answer: Response;
    try {
      answer = await fetch(target, { method: request.method, headers, body: request.body, redirect: "manual", client });
    } catch (error) {
      // The server broke the connection off: the client is told so, and why, rather than given Deno's bare 500.
      violations.push(`${request.method} ${url.pathname}: no answer from the server (${error})`);
      return new Response(`contract proxy: no answer from the server: ${error}`, { status: 502 });
    }
    const [toClient, toCheck] = answer.body ? answer.body.tee() : [null, null];
    const check = (async () => {
      let text = "";
      try {
        if (toCheck) text = await new Response(toCheck).text();
      } catch {
        return; // a body broken off is no answer the document could describe
      }
      const why = violation(spec, { method: request.method, path: url.pathname }, answer.status, text);
      if (why) violations.push(`${request.method} ${url.pathname}: ${why}`);
    })();
    checks.add(check);
    check.finally(() => checks.delete(check));
    return new Response(toClient, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  });
  const url = await listening;
  return {
    url,
    violations,
    async close() {
      await Promise.all([...checks]);
      controller.abort();
      await server.finished;
      client.close();
    },
  };
}
