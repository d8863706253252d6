/**
 * The full export, `event list --json > /dev/null`, as a user runs it: each
 * run a real process under `/usr/bin/time` (wall time, CPU time, peak
 * resident memory), alternating the variants round after round so that they
 * see the same load: this tree and, with `--compare DIR`, another checkout
 * (the code before a change), each with the V8 flags of `deno task start`,
 * with none, and with `--max-semi-space-size=8` alone. The database is
 * `DATABASE_URL` (either backend), seeded beforehand:
 *
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/epic_bench_export deno task seed -- --clients 100000 --events 1000000
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/epic_bench_export deno run -A bench/export.ts --rounds 3
 *
 * With `--floor`, the rounds also time what PostgreSQL itself takes to send
 * the rows (`psql -c "COPY (…) TO STDOUT" > /dev/null`): the events as
 * stored, and the JSON text this program asks it to build. On a shared
 * machine, run it under `flock` like every measurement. Prints a markdown
 * table (medians and ranges) and the load average.
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { connect } from "../src/db/connect.ts";
import { parseDatabaseUrl } from "../src/config.ts";
import { recordJsonSql } from "../src/repositories/json_text.ts";
import { eventRecord } from "../src/contract/events.ts";
import { DEFAULT_SEED_PASSWORD, STAFF_DOMAIN } from "../tools/seed.ts";
import { median } from "./run.ts";

const ROOT = resolve(import.meta.dirname!, "..");

/** The V8 flags of `deno task start` (the program as it runs). */
const PROGRAM_FLAGS: string[] = (JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).tasks.start as string)
  .split(/\s+/).filter((arg) => arg.startsWith("--v8-flags="));

/** The V8 flag sets each tree runs with. */
const FLAG_SETS: { label: string; flags: string[] }[] = [
  { label: "program's flags", flags: PROGRAM_FLAGS },
  { label: "no flags", flags: [] },
  { label: "--max-semi-space-size=8", flags: ["--v8-flags=--max-semi-space-size=8"] },
];

/** One measured run. */
interface Run {
  wall: number;
  cpu: number;
  peakMiB: number;
  load: number;
}

async function loadAverage(): Promise<number> {
  return Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
}

/** Runs `args` under GNU time with stdout to /dev/null; fails on a non-zero exit. */
async function measure(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  const report = await Deno.makeTempFile({ prefix: "epic-export-" });
  try {
    const load = await loadAverage();
    const out = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%e %U %S %M", "-o", report, ...args],
      env,
      clearEnv: true,
      cwd,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.code !== 0) {
      throw new Error(`${args.join(" ")} exited ${out.code}:\n${new TextDecoder().decode(out.stderr)}`);
    }
    const [wall, user, sys, kib] = (await Deno.readTextFile(report)).trim().split("\n").pop()!.split(" ").map(Number);
    return { wall, cpu: user + sys, peakMiB: kib / 1024, load };
  } finally {
    await Deno.remove(report);
  }
}

function range(values: number[], digits: number): string {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
}

function thousands(n: number): string {
  return Math.round(n / 1000).toLocaleString("en") + "k";
}

