/**
 * The benchmark of issue 10, rerunnable: start-up against Deno's floor, the
 * first page of every list, and the full export, on SQLite and PostgreSQL,
 * at 1,000 events (and 1,000,000 with `--large`), each command run as a real
 * process the way a user runs it. Writes a markdown report (bench/results.md).
 *
 *     deno task bench                        # 1k events, both backends
 *     deno task bench -- --large             # also 1M events (minutes; or BENCH_LARGE=1)
 *     deno task bench -- --size 1k,100k --backend sqlite --runs 7
 *
 * Data comes from tools/seed.ts (deterministic; 10 events per client): each
 * size gets its own database, kept between runs and reused while its row
 * counts still match (`--fresh` seeds anew). SQLite files live in
 * `--data-dir` (default: $TMPDIR/epic-events-bench); PostgreSQL gets one
 * database per size (`epic_bench_<events>`) on the server of
 * `--postgres-url` (default: EPIC_EVENTS_TEST_POSTGRES_URL, else the local
 * server); without a reachable server the PostgreSQL half is skipped.
 *
 * Every time is the median wall-clock time of `--runs` runs (after one
 * warm-up run) of `deno run -A main.ts …` with stdout to /dev/null, so it
 * includes Deno's own start-up: the "empty" column (a migrated database with
 * only the collaborators) shows what a command costs before any data.
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { connect } from "../src/db/connect.ts";
import type { Database } from "../src/db/database.ts";
import { parseDatabaseUrl } from "../src/config.ts";
import { DEFAULT_SEED_PASSWORD, seed, STAFF_DOMAIN } from "../tools/seed.ts";
import { bundle } from "../tools/bundle.ts";

const ROOT = resolve(import.meta.dirname!, "..");
const MAIN = join(ROOT, "main.ts");

/**
 * The V8 flags `deno task start` and `deno task compile` give the program (a
 * smaller young generation, a slower-growing old one: see
 * docs/performance.md): the benchmark runs it the same way.
 */
export const V8_FLAGS: string[] = (JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).tasks.start as string)
  .split(/\s+/).filter((arg) => arg.startsWith("--v8-flags="));
/** A fixed key for the bench's tokens (never a real secret). */
const BENCH_SECRET_KEY = "bench-secret-key-0123456789abcdef-0123456789";

type Backend = "sqlite" | "postgres";
type Role = "management" | "sales" | "support";

/** One list command of the table: who runs it and with which arguments. */
interface ListCase {
  label: string;
  role: Role;
  args: (ids: SampleIds) => string[];
}

/** Ids of rows that exist in a data set, for `--contract`/`--client`. */
interface SampleIds {
  contract: number;
  client: number;
}

const LIST_CASES: ListCase[] = [
  { label: "event list --limit 50", role: "management", args: () => ["event", "list", "--limit", "50"] },
  {
    label: "event list --unassigned --limit 100",
    role: "management",
    args: () => ["event", "list", "--unassigned", "--limit", "100"],
  },
  {
    label: "event list --upcoming --limit 100",
    role: "management",
    args: () => ["event", "list", "--upcoming", "--limit", "100"],
  },
  {
    label: "event list --mine --limit 100 (support)",
    role: "support",
    args: () => ["event", "list", "--mine", "--limit", "100"],
  },
  {
    label: "event list --mine --limit 100 (sales)",
    role: "sales",
    args: () => ["event", "list", "--mine", "--limit", "100"],
  },
  {
    label: "event list --contract ID --limit 100",
    role: "management",
    args: (ids) => ["event", "list", "--contract", String(ids.contract), "--limit", "100"],
  },
  { label: "contract list --limit 100", role: "management", args: () => ["contract", "list", "--limit", "100"] },
  {
    label: "contract list --unpaid --limit 100",
    role: "management",
    args: () => ["contract", "list", "--unpaid", "--limit", "100"],
  },
  {
    label: "contract list --unsigned --limit 100",
    role: "management",
    args: () => ["contract", "list", "--unsigned", "--limit", "100"],
  },
  {
    label: "contract list --mine --limit 100 (sales)",
    role: "sales",
    args: () => ["contract", "list", "--mine", "--limit", "100"],
  },
  {
    label: "contract list --client ID --limit 100",
    role: "management",
    args: (ids) => ["contract", "list", "--client", String(ids.client), "--limit", "100"],
  },
  { label: "client list --limit 100", role: "management", args: () => ["client", "list", "--limit", "100"] },
  {
    label: "client list --mine --limit 100 (sales)",
    role: "sales",
    args: () => ["client", "list", "--mine", "--limit", "100"],
  },
  {
    label: "client list --search müller --limit 100",
    role: "management",
    args: () => ["client", "list", "--search", "müller", "--limit", "100"],
  },
  {
    label: "client list --search no-such-text (no match)",
    role: "management",
    args: () => ["client", "list", "--search", "no-such-text"],
  },
];

