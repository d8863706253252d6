/**
 * Requests per second of one `epic-events serve` process answering
 * `GET /api/v1/clients?limit=50` with a manager's token, beside the floor:
 * a bare `Deno.serve` + postgres.js + jose handler doing the same work
 * (`bench/http_bare.ts`), on the same data, measured in the same run with
 * `wrk` on loopback, the two servers alternated round after round.
 *
 *     deno run -A bench/http_throughput.ts [--rounds 4] [--seconds 10] [--connections 32] [--threads 2]
 *                                          [--clients 1000] [--limit 50] [--postgres-url URL] [--fresh]
 *                                          [--serve-flags=V8_FLAGS] [--bare-flags=V8_FLAGS] [--verify-every]
 *                                          [--before OTHER_TREE/main.ts] [--profile DIR]
 *
 * PostgreSQL: `--postgres-url`, else `EPIC_EVENTS_BENCH_POSTGRES_URL`, else
 * `EPIC_EVENTS_TEST_POSTGRES_URL`, else the local server; loopback only. The
 * script creates (once) and seeds the database `epic_bench_http` there
 * (`--fresh`: drop it first). Both servers run as the program runs (the V8
 * flags of `deno task start`; `--serve-flags=--max-semi-space-size=16,…` or
 * `--bare-flags=` (none) to compare others) and get the same token, obtained by logging in
 * through `serve`; their answers are checked to be byte-identical first.
 * The token reaches wrk through a file read by a Lua script, never argv.
 * The floor remembers a verified token as `serve` does; `--verify-every`
 * adds a third server, the floor verifying every request's signature (as it
 * did before issue 20's fourth pass), alternated with the other two and
 * reported beside them for reference. `--before` adds the `serve` of another
 * tree (`before`, same flags and data), to measure a change A/B in one run.
 * `--profile DIR` runs every server with `--cpu-prof --cpu-prof-dir=DIR`
 * (each writes its V8 CPU profile there when it ends): the profiles cover
 * the warm-up and every round, so read them beside each other.
 *
 * Prints one line per run (requests/s, latency p50 and p99, errors, the
 * server process's CPU time per request, every `postgres` process's CPU time
 * per request, the load average before the run)
 * and the ranges; nothing is asserted. `wrk` must be installed.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { connect } from "../src/db/connect.ts";
import { migrateUp } from "../src/db/migrator.ts";
import { MIGRATIONS } from "../migrations/mod.ts";
import { DEFAULT_SEED_PASSWORD, seed, STAFF_DOMAIN } from "../tools/seed.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const BARE = new URL("./http_bare.ts", import.meta.url).pathname;
const DENO_JSON = new URL("../deno.json", import.meta.url).pathname;
const DENO_DIR = Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");
const DATABASE = "epic_bench_http";

/** What to run. */
interface Options {
  rounds: number;
  seconds: number;
  connections: number;
  threads: number;
  clients: number;
  limit: number;
  postgresUrl: string;
  fresh: boolean;
  /** V8 flags of each server, when not the program's (`--serve-flags`, `--bare-flags`; "" for none). */
  serveFlags?: string[];
  bareFlags?: string[];
  /** Also run the floor that verifies every request (`bare-every`). */
  verifyEvery: boolean;
  /** `main.ts` of another tree whose `serve` runs beside (`before`). */
  before?: string;
  /** Where each server writes its V8 CPU profile (`--cpu-prof`), if anywhere. */
  profile?: string;
}

