/**
 * Hono or the hand-made router (`src/server/router.ts`, `http.ts`)? Measures
 * both on this machine, loopback only, and prints the figures quoted in
 * docs/decisions.md:
 *
 * 1. requests per second of `GET /api/v1/clients?limit=50` (50 clients in an
 *    SQLite database), served in this process by `createHandler` (the
 *    program's server) and by a Hono app dispatching to the same route
 *    handlers (what `server.ts` would be on Hono); alternate rounds of a
 *    fixed number of concurrent loopback clients for a fixed time;
 * 2. start-up: `deno run` of a module that loads the server's routes, with
 *    and without Hono (and `@hono/zod-openapi`), against an empty file;
 * 3. bundle size: `deno bundle` of Hono and of `@hono/zod-openapi` alone.
 *
 *     deno run -A bench/http_router.ts [--seconds 5] [--rounds 3] [--concurrency 16]
 *
 * Not a test: nothing is asserted about time.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { Hono } from "npm:hono@4.13.19";
import { MIGRATIONS } from "../migrations/mod.ts";
import { connect } from "../src/db/connect.ts";
import { migrateUp } from "../src/db/migrator.ts";
import { AppError, NotAuthenticatedError } from "../src/domain/errors.ts";
import { LocalCrm } from "../src/port/local.ts";
import { RequestBackend, type ServerContext } from "../src/server/backend.ts";
import { errorResponse } from "../src/server/http.ts";
import { readQuery, ROUTES } from "../src/server/routes.ts";
import { createHandler, type ServerLog } from "../src/server/server.ts";
import { NULL_REPORTER } from "../src/services/context.ts";
import { login } from "../src/services/session.ts";
import { createClient } from "../src/services/clients.ts";
import { createFirstManager, createUser } from "../src/services/users.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "16" },
  },
});
const SECONDS = Math.min(Math.max(Number(values.seconds), 1), 30);
const ROUNDS = Math.min(Math.max(Number(values.rounds), 1), 10);
const CONCURRENCY = Math.min(Math.max(Number(values.concurrency), 1), 64);
const PASSWORD = "correct horse battery";
/** The program's configuration (its import map), for the modules written to a temp folder. */
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const SILENT: ServerLog = { request: () => {}, unexpected: (error) => console.error(error) };

/** The program's route handlers behind Hono's router: what `server.ts` would be on Hono. */
function honoApp(context: ServerContext): Hono {
  const app = new Hono();
  for (const route of ROUTES) {
    const path = route.path.replace(/\{(\w+)\}/g, ":$1");
    app.on(route.method, path, async (c) => {
      const { query, display } = readQuery(route, new URL(c.req.url));
      const header = c.req.header("authorization");
      const match = header ? /^Bearer (\S+)$/.exec(header) : null;
      if (header && !match && route.auth) throw new NotAuthenticatedError("Invalid session token.");
      const backend = new RequestBackend(context, match?.[1] ?? null);
      return await route.handle({
        request: c.req.raw,
        params: c.req.param(),
        query,
        display,
        backend,
        crm: new LocalCrm(backend),
        server: context,
        clientAddress: "127.0.0.1",
        stream: { onLateError: () => {}, onEnd: () => {} },
      });
    });
  }
  app.onError((error) =>
    error instanceof AppError && error.code !== "internal"
      ? errorResponse(error)
      : errorResponse(new AppError("internal", "Something went wrong on the server."))
  );
  return app;
}

async function load(url: string, token: string): Promise<number> {
  let answered = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      const response = await fetch(`${url}/api/v1/clients?limit=50`, { headers: { authorization: `Bearer ${token}` } });
      const rows = await response.json();
      if (response.status !== 200 || rows.length !== 50) throw new Error(`unexpected answer ${response.status}`);
      answered++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return answered / ((performance.now() - started) / 1000);
}

async function timeRun(file: string, runs = 9): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const started = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", CONFIG, file],
      stdout: "null",
    })
      .output();
    if (!out.success) throw new Error(`${file} failed`);
    if (i > 0) times.push(performance.now() - started);
  }
  return median(times);
}

async function bundleBytes(dir: string, source: string): Promise<number> {
  const entry = join(dir, `entry-${crypto.randomUUID()}.ts`);
  const out = join(dir, `out-${crypto.randomUUID()}.js`);
  await Deno.writeTextFile(entry, source);
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--config", CONFIG, "--output", out, entry],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!result.success) throw new Error(new TextDecoder().decode(result.stderr));
  return (await Deno.stat(out)).size;
}