async function main(): Promise<void> {
  const args = Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args;
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: "string" },
      compare: { type: "string" },
      flags: { type: "string" },
      floor: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      "Usage: DATABASE_URL=… deno run -A bench/export.ts [--rounds 3] [--compare DIR] [--flags program,none,semi8] [--floor]",
    );
    return;
  }
  const url = Deno.env.get("DATABASE_URL");
  if (!url) throw new Error("DATABASE_URL: the seeded database (deno task seed)");
  const rounds = Number(values.rounds ?? 3);
  const chosen = (values.flags ?? "program,none,semi8").split(",");
  const flagSets = FLAG_SETS.filter((_, i) => chosen.includes(["program", "none", "semi8"][i]));
  const trees = [{ label: "this tree", main: join(ROOT, "main.ts") }];
  if (values.compare) trees.unshift({ label: `${values.compare}`, main: join(resolve(values.compare), "main.ts") });

  const home = await Deno.makeTempDir({ prefix: "epic-export-home-" });
  const db = await connect(parseDatabaseUrl(url, home, home));
  let events: number;
  let jsonSql: string | undefined;
  try {
    events = Number((await db.one<{ n: number }>("SELECT count(*) AS n FROM events"))!.n);
    jsonSql = recordJsonSql(db.sql, eventRecord, "e");
  } finally {
    await db.close();
  }
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
    HOME: home,
    NO_COLOR: "1",
    TZ: "UTC",
    DATABASE_URL: url,
    SECRET_KEY: "bench-secret-key-0123456789abcdef-0123456789",
    EPIC_EVENTS_CONFIG_DIR: join(home, "config"),
    EPIC_EVENTS_DATA_DIR: join(home, "data"),
    EPIC_EVENTS_LOG_DIR: join(home, "logs"),
  };
  try {
    const login = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(ROOT, "main.ts"), "login", "--email", `management1@${STAFF_DOMAIN}`, "--password-stdin"],
      env,
      clearEnv: true,
      cwd: home,
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const writer = login.stdin.getWriter();
    await writer.write(new TextEncoder().encode(Deno.env.get("SEED_PASSWORD") ?? DEFAULT_SEED_PASSWORD));
    await writer.close();
    const logged = await login.output();
    if (logged.code !== 0) throw new Error(`login failed:\n${new TextDecoder().decode(logged.stderr)}`);

    const variants = trees.flatMap((tree) =>
      flagSets.map((set) => ({
        label: `${tree.label}, ${set.label}`,
        args: [Deno.execPath(), "run", "-A", ...set.flags, tree.main, "event", "list", "--json"],
      }))
    );
    const floors: { label: string; sql: string }[] = [];
    if (values.floor && url.startsWith("postgres")) {
      floors.push({ label: "psql COPY of the stored events", sql: "SELECT * FROM events e ORDER BY e.id" });
      if (jsonSql) {
        floors.push({ label: "psql COPY of their JSON text", sql: `SELECT ${jsonSql} FROM events e ORDER BY e.id` });
      }
    }
    const runs = new Map<string, Run[]>();
    // One warm-up of each (Deno's caches), then the rounds.
    for (const v of variants) await measure(v.args, env, home);
    for (let round = 1; round <= rounds; round++) {
      for (const v of variants) {
        const r = await measure(v.args, env, home);
        runs.set(v.label, [...runs.get(v.label) ?? [], r]);
        console.error(
          `round ${round}: ${v.label}: ${r.wall.toFixed(2)} s, ${r.cpu.toFixed(2)} s CPU, ` +
            `${r.peakMiB.toFixed(0)} MiB, load ${r.load}`,
        );
      }
      for (const f of floors) {
        const psqlUrl = new URL(url);
        psqlUrl.search = "";
        const r = await measure(["psql", "-X", "-q", psqlUrl.toString(), "-c", `COPY (${f.sql}) TO STDOUT`], env, home);
        runs.set(f.label, [...runs.get(f.label) ?? [], r]);
        console.error(`round ${round}: ${f.label}: ${r.wall.toFixed(2)} s`);
      }
    }
    const lines = [
      `\`event list --json > /dev/null\`, ${events.toLocaleString("en")} events, ${rounds} rounds ` +
      `(load average ${range([...runs.values()].flat().map((r) => r.load), 1)}):`,
      "",
      "| what | time (s) | rows/s | CPU, user + sys (s) | peak memory (MiB) |",
      "| ---- | -------: | -----: | ------------------: | ----------------: |",
    ];
    for (const [label, rs] of runs) {
      const walls = rs.map((r) => r.wall);
      const rates = walls.map((w) => events / w);
      lines.push(
        `| ${label} | ${median(walls).toFixed(2)} (${range(walls, 2)}) | ${thousands(median(rates))} (${
          thousands(Math.min(...rates))
        }–${thousands(Math.max(...rates))}) | ${median(rs.map((r) => r.cpu)).toFixed(2)} | ${
          median(rs.map((r) => r.peakMiB)).toFixed(0)
        } (${range(rs.map((r) => r.peakMiB), 0)}) |`,
      );
    }
    console.log(lines.join("\n"));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main) await main();