/** One wrk run against one server. */
interface Run {
  round: number;
  server: "serve" | "bare" | "bare-every" | "before";
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
  cpuMsPerRequest: number;
  /** CPU of every `postgres` process of the machine during the run, per request (others' idle sessions too). */
  postgresCpuMsPerRequest: number;
  load: number;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: "string", default: "4" },
      seconds: { type: "string", default: "10" },
      connections: { type: "string", default: "32" },
      threads: { type: "string", default: "2" },
      clients: { type: "string", default: "1000" },
      limit: { type: "string", default: "50" },
      "postgres-url": { type: "string" },
      fresh: { type: "boolean", default: false },
      "serve-flags": { type: "string" },
      "bare-flags": { type: "string" },
      "verify-every": { type: "boolean", default: false },
      before: { type: "string" },
      profile: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "Usage: deno run -A bench/http_throughput.ts [--rounds 4] [--seconds 10] [--connections 32] [--threads 2]\n" +
        "                                            [--clients 1000] [--limit 50] [--postgres-url URL] [--fresh]\n" +
        "                                            [--serve-flags=V8_FLAGS] [--bare-flags=V8_FLAGS] [--verify-every]\n" +
        "                                            [--before OTHER_TREE/main.ts] [--profile DIR]",
    );
    Deno.exit(0);
  }
  const whole = (name: string, text: string, min: number, max: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: a whole number from ${min} to ${max}`);
    return n;
  };
  const postgresUrl = values["postgres-url"] ?? Deno.env.get("EPIC_EVENTS_BENCH_POSTGRES_URL") ??
    Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
  if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(postgresUrl).hostname)) {
    throw new Error("--postgres-url: the benchmark only talks to a PostgreSQL on this machine (loopback)");
  }
  return {
    rounds: whole("rounds", values.rounds, 1, 50),
    seconds: whole("seconds", values.seconds, 1, 120),
    connections: whole("connections", values.connections, 1, 1000),
    threads: whole("threads", values.threads, 1, 64),
    clients: whole("clients", values.clients, 1, 1_000_000),
    limit: whole("limit", values.limit, 1, 1000),
    postgresUrl,
    fresh: values.fresh,
    serveFlags: v8Flags(values["serve-flags"]),
    bareFlags: v8Flags(values["bare-flags"]),
    verifyEvery: values["verify-every"],
    before: values.before,
    profile: values.profile,
  };
}

/** `--max-semi-space-size=4,…` as Deno's argument, "" as none, undefined as the program's. */
function v8Flags(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text === "" ? [] : [`--v8-flags=${text.replace(/^--v8-flags=/, "")}`];
}

/** The V8 flags of `deno task start`: both servers run as the program does. */
async function programFlags(): Promise<string[]> {
  const tasks = JSON.parse(await Deno.readTextFile(DENO_JSON)).tasks as Record<string, string>;
  return tasks.start.split(/\s+/).filter((arg) => arg.startsWith("--v8-flags="));
}

/** The benchmark's database URL: created (or dropped and created with `fresh`) on the admin server. */
async function databaseUrl(options: Options): Promise<string> {
  const admin = await connect({ kind: "postgres", url: options.postgresUrl });
  try {
    const exists = await admin.one("SELECT 1 AS one FROM pg_database WHERE datname = $1", [DATABASE]);
    if (exists && options.fresh) await admin.execute(`DROP DATABASE ${DATABASE}`);
    if (!exists || options.fresh) await admin.execute(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.close();
  }
  const url = new URL(options.postgresUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

/** Migrates the database to the program's latest, then seeds `clients` clients unless it already holds exactly that. */
async function prepareData(url: string, clients: number): Promise<void> {
  const db = await connect({ kind: "postgres", url });
  try {
    // A database seeded by an earlier version is brought up to date: `serve` refuses pending migrations.
    await migrateUp(db, { migrations: MIGRATIONS });
    const have = await db.one<{ n: number }>("SELECT count(*)::int AS n FROM clients").catch(() => undefined);
    if (have?.n === clients) return;
    console.error(`seeding ${clients} clients…`);
    await seed(db, { clients, events: 0, reset: true, bcryptRounds: 10 });
  } finally {
    await db.close();
  }
}

/** A server process and the URL it printed once bound. */
interface Server {
  name: Run["server"];
  url: string;
  child: Deno.ChildProcess;
}

async function startServer(
  name: Run["server"],
  args: string[],
  env: Record<string, string>,
): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: { DENO_DIR, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening on \S+\n/.test(text)) {
    const next = await reader.read();
    if (next.done) throw new Error(`${name} exited before listening`);
    text += next.value;
  }
  // Keep reading (and dropping) what it prints, so that it never blocks on a full pipe.
  (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done);
  })();
  return { name, url: /listening on (\S+)/.exec(text)![1], child };
}

async function stopServer(server: Server): Promise<void> {
  try {
    server.child.kill("SIGTERM");
  } catch {
    // already gone
  }
  await server.child.status;
}

/** CPU time (user + system) of a process so far, in milliseconds. */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await Deno.readTextFile(`/proc/${pid}/stat`)).replace(/^.*\) /, "").split(" ");
  // After the command name: state is field 3, utime 14 and stime 15 (1-based).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time so far of every live `postgres` process (ms); one that ended meanwhile is not counted. */
async function postgresCpuMs(): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`).catch(() => "");
    if (stat.includes(" (postgres) ")) total += await cpuMs(Number(entry.name)).catch(() => 0);
  }
  return total;
}