// --- options ------------------------------------------------------------------

/** `1k` → 1000, `1m` → 1000000, `250000` → 250000. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim().replaceAll("_", ""));
  if (!m) throw new Error(`--size: not a size: ${text} (e.g. 1k, 100k, 1m)`);
  const n = Number(m[1]) * ({ "": 1, k: 1_000, m: 1_000_000 } as const)[m[2].toLowerCase() as "" | "k" | "m"];
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--size: not a whole number of events: ${text}`);
  return n;
}

/** `1000` → `1k`, `1000000` → `1M`. */
export function sizeLabel(events: number): string {
  if (events === 0) return "empty";
  if (events % 1_000_000 === 0) return `${events / 1_000_000}M`;
  if (events % 1_000 === 0) return `${events / 1_000}k`;
  return String(events);
}

interface Options {
  sizes: number[];
  backends: Backend[];
  runs: number;
  out: string;
  fresh: boolean;
  dataDir: string;
  postgresUrl: string;
}

function readOptions(args: string[]): Options {
  // `deno task bench -- --size 1k` passes the `--` on: skip it.
  if (args[0] === "--") args = args.slice(1);
  const { values } = parseArgs({
    args,
    options: {
      size: { type: "string" },
      large: { type: "boolean" },
      backend: { type: "string" },
      runs: { type: "string" },
      out: { type: "string" },
      fresh: { type: "boolean" },
      "data-dir": { type: "string" },
      "postgres-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      "Usage: deno task bench -- [--size 1k,100k] [--large] [--backend sqlite|postgres|both] [--runs N]\n" +
        "                          [--out bench/results.md] [--fresh] [--data-dir DIR] [--postgres-url URL]",
    );
    Deno.exit(0);
  }
  const sizes = (values.size ?? "1k").split(",").map(parseSize);
  if (values.large || ["1", "true"].includes(Deno.env.get("BENCH_LARGE") ?? "")) sizes.push(1_000_000);
  const backend = values.backend ?? "both";
  if (!["sqlite", "postgres", "both"].includes(backend)) throw new Error("--backend: sqlite, postgres or both");
  const runs = Number(values.runs ?? 5);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error("--runs: a whole number ≥ 1");
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    backends: backend === "both" ? ["sqlite", "postgres"] : [backend as Backend],
    runs,
    out: resolve(values.out ?? join(ROOT, "bench", "results.md")),
    fresh: values.fresh ?? false,
    dataDir: resolve(values["data-dir"] ?? join(Deno.env.get("TMPDIR") ?? "/tmp", "epic-events-bench")),
    postgresUrl: values["postgres-url"] ?? Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL") ??
      "postgres://postgres@127.0.0.1:5432/postgres",
  };
}

// --- running processes -------------------------------------------------------------

const DENO_DIR = Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");

interface Timing {
  /** Median wall time (ms). */
  median: number;
  /** Fastest run (ms). */
  min: number;
  /** Median of (this run ÷ the floor run just before it): steady under a varying load. */
  ratio: number;
}

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Every floor run of the benchmark, for the report's floor line. */
const floorRuns: number[] = [];

/** The command that defines the floor: `deno run -A` of an empty file. */
let floorArgs: string[] = [];

