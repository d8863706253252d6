/**
 * Measures server mode on this machine (loopback only) and prints the
 * figures quoted in docs/server.md:
 *
 * 1. the latency `client list --json` adds in server mode over local
 *    PostgreSQL mode: the median of repeated real processes of each, run
 *    alternately;
 * 2. the requests per second one `serve` process answers to
 *    `GET /api/v1/clients?limit=50`, under a bounded load (a fixed number of
 *    concurrent loopback clients for a fixed time, capped in count).
 *
 * Usage (PostgreSQL with a database the script may create a schema in):
 *
 *     EPIC_EVENTS_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *       deno run -A tools/server_bench.ts [--runs 15] [--seconds 10] [--concurrency 16]
 *
 * With `--wrk`, it measures instead the requests per second `wrk` (on PATH)
 * gets from `GET /api/v1/clients?limit=50` on one `serve` process, beside
 * the floor it is judged against: a bare `Deno.serve` whose handler runs the
 * same list query with postgres.js and answers its rows as JSON (no token, no
 * session, no streaming), alternately, `--rounds` times each, with
 * `wrk -t2 -c<--connections> -d<--seconds>s`. `--other PATH/main.ts` adds a
 * `serve` of another checkout of the program (same database and token): a
 * before/after in one run.
 *
 * Not a test: nothing is asserted about time.
 * @module
 */
import { parseArgs } from "node:util";
import postgres from "postgres";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const SELF = new URL(import.meta.url).pathname;
const DENO_DIR = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
const KEY = "bench-secret-key-0123456789abcdef-0123456789";
const PASSWORD = "correct horse battery";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "15" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
    wrk: { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
    other: { type: "string" },
    path: { type: "string", default: "/api/v1/clients?limit=50" },
    "bare-server": { type: "string" },
  },
});

/** The list query of `GET /api/v1/clients?limit=50`, for the bare floor. */
const LIST_SQL = `SELECT c.id, c.full_name, c.email, c.phone, c.company_name, c.sales_contact_id, c.created_at,
  c.last_updated FROM clients c ORDER BY c.id LIMIT 50`;

if (values["bare-server"] !== undefined) {
  // The floor (run by --wrk as its own process): Deno.serve and postgres.js with serve's pool size, nothing else.
  const pool = postgres(values["bare-server"], { max: 4, onnotice: () => {} });
  Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: (addr) => console.log(`listening on http://127.0.0.1:${addr.port}`),
  }, async () =>
    new Response(JSON.stringify(await pool.unsafe(LIST_SQL)) + "\n", {
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    }));
  await new Promise(() => {}); // served until killed
}
const RUNS = Math.min(Math.max(Number(values.runs), 3), 100);
const SECONDS = Math.min(Math.max(Number(values.seconds), 1), 60);
const CONCURRENCY = Math.min(Math.max(Number(values.concurrency), 1), 64);
const MAX_REQUESTS = 500_000;

const admin = Deno.env.get("EPIC_EVENTS_BENCH_POSTGRES_URL") ?? Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");
if (!admin) {
  console.error("Set EPIC_EVENTS_BENCH_POSTGRES_URL to a PostgreSQL database the script may create a schema in.");
  Deno.exit(2);
}
const host = new URL(admin).hostname;
if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
  console.error("The benchmark only talks to a PostgreSQL on this machine (loopback).");
  Deno.exit(2);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function cli(args: string[], env: Record<string, string>, stdin = ""): Promise<{ ms: number; out: string }> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env: { DENO_DIR, ...env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const result = await child.output();
  const ms = performance.now() - started;
  if (!result.success) {
    throw new Error(`epic-events ${args.join(" ")}: ${new TextDecoder().decode(result.stderr)}`);
  }
  return { ms, out: new TextDecoder().decode(result.stdout) };
}