async function loadAverage(): Promise<number> {
  return Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
}

function milliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!match) throw new Error(`wrk: cannot read the time ${text}`);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as "us" | "ms" | "s" | "m"];
  return Number(match[1]) * scale;
}

/** Runs wrk and reads its summary. */
async function wrk(
  url: string,
  options: Options,
  seconds: number,
  script: { path: string; tokenFile: string },
): Promise<Omit<Run, "round" | "server" | "cpuMsPerRequest" | "postgresCpuMsPerRequest" | "load">> {
  const result = await new Deno.Command("wrk", {
    args: [
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-d${seconds}s`,
      "--latency",
      "-s",
      script.path,
      `${url}/api/v1/clients?limit=${options.limit}`,
    ],
    env: { BENCH_TOKEN_FILE: script.tokenFile },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(result.stdout);
  if (!result.success) throw new Error(`wrk failed: ${new TextDecoder().decode(result.stderr)}${out}`);
  const number = (pattern: RegExp) => Number(pattern.exec(out)?.[1] ?? NaN);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: milliseconds(/^\s+50%\s+(\S+)$/m.exec(out)![1]),
    p99Ms: milliseconds(/^\s+99%\s+(\S+)$/m.exec(out)![1]),
    errors: (number(/Non-2xx or 3xx responses: (\d+)/) || 0) +
      (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
    requests: number(/(\d+) requests in/),
  };
}

function range(values: number[], digits = 0): string {
  const low = Math.min(...values).toFixed(digits);
  const high = Math.max(...values).toFixed(digits);
  return low === high ? low : `${low}–${high}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const options = parseOptions(Deno.args);
  const flags = await programFlags();
  const profile = options.profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.profile}`];
  const serveFlags = [...options.serveFlags ?? flags, ...profile];
  const bareFlags = [...options.bareFlags ?? flags, ...profile];
  const url = await databaseUrl(options);
  await prepareData(url, options.clients);
  const dir = await Deno.makeTempDir({ prefix: "epic-http-bench-" });
  const secret = `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`;
  const env = {
    HOME: dir,
    EPIC_EVENTS_CONFIG_DIR: join(dir, "config"),
    EPIC_EVENTS_DATA_DIR: join(dir, "data"),
    EPIC_EVENTS_LOG_DIR: join(dir, "logs"),
    NO_COLOR: "1",
    TZ: "UTC",
    DATABASE_URL: url,
    SECRET_KEY: secret,
    BCRYPT_ROUNDS: "10",
  };
  const servers: Server[] = [];
  try {
    servers.push(
      await startServer("serve", ["run", ...serveFlags, "-A", MAIN, "serve", "--listen", "127.0.0.1:0"], env),
    );
    servers.push(await startServer("bare", ["run", ...bareFlags, "-A", BARE], env));
    if (options.before !== undefined) {
      const before = ["run", ...serveFlags, "-A", options.before, "serve", "--listen", "127.0.0.1:0"];
      servers.push(await startServer("before", before, env));
    }
    if (options.verifyEvery) {
      servers.push(
        await startServer("bare-every", ["run", ...bareFlags, "-A", BARE], { ...env, BARE_VERIFY_EVERY: "1" }),
      );
    }

    const [serve] = servers;
    const login = await fetch(`${serve.url}/api/v1/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `management1@${STAFF_DOMAIN}`, password: DEFAULT_SEED_PASSWORD }),
    });
    if (login.status !== 201 && login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const { token } = await login.json() as { token: string };
    const tokenFile = join(dir, "token");
    await Deno.writeTextFile(tokenFile, token + "\n", { mode: 0o600 });
    const script = join(dir, "auth.lua");
    await Deno.writeTextFile(
      script,
      `local file = io.open(os.getenv("BENCH_TOKEN_FILE"))
local token = file:read("*l")
file:close()
wrk.headers["Authorization"] = "Bearer " .. token
`,
    );

    // The same bytes from both: the floor does the same work.
    const bodies = await Promise.all(servers.map(async (s) => {
      const response = await fetch(`${s.url}/api/v1/clients?limit=${options.limit}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${s.name}: ${response.status} ${text}`);
      return text;
    }));
    if (bodies.some((body) => body !== bodies[0])) throw new Error("serve and the bare handler answer different bytes");
    if ((JSON.parse(bodies[0]) as unknown[]).length !== Math.min(options.limit, options.clients)) {
      throw new Error("the answer does not hold the rows asked for");
    }

    const cpus = navigator.hardwareConcurrency;
    console.log(
      `GET /api/v1/clients?limit=${options.limit}, ${options.clients} clients, a manager's token; ` +
        `wrk -t${options.threads} -c${options.connections} -d${options.seconds}s on loopback; ` +
        `${cpus} CPUs shared by wrk, PostgreSQL and the server; Deno ${Deno.version.deno}; V8 flags of serve: ${
          serveFlags.join(" ") || "none"
        }, of bare: ${bareFlags.join(" ") || "none"}`,
    );
    // Requests each server answered under wrk (warm-up included), to read its profile per request.
    const answered = new Map<Run["server"], number>();
    for (const s of servers) {
      answered.set(s.name, (await wrk(s.url, options, 3, { path: script, tokenFile })).requests); // warm up
    }

    const runs: Run[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const server of order) {
        const load = await loadAverage();
        const before = await cpuMs(server.child.pid);
        const postgresBefore = await postgresCpuMs();
        const result = await wrk(server.url, options, options.seconds, { path: script, tokenFile });
        const cpu = await cpuMs(server.child.pid) - before;
        const postgresCpu = await postgresCpuMs() - postgresBefore;
        const run: Run = {
          round,
          server: server.name,
          ...result,
          cpuMsPerRequest: cpu / Math.max(1, result.requests),
          postgresCpuMsPerRequest: postgresCpu / Math.max(1, result.requests),
          load,
        };
        runs.push(run);
        answered.set(server.name, answered.get(server.name)! + result.requests);
        console.log(
          `round ${round} ${run.server.padEnd(10)} ${run.requestsPerSecond.toFixed(0).padStart(6)} requests/s, ` +
            `p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms, ${run.errors} errors, ` +
            `${run.cpuMsPerRequest.toFixed(2)} ms CPU/request (server), ` +
            `${run.postgresCpuMsPerRequest.toFixed(2)} (PostgreSQL), load ${run.load.toFixed(2)}`,
        );
      }
    }
    const of = (name: Run["server"]) => runs.filter((r) => r.server === name);
    const ratios = (floor: Run["server"]) =>
      Array.from({ length: options.rounds }, (_, i) => {
        const pair = runs.filter((r) => r.round === i + 1);
        return pair.find((r) => r.server === "serve")!.requestsPerSecond /
          pair.find((r) => r.server === floor)!.requestsPerSecond;
      });
    console.log("");
    for (const { name } of servers) {
      const r = of(name);
      console.log(
        `${name.padEnd(10)}: ${range(r.map((x) => x.requestsPerSecond))} requests/s, p99 ${
          range(r.map((x) => x.p99Ms), 1)
        } ms, ${r.reduce((n, x) => n + x.errors, 0)} errors, ${
          range(r.map((x) => x.cpuMsPerRequest), 2)
        } ms CPU/request, PostgreSQL ${range(r.map((x) => x.postgresCpuMsPerRequest), 2)} ms`,
      );
    }
    for (const { name } of servers.slice(1)) {
      const r = ratios(name).map((x) => x * 100);
      console.log(`serve / ${name}, per round: ${range(r)} % (median ${median(r).toFixed(0)} %)`);
    }
    if (options.profile !== undefined) {
      const pids = servers.map((s) => `${s.name} (pid ${s.child.pid}): ${answered.get(s.name)} requests`);
      console.log(`profiles in ${options.profile}, CPU.*.<pid>.cpuprofile, warm-up included: ${pids.join(", ")}`);
    }
  } finally {
    for (const server of servers) await stopServer(server);
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