const dir = await Deno.makeTempDir({ prefix: "epic-router-bench-" });
const db = await connect({ kind: "sqlite", path: join(dir, "crm.db"), isDefault: false });
try {
  await migrateUp(db, { migrations: MIGRATIONS });
  const base = { db, now: () => new Date(), reporter: NULL_REPORTER, bcryptRounds: 4 };
  const boss = await createFirstManager(
    { ...base, actor: null },
    { first_name: "Ada", last_name: "Boss", email: "ada@bench.test" },
    PASSWORD,
  );
  const manager = { ...base, actor: { id: boss.id, email: boss.email, role: "MANAGEMENT" as const } };
  const sam = await createUser(manager, {
    first_name: "Sam",
    last_name: "Seller",
    email: "sam@bench.test",
    role: "SALES",
    password: PASSWORD,
  });
  const sales = { ...base, actor: { id: sam.id, email: sam.email, role: "SALES" as const } };
  for (let i = 0; i < 50; i++) {
    await createClient(sales, {
      full_name: `Client ${i}`,
      email: `client${i}@bench.test`,
      phone: "+33 1 23 45 67 89",
      company_name: `Company ${i}`,
    });
  }
  const tokens = { secret: "bench-secret-key-0123456789abcdef-0123456789", lifetimeMinutes: 60 };
  const { token } = await login({ ...base, actor: null }, { email: sam.email, password: PASSWORD }, tokens, 4);
  const context: ServerContext = { db, tokens, bcryptRounds: 4, reporter: NULL_REPORTER };

  const serve = (handler: Deno.ServeHandler) => {
    const { promise, resolve } = Promise.withResolvers<string>();
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => resolve(`http://127.0.0.1:${port}`),
    }, handler);
    return { url: promise, server };
  };
  const handler = createHandler({ context, log: SILENT });
  const handMade = serve((request, info) =>
    handler(request, { remoteAddr: { hostname: (info.remoteAddr as Deno.NetAddr).hostname }, clientGone: () => false })
  );
  const app = honoApp(context);
  const hono = serve((request) => app.fetch(request));
  const urls = { handMade: await handMade.url, hono: await hono.url };

  const rates: Record<"handMade" | "hono", number[]> = { handMade: [], hono: [] };
  await load(urls.handMade, token); // warm both up
  await load(urls.hono, token);
  for (let round = 0; round < ROUNDS; round++) {
    rates.handMade.push(await load(urls.handMade, token));
    rates.hono.push(await load(urls.hono, token));
  }
  await handMade.server.shutdown();
  await hono.server.shutdown();

  const empty = join(dir, "empty.ts");
  await Deno.writeTextFile(empty, "");
  const routesUrl = new URL("../src/server/routes.ts", import.meta.url).href;
  const withRoutes = join(dir, "routes.ts");
  await Deno.writeTextFile(withRoutes, `import { ROUTES } from "${routesUrl}";\nconsole.log(ROUTES.length);\n`);
  const withHono = join(dir, "hono.ts");
  await Deno.writeTextFile(
    withHono,
    `import { ROUTES } from "${routesUrl}";\nimport { Hono } from "npm:hono@4.13.19";\n` +
      `const app = new Hono();\nfor (const r of ROUTES) app.on(r.method, r.path, () => new Response());\n` +
      `console.log(ROUTES.length);\n`,
  );
  const withZodOpenApi = join(dir, "zod-openapi.ts");
  await Deno.writeTextFile(
    withZodOpenApi,
    `import { ROUTES } from "${routesUrl}";\nimport { OpenAPIHono } from "npm:@hono/zod-openapi@1.6.3";\n` +
      `new OpenAPIHono();\nconsole.log(ROUTES.length);\n`,
  );
  const floor = await timeRun(empty);
  const routesMs = await timeRun(withRoutes);
  const honoMs = await timeRun(withHono);
  const zodOpenApiMs = await timeRun(withZodOpenApi);

  const honoBytes = await bundleBytes(dir, `import { Hono } from "npm:hono@4.13.19";\nconsole.log(new Hono());\n`);
  const zodOpenApiBytes = await bundleBytes(
    dir,
    `import { OpenAPIHono } from "npm:@hono/zod-openapi@1.6.3";\nconsole.log(new OpenAPIHono());\n`,
  );
  const routerBytes = (await Deno.stat(new URL("../src/server/router.ts", import.meta.url))).size;

  console.log(`Machine: ${navigator.hardwareConcurrency} CPU(s), Deno ${Deno.version.deno}; SQLite; loopback.`);
  console.log(
    `GET /api/v1/clients?limit=50, ${CONCURRENCY} concurrent clients, ${ROUNDS} alternate rounds of ${SECONDS} s:`,
  );
  console.log(
    `  hand-made router: ${median(rates.handMade).toFixed(0)} requests/s (rounds: ${
      rates.handMade.map((r) => r.toFixed(0)).join(", ")
    })`,
  );
  console.log(
    `  Hono:             ${median(rates.hono).toFixed(0)} requests/s (rounds: ${
      rates.hono.map((r) => r.toFixed(0)).join(", ")
    })`,
  );
  console.log(
    `Start-up (median of 9, deno run): empty file ${floor.toFixed(0)} ms; the server's routes ${
      routesMs.toFixed(0)
    } ms; with Hono ${honoMs.toFixed(0)} ms; with @hono/zod-openapi ${zodOpenApiMs.toFixed(0)} ms`,
  );
  console.log(
    `Bundle: Hono alone ${(honoBytes / 1024).toFixed(0)} KiB; @hono/zod-openapi alone ${
      (zodOpenApiBytes / 1024).toFixed(0)
    } KiB (zod included); src/server/router.ts ${(routerBytes / 1024).toFixed(1)} KiB of source`,
  );
} finally {
  await db.close();
  await Deno.remove(dir, { recursive: true });
}