/** Runs one process to completion; stdout goes to /dev/null unless captured. */
async function spawn(
  args: string[],
  options: { env: Record<string, string>; cwd: string; stdin?: string; capture?: boolean },
): Promise<{ ms: number; code: number; stdout: string; stderr: string }> {
  const started = performance.now();
  const child = new Deno.Command(args[0], {
    args: args.slice(1),
    env: options.env,
    clearEnv: true,
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: options.capture ? "piped" : "null",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const ms = performance.now() - started;
  const decoder = new TextDecoder();
  return {
    ms,
    code: out.code,
    stdout: options.capture ? decoder.decode(out.stdout) : "",
    stderr: decoder.decode(out.stderr),
  };
}

/**
 * Times `args` `runs` times after one warm-up, each run right after a run of
 * the floor (so that both see the same load); fails on a non-zero exit.
 */
async function time(
  args: string[],
  options: { env: Record<string, string>; cwd: string; runs: number },
): Promise<Timing> {
  const ms: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i <= options.runs; i++) {
    const floor = await spawn(floorArgs, options);
    const r = await spawn(args, options);
    if (r.code !== 0) throw new Error(`${args.join(" ")} exited ${r.code}:\n${r.stderr}`);
    if (i === 0) continue; // the first run warms Deno's caches
    ms.push(r.ms);
    floorRuns.push(floor.ms);
    ratios.push(r.ms / floor.ms);
  }
  return { median: median(ms), min: Math.min(...ms), ratio: median(ratios) };
}

/** Wall time and peak resident memory (KiB) of one run of `args`. */
async function measureMemory(
  args: string[],
  options: { env: Record<string, string>; cwd: string },
): Promise<{ ms: number; peakKiB: number | null }> {
  const gnuTime = "/usr/bin/time";
  const haveTime = await Deno.stat(gnuTime).then(() => true, () => false);
  if (haveTime) {
    const report = await Deno.makeTempFile({ prefix: "epic-bench-rss-" });
    try {
      const r = await spawn([gnuTime, "-f", "%M", "-o", report, ...args], options);
      if (r.code !== 0) throw new Error(`${args.join(" ")} exited ${r.code}:\n${r.stderr}`);
      const kib = Number((await Deno.readTextFile(report)).trim().split("\n").pop());
      return { ms: r.ms, peakKiB: Number.isFinite(kib) ? kib : null };
    } finally {
      await Deno.remove(report);
    }
  }
  // No GNU time: sample the high-water mark of the child while it runs (Linux).
  const started = performance.now();
  const child = new Deno.Command(args[0], {
    args: args.slice(1),
    env: options.env,
    clearEnv: true,
    cwd: options.cwd,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let peak: number | null = null;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`));
      if (m) peak = Math.max(peak ?? 0, Number(m[1]));
    } catch { /* gone, or not Linux */ }
  }, 20);
  const out = await child.output();
  clearInterval(timer);
  if (out.code !== 0) throw new Error(`${args.join(" ")} exited ${out.code}`);
  return { ms: performance.now() - started, peakKiB: peak };
}

// --- databases -------------------------------------------------------------------

interface Dataset {
  backend: Backend;
  events: number;
  url: string;
  /** Seconds the seed took in this run (undefined: reused). */
  seedSeconds?: number;
  ids: SampleIds;
  /** Environment of each role's CLI (own config dir, logged in). */
  env: Record<Role, Record<string, string>>;
}

function clientsFor(events: number): number {
  return events === 0 ? 0 : Math.max(1, Math.round(events / 10));
}

async function counts(db: Database): Promise<{ clients: number; events: number }> {
  const row = await db.one<{ clients: number; events: number }>(
    "SELECT (SELECT count(*) FROM clients) AS clients, (SELECT count(*) FROM events) AS events",
  );
  return { clients: Number(row?.clients ?? -1), events: Number(row?.events ?? -1) };
}

async function postgresReachable(url: string): Promise<string | undefined> {
  try {
    const db = await connect({ kind: "postgres", url });
    try {
      await db.one("SELECT 1 AS one");
    } finally {
      await db.close();
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function databaseUrl(backend: Backend, events: number, options: Options): Promise<string> {
  if (backend === "sqlite") return `sqlite://${join(options.dataDir, `sqlite-${sizeLabel(events)}.db`)}`;
  const name = `epic_bench_${sizeLabel(events).toLowerCase()}`;
  const admin = await connect({ kind: "postgres", url: options.postgresUrl });
  try {
    const exists = await admin.one("SELECT 1 AS one FROM pg_database WHERE datname = $1", [name]);
    if (exists && options.fresh) await admin.execute(`DROP DATABASE ${name}`);
    if (!exists || options.fresh) await admin.execute(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const url = new URL(options.postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const prepared = new Map<string, Dataset>();

/** The data set of `backend` at `events`: seeded (or reused), its collaborators logged in. */
async function prepareDataset(backend: Backend, events: number, options: Options, home: string): Promise<Dataset> {
  const key = `${backend}:${events}`;
  let data = prepared.get(key);
  if (!data) {
    data = await makeDataset(backend, events, options, home);
    prepared.set(key, data);
  }
  return data;
}

async function makeDataset(backend: Backend, events: number, options: Options, home: string): Promise<Dataset> {
  const url = await databaseUrl(backend, events, options);
  if (backend === "sqlite" && options.fresh) {
    const path = url.slice("sqlite://".length);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) await Deno.remove(f).catch(() => {});
  }
  const db = await connect(parseDatabaseUrl(url, options.dataDir, options.dataDir));
  let seedSeconds: number | undefined;
  let ids: SampleIds;
  try {
    const clients = clientsFor(events);
    let have: { clients: number; events: number } | undefined;
    try {
      have = await counts(db);
    } catch {
      have = undefined; // not migrated yet
    }
    if (!have || have.clients !== clients || have.events !== events) {
      console.error(
        `  seeding ${backend} with ${clients.toLocaleString("en")} clients, ${events.toLocaleString("en")} events…`,
      );
      const summary = await seed(db, {
        clients,
        events,
        reset: true,
        bcryptRounds: 10,
        progress: (line, done) => {
          if (Deno.stderr.isTerminal()) {
            Deno.stderr.writeSync(new TextEncoder().encode(done ? "\r\x1b[K" : `\r\x1b[K  ${line}`));
          }
        },
      });
      seedSeconds = summary.seconds.total;
      console.error(`  seeded in ${seedSeconds.toFixed(1)} s`);
    } else {
      // Reused: bring the schema up to date like the program would be.
      const { migrateUp } = await import("../src/db/migrator.ts");
      const { MIGRATIONS } = await import("../migrations/mod.ts");
      await migrateUp(db, { migrations: MIGRATIONS });
    }
    const middle = await db.one<{ contract_id: number; client_id: number }>(
      "SELECT contract_id, client_id FROM events WHERE id = $1",
      [Math.max(1, Math.floor(events / 2))],
    );
    ids = { contract: middle?.contract_id ?? 1, client: middle?.client_id ?? 1 };
  } finally {
    await db.close();
  }
  const env = {} as Dataset["env"];
  for (const role of ["management", "sales", "support"] as const) {
    env[role] = {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      DENO_DIR,
      HOME: home,
      NO_COLOR: "1",
      TZ: "UTC",
      DATABASE_URL: url,
      SECRET_KEY: BENCH_SECRET_KEY,
      EPIC_EVENTS_CONFIG_DIR: join(home, `config-${backend}-${events}-${role}`),
      EPIC_EVENTS_DATA_DIR: join(home, "data"),
      EPIC_EVENTS_LOG_DIR: join(home, "logs"),
    };
    const login = await spawn(
      [Deno.execPath(), "run", "-A", MAIN, "login", "--email", `${role}1@${STAFF_DOMAIN}`, "--password-stdin"],
      { env: env[role], cwd: home, stdin: DEFAULT_SEED_PASSWORD },
    );
    if (login.code !== 0) throw new Error(`login as ${role}1 on ${backend} failed:\n${login.stderr}`);
  }
  return { backend, events, url, seedSeconds, ids, env };
}

// --- the report ------------------------------------------------------------------------

async function machine(): Promise<string> {
  const read = (path: string) => Deno.readTextFile(path).catch(() => "");
  const cpu = /model name\s*:\s*(.+)/.exec(await read("/proc/cpuinfo"))?.[1]?.trim() ?? "unknown CPU";
  const memKiB = Number(/MemTotal:\s+(\d+)/.exec(await read("/proc/meminfo"))?.[1] ?? 0);
  const os = /PRETTY_NAME="([^"]+)"/.exec(await read("/etc/os-release"))?.[1] ?? Deno.build.os;
  return `${cpu}, ${navigator.hardwareConcurrency} cores, ${(memKiB / 1024 / 1024).toFixed(0)} GiB RAM, ${os}`;
}

async function versions(db: Record<Backend, Database | undefined>): Promise<string> {
  const parts = [`Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`];
  if (db.sqlite) parts.push(`SQLite ${(await db.sqlite.one<{ v: string }>("SELECT sqlite_version() AS v"))?.v}`);
  if (db.postgres) {
    const v = (await db.postgres.one<{ v: string }>("SELECT current_setting('server_version') AS v"))?.v;
    parts.push(`PostgreSQL ${v}`);
  }
  return parts.join(", ");
}

function ms(t: Timing | undefined): string {
  return t === undefined ? "–" : `${t.median.toFixed(0)}`;
}

function ratio(t: Timing | undefined): string {
  return t === undefined ? "–" : `${t.ratio.toFixed(1)}×`;
}

// --- main ----------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = readOptions(Deno.args);
  await Deno.mkdir(options.dataDir, { recursive: true });
  const home = await Deno.makeTempDir({ prefix: "epic-bench-home-" });
  const notes: string[] = [];
  try {
    if (options.backends.includes("postgres")) {
      const problem = await postgresReachable(options.postgresUrl);
      if (problem) {
        notes.push(
          `PostgreSQL skipped: ${options.postgresUrl.replace(/\/\/[^@]*@/, "//")} did not answer (${problem}).`,
        );
        console.error(notes.at(-1));
        options.backends = options.backends.filter((b) => b !== "postgres");
      }
    }
    const sizes = [0, ...options.sizes];
    const runs = options.runs;

    // Start-up: Deno's floor, then --help and whoami from source and bundle.
    console.error("start-up: building the bundle, timing the floor, --help and whoami…");
    const bundleDir = join(home, "bundle");
    await bundle(bundleDir, { quiet: true });
    const empty = join(home, "empty.js");
    await Deno.writeTextFile(empty, "");
    const startEnv = (await prepareDataset("sqlite", 0, options, home)).env.management;
    const deno = Deno.execPath();
    floorArgs = [deno, "run", "-A", empty];
    const bundled = join(bundleDir, "epic-events.js");
    const startup = {
      helpSource: await time([deno, "run", "-A", ...V8_FLAGS, MAIN, "--help"], { env: startEnv, cwd: home, runs }),
      helpBundle: await time([deno, "run", "-A", ...V8_FLAGS, bundled, "--help"], { env: startEnv, cwd: home, runs }),
      whoamiSource: await time([deno, "run", "-A", ...V8_FLAGS, MAIN, "whoami"], { env: startEnv, cwd: home, runs }),
      whoamiBundle: await time([deno, "run", "-A", ...V8_FLAGS, bundled, "whoami"], { env: startEnv, cwd: home, runs }),
    };

    // Lists and exports, per backend and size.
    const lists = new Map<string, Timing>(); // `${backend}:${events}:${label}`
    const exports: { backend: Backend; events: number; flags: boolean; ms: number; peakKiB: number | null }[] = [];
    const seeds: { backend: Backend; events: number; seconds: number }[] = [];
    for (const backend of options.backends) {
      for (const events of sizes) {
        console.error(`${backend}, ${sizeLabel(events)} events:`);
        const data = await prepareDataset(backend, events, options, home);
        if (data.seedSeconds !== undefined && events > 0) {
          seeds.push({ backend, events, seconds: data.seedSeconds });
        }
        // Big data sets: fewer runs of the slow commands (the median of 3 is enough).
        const listRuns = events >= 500_000 ? Math.min(runs, 3) : runs;
        for (const c of LIST_CASES) {
          const t = await time([deno, "run", "-A", ...V8_FLAGS, MAIN, ...c.args(data.ids)], {
            env: data.env[c.role],
            cwd: home,
            runs: listRuns,
          });
          lists.set(`${backend}:${events}:${c.label}`, t);
          console.error(`  ${c.label}: ${t.median.toFixed(0)} ms`);
        }
        // The export as the program runs it (with its V8 flags), and without them.
        for (const flags of events > 0 ? [true, false] : []) {
          const args = [deno, "run", "-A", ...(flags ? V8_FLAGS : []), MAIN, "event", "list", "--json"];
          const r = await measureMemory(args, { env: data.env.management, cwd: home });
          exports.push({ backend, events, flags, ...r });
          console.error(
            `  event list --json > /dev/null${flags ? "" : " (no V8 flags)"}: ${(r.ms / 1000).toFixed(2)} s, ` +
              `${r.peakKiB === null ? "?" : (r.peakKiB / 1024).toFixed(0)} MiB peak`,
          );
        }
      }
    }

    // Report.
    const probe: Record<Backend, Database | undefined> = { sqlite: undefined, postgres: undefined };
    probe.sqlite = await connect({ kind: "sqlite", path: ":memory:", isDefault: false });
    if (options.backends.includes("postgres")) {
      probe.postgres = await connect({ kind: "postgres", url: options.postgresUrl });
    }
    const lines: string[] = [];
    lines.push("# Benchmark results", "");
    lines.push(
      `Written by \`deno task bench\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC.`,
      "",
      `- Machine: ${await machine()}`,
      `- Software: ${await versions(probe)}`,
      `- Each time is the median of ${runs} runs (after a warm-up) of a real process, \`deno run -A main.ts …\`` +
        " with stdout to /dev/null, in milliseconds; it includes Deno's start-up. Each run follows a run of the" +
        " floor (`deno run -A` of an empty file); × floor is the median of the per-pair ratios, which holds" +
        " better than the times when the machine is shared.",
      `- Data: \`deno task seed\` (10 events per client, 2 contracts per client, half signed, half the events` +
        " unassigned); *empty* is a migrated database with only the collaborators.",
      ...notes.map((n) => `- ${n}`),
      "",
    );
    lines.push("## Start-up", "");
    lines.push("| command | source (ms) | × floor | bundle (ms) | × floor |", "|---|--:|--:|--:|--:|");
    const floor = median(floorRuns);
    lines.push(`| \`deno run\` of an empty file (the floor) | ${floor.toFixed(0)} | 1.0× | | |`);
    lines.push(
      `| \`--help\` | ${ms(startup.helpSource)} | ${ratio(startup.helpSource)} | ${ms(startup.helpBundle)} | ${
        ratio(startup.helpBundle)
      } |`,
    );
    lines.push(
      `| \`whoami\` (SQLite, logged in) | ${ms(startup.whoamiSource)} | ${ratio(startup.whoamiSource)} | ${
        ms(startup.whoamiBundle)
      } | ${ratio(startup.whoamiBundle)} |`,
      "",
    );
    lines.push("## First page of the lists (ms; × floor in brackets)", "");
    const columns = options.backends.flatMap((b) => sizes.map((e) => ({ backend: b, events: e })));
    const backendName = (b: Backend) => (b === "sqlite" ? "SQLite" : "PostgreSQL");
    lines.push(
      `| command | ${columns.map((c) => `${backendName(c.backend)} ${sizeLabel(c.events)}`).join(" | ")} |`,
      `|---|${columns.map(() => "--:").join("|")}|`,
    );
    for (const c of LIST_CASES) {
      const cells = columns.map((col) => {
        const t = lists.get(`${col.backend}:${col.events}:${c.label}`);
        return t ? `${ms(t)} (${ratio(t)})` : "–";
      });
      lines.push(`| \`${c.label}\` | ${cells.join(" | ")} |`);
    }
    lines.push("", "## Full export: `event list --json > /dev/null`", "");
    lines.push(
      `V8 flags: those of \`deno task start\` and \`deno task compile\` (\`${V8_FLAGS.join(" ")}\`), or none.`,
      "",
      "| backend | events | V8 flags | time (s) | rows/s | peak memory (MiB) |",
      "|---|--:|---|--:|--:|--:|",
    );
    for (const e of exports) {
      lines.push(
        `| ${backendName(e.backend)} | ${e.events.toLocaleString("en")} | ${e.flags ? "yes" : "none"} | ${
          (e.ms / 1000).toFixed(2)
        } | ${Math.round(e.events / (e.ms / 1000)).toLocaleString("en")} | ${
          e.peakKiB === null ? "?" : (e.peakKiB / 1024).toFixed(0)
        } |`,
      );
    }
    if (seeds.length) {
      lines.push("", "## Seeding (`deno task seed`, this run)", "");
      lines.push("| backend | clients | events | time (s) |", "|---|--:|--:|--:|");
      for (const s of seeds) {
        lines.push(
          `| ${backendName(s.backend)} | ${clientsFor(s.events).toLocaleString("en")} | ${
            s.events.toLocaleString("en")
          } | ${s.seconds.toFixed(1)} |`,
        );
      }
    }
    await probe.sqlite?.close();
    await probe.postgres?.close();
    await Deno.writeTextFile(options.out, lines.join("\n") + "\n");
    const jsonPath = options.out.replace(/\.md$/, "") + ".json";
    await Deno.writeTextFile(
      jsonPath,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: await machine(),
          runs,
          floorMs: floor,
          startup,
          lists: Object.fromEntries(lists),
          exports,
          seeds,
          notes,
        },
        null,
        2,
      ) + "\n",
    );
    // In the repository's style, so that `deno task check` (fmt --check) stays green.
    await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", options.out, jsonPath],
      cwd: ROOT,
      stdout: "null",
      stderr: "inherit",
    }).output();
    console.error(`wrote ${options.out} and ${jsonPath}`);
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