const schema = `bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
const sql = postgres(admin, { max: 1, onnotice: () => {} });
await sql.unsafe(`CREATE SCHEMA ${schema}`);
const dir = await Deno.makeTempDir({ prefix: "epic-bench-" });
const url = new URL(admin);
url.searchParams.set("search_path", schema);
const base: Record<string, string> = {
  HOME: dir,
  EPIC_EVENTS_CONFIG_DIR: `${dir}/config`,
  EPIC_EVENTS_DATA_DIR: `${dir}/data`,
  EPIC_EVENTS_LOG_DIR: `${dir}/logs`,
  NO_COLOR: "1",
};
const local = { ...base, DATABASE_URL: url.toString(), SECRET_KEY: KEY };
const children: Deno.ChildProcess[] = [];
try {
  await cli(
    ["init", "--email", "ada@bench.test", "--first-name", "Ada", "--last-name", "Boss", "--password-stdin"],
    local,
    PASSWORD,
  );
  await cli(["login", "--email", "ada@bench.test", "--password-stdin"], local, PASSWORD);
  await cli(
    [
      "user",
      "create",
      "--first-name",
      "Sam",
      "--last-name",
      "Seller",
      "--email",
      "sam@bench.test",
      "--role",
      "SALES",
      "--password-stdin",
    ],
    local,
    PASSWORD,
  );

  const serverUrl = await startListening(["run", "-A", MAIN, "serve", "--listen", "127.0.0.1:0"], "server-logs");
  const remote = { ...base, EPIC_EVENTS_SERVER: serverUrl };

  // 50 clients, created through the API.
  const login = await fetch(`${serverUrl}/api/v1/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "sam@bench.test", password: PASSWORD }),
  });
  const { token } = await login.json();
  for (let i = 0; i < 50; i++) {
    const response = await fetch(`${serverUrl}/api/v1/clients`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        full_name: `Client ${i}`,
        email: `client${i}@bench.test`,
        phone: "+33 1 23 45 67 89",
        company_name: `Company ${i}`,
      }),
    });
    await response.body?.cancel();
  }

  if (values.wrk) await compareWithWrk(serverUrl, token, url.toString());
  else await measureLatencyAndLoad(serverUrl, token, local, remote);
} finally {
  for (const child of children) {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone (it said why on stderr)
    }
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  await sql.end({ timeout: 5 });
  await Deno.remove(dir, { recursive: true });
}

