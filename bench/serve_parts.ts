/**
 * Two per-request costs of `serve`, measured in-process: the access line
 * (`src/server/observe.ts` through LogTape to the real `info.log` sink in a
 * temporary directory, 32 lines per turn of the event loop as under wrk's 32
 * connections, then the turn's one `write`) and an instant's text
 * (`instantText`, PostgreSQL's text of a `timestamptz` as the ISO text rows
 * carry, then its JSON as in the answer; a page of 50 clients reads ~100). For each: the time per item (wall
 * clock, then the process's CPU time, the collector's threads included) and
 * the bytes allocated per item (V8's sampling heap profiler, garbage
 * included), the median and range of the rounds.
 *
 *     deno run -A bench/serve_parts.ts [--root OTHER_TREE] [--rounds 7] [--lines 100000] [--instants 2000000]
 *
 * `--root` measures another checkout's modules (its `src/`), to compare a
 * change with main: run it once each way, under the program's V8 flags
 * (`--v8-flags=--max-semi-space-size=8,--heap-growing-percent=50`).
 * @module
 */
import { Session } from "node:inspector";
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { setImmediate } from "node:timers";

const { values } = parseArgs({
  options: {
    root: { type: "string", default: resolve(import.meta.dirname ?? ".", "..") },
    rounds: { type: "string", default: "7" },
    lines: { type: "string", default: "100000" },
    instants: { type: "string", default: "2000000" },
  },
});
const root = resolve(values.root!);
const rounds = Number(values.rounds);
const lineCount = Number(values.lines);
const instantCount = Number(values.instants);
const PER_TURN = 32;

const { setupLogging } = await import(join(root, "src/observability/logger.ts"));
const { serverLog } = await import(join(root, "src/server/observe.ts"));
const { instantText } = await import(join(root, "src/db/postgres.ts")) as { instantText: (text: string) => string };

const session = new Session();
session.connect();
const post = <T>(method: string, params: object = {}) =>
  new Promise<T>((ok, fail) => session.post(method, params, (error, result) => error ? fail(error) : ok(result as T)));

/** Bytes allocated while `body` runs, garbage included (sampled every 256 bytes on average). */
async function allocated(body: () => Promise<void> | void): Promise<number> {
  await post("HeapProfiler.enable");
  await post("HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await body();
  const { profile } = await post<{ profile: { samples: { size: number }[] } }>("HeapProfiler.stopSampling");
  await post("HeapProfiler.disable");
  return profile.samples.reduce((sum, sample) => sum + sample.size, 0);
}

interface Round {
  wall: number;
  cpu: number;
}

/** Wall-clock and CPU time of `body`, in µs per item. */
async function timed(items: number, body: () => Promise<void> | void): Promise<Round> {
  const cpu = cpuUsage();
  const started = performance.now();
  await body();
  const wall = (performance.now() - started) * 1000 / items;
  const used = cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / items };
}

function summary(name: string, unit: string, scale: number, results: Round[], bytes: number): void {
  const show = (xs: number[]) => {
    const sorted = xs.map((x) => x * scale).sort((a, b) => a - b);
    const digits = sorted[0] < 10 ? 2 : 0;
    return `${sorted[Math.floor(sorted.length / 2)].toFixed(digits)} (${sorted[0].toFixed(digits)}–${
      sorted.at(-1)!.toFixed(digits)
    })`;
  };
  console.log(
    `${name}: ${show(results.map((r) => r.wall))} ${unit} wall, ${show(results.map((r) => r.cpu))} ${unit} CPU, ` +
      `${Math.round(bytes)} bytes allocated per item`,
  );
}

// The access line.
const dir = await Deno.makeTempDir({ prefix: "epic-events-bench-log-" });
try {
  const logging = await setupLogging({ logDir: dir, level: "info" });
  const log = await serverLog({});
  const turn = () => new Promise<void>((done) => setImmediate(done));
  const lines = async (n: number) => {
    for (let i = 0; i < n; i += PER_TURN) {
      for (let j = 0; j < PER_TURN; j++) {
        log.request({
          method: "GET",
          path: "/api/v1/clients",
          status: 200,
          durationMs: 7,
          userId: 3,
          requestId: crypto.randomUUID(),
          clientGone: false,
        });
      }
      await turn();
    }
  };
  await lines(lineCount / 2); // warm-up
  const results: Round[] = [];
  for (let r = 0; r < rounds; r++) results.push(await timed(lineCount, () => lines(lineCount)));
  const bytes = await allocated(() => lines(lineCount)) / lineCount;
  // The request id alone, to be taken off.
  const idBytes = await allocated(() => {
    for (let i = 0; i < lineCount; i++) crypto.randomUUID();
  }) / lineCount;
  await logging.dispose();
  summary("access line", "µs", 1, results, bytes - idBytes);
  const sample = (await Deno.readTextFile(join(dir, "info.log"))).split("\n")[0];
  console.log(`  ${sample}`);
} finally {
  await Deno.remove(dir, { recursive: true });
}

// Instants: 1,000 texts of every precision, as PostgreSQL prints them in UTC.
const texts: string[] = [];
for (let i = 0; i < 1000; i++) {
  const iso = new Date(1_700_000_000_000 + i * 7_777_777_777).toISOString();
  const digits = i % 7;
  const fraction = digits === 0 ? "" : `.${iso.slice(20, 23)}${String(i).padStart(3, "0")}`.slice(0, 1 + digits);
  texts.push(`${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00`);
}
// Each then in JSON, as the answer's text takes it.
const kept: string[] = new Array(texts.length);
const instants = (n: number) => {
  for (let i = 0; i < n; i++) kept[i % 1000] = JSON.stringify(instantText(texts[i % 1000]));
};
instants(instantCount / 2);
const results: Round[] = [];
for (let r = 0; r < rounds; r++) results.push(await timed(instantCount, () => instants(instantCount)));
const bytes = await allocated(() => instants(instantCount)) / instantCount;
summary("instant", "ns", 1000, results, bytes);
session.disconnect();