/** Figures 1 and 2: what a command waits for in server mode, and a bounded load of fetch clients. */
async function measureLatencyAndLoad(
  serverUrl: string,
  token: string,
  local: Record<string, string>,
  remote: Record<string, string>,
): Promise<void> {
  // 1. Latency of a remote `client list` over a local one (same token: same database and key).
  const samples = { local: [] as number[], remote: [] as number[] };
  await cli(["client", "list", "--json"], local); // warm the module cache
  await cli(["client", "list", "--json"], remote);
  for (let i = 0; i < RUNS; i++) {
    const a = await cli(["client", "list", "--json"], local);
    const b = await cli(["client", "list", "--json"], remote);
    if (a.out !== b.out) throw new Error("local and remote outputs differ");
    samples.local.push(a.ms);
    samples.remote.push(b.ms);
  }
  const localMs = median(samples.local);
  const remoteMs = median(samples.remote);

  // One request at a time: what a single command waits for on loopback.
  const sequential: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const response = await fetch(`${serverUrl}/api/v1/clients?limit=50`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await response.json();
    sequential.push(performance.now() - t);
  }

  // 2. Requests per second of GET /api/v1/clients?limit=50 on one server process.
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const startedLoad = performance.now();
  const worker = async () => {
    while (performance.now() < deadline && latencies.length + errors < MAX_REQUESTS) {
      const t = performance.now();
      try {
        const response = await fetch(`${serverUrl}/api/v1/clients?limit=50`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const rows = await response.json();
        if (response.status !== 200 || rows.length !== 50) errors++;
        else latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - startedLoad) / 1000;

  const cpus = navigator.hardwareConcurrency;
  console.log(
    `Machine: ${cpus} CPU(s), Deno ${Deno.version.deno}, PostgreSQL on loopback; load generator on the same CPUs.`,
  );
  console.log(`client list --json, 50 clients, ${RUNS} alternating runs of each (real processes):`);
  console.log(`  local PostgreSQL mode: median ${localMs.toFixed(0)} ms`);
  console.log(`  server mode:           median ${remoteMs.toFixed(0)} ms`);
  console.log(`  added by server mode:  ${(remoteMs - localMs).toFixed(0)} ms`);
  console.log(`GET /api/v1/clients?limit=50, one at a time: median ${median(sequential).toFixed(1)} ms`);
  console.log(
    `GET /api/v1/clients?limit=50, ${CONCURRENCY} concurrent clients for ${elapsed.toFixed(1)} s on one serve process:`,
  );
  console.log(
    `  ${(latencies.length / elapsed).toFixed(0)} requests/s (${latencies.length} answered, ${errors} errors)`,
  );
  console.log(
    `  latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
}

/** The serve process and the bare floor (and `--other`'s serve) under wrk, alternately. */
async function compareWithWrk(serverUrl: string, token: string, databaseUrl: string): Promise<void> {
  const rounds = Math.min(Math.max(Number(values.rounds), 1), 10);
  const connections = Math.min(Math.max(Number(values.connections), 1), 256);
  const bare = await startListening(["run", "-A", SELF, "--bare-server", databaseUrl], "bare-logs");
  const other = values.other
    ? await startListening(["run", "-A", values.other, "serve", "--listen", "127.0.0.1:0"], "other-logs")
    : undefined;
  const path = values.path;
  const auth = `Authorization: Bearer ${token}`;
  const results = { bare: [] as number[], serve: [] as number[], other: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    results.bare.push(await wrk(`${bare}/`, connections));
    results.serve.push(await wrk(`${serverUrl}${path}`, connections, auth));
    if (other) results.other.push(await wrk(`${other}${path}`, connections, auth));
  }
  const show = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
  const ratio = (xs: number[]) => `${(100 * median(xs) / median(results.bare)).toFixed(0)} % of the floor`;
  console.log(
    `Machine: ${navigator.hardwareConcurrency} CPU(s), Deno ${Deno.version.deno}; PostgreSQL and wrk on the same CPUs.`,
  );
  console.log(`GET ${path}, wrk -t2 -c${connections} -d${SECONDS}s, requests/s of ${rounds} alternating rounds:`);
  console.log(`  bare Deno.serve + postgres.js: ${show(results.bare)}`);
  console.log(`  epic-events serve:             ${show(results.serve)} (median: ${ratio(results.serve)})`);
  if (other) console.log(`  ${values.other}: ${show(results.other)} (median: ${ratio(results.other)})`);
}

/** Runs wrk on `target`; its requests per second (an error or a non-2xx answer fails the run). */
async function wrk(target: string, connections: number, header?: string): Promise<number> {
  const args = ["-t2", `-c${connections}`, `-d${SECONDS}s`, ...(header ? ["-H", header] : []), target];
  const out = await new Deno.Command("wrk", { args, stdout: "piped", stderr: "inherit" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success || /Non-2xx|Socket errors/.test(text)) throw new Error(`wrk reported errors:\n${text}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
}

/** Starts a process that prints `listening on URL`; returns the URL (the process is stopped at the end). */
async function startListening(args: string[], logs: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: { DENO_DIR, ...local, EPIC_EVENTS_LOG_DIR: `${dir}/${logs}` },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  children.push(child);
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!line.includes("\n")) {
    const next = await reader.read();
    if (next.done) throw new Error(`${args.join(" ")} exited before listening`);
    line += next.value;
  }
  reader.releaseLock();
  return /listening on (\S+)/.exec(line)![1];
}
