/**
 * How fast, and within how much memory, `backup list`, `verify` and `restore`
 * refuse a gzip bomb (a measurement script, not a test): 1.5 MiB that
 * decompresses to one line of 1.5 GiB, and a forged backup of 200,000 rows
 * that pass every rule of the program (about 430 MB from 1.2 MiB): only its
 * missing MAC checkpoints tell it from a real backup. Each command runs as a real
 * process under `/usr/bin/time`, `--runs` times (median wall time, highest
 * peak RSS), next to Deno's start-up floor (`deno run` of an empty module)
 * measured in the same run.
 *
 *   deno run -A bench/backup_bomb.ts [--runs 5]
 *
 * SQLite only: the refusals happen before any database is touched.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { headerLike, writeBomb } from "../tests/backup/bomb.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Number(values.runs);
const MAIN = new URL("../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

interface Run {
  ms: number;
  peakKb: number;
  code: number;
}

async function timed(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "peak-rss-kb %M", Deno.execPath(), ...args],
    env,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  const peak = /peak-rss-kb (\d+)\s*$/.exec(new TextDecoder().decode(out.stderr));
  return { ms, peakKb: Number(peak?.[1] ?? NaN), code: out.code };
}

async function measure(args: string[], env: Record<string, string>, cwd: string) {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timed(args, env, cwd));
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return { ms, peakMb: Math.max(...runs.map((r) => r.peakKb)) / 1024, codes: [...new Set(runs.map((r) => r.code))] };
}

/** A forged backup: a valid header, then rows with increasing ids and the same long notes, no MAC. */
function forgedRows(lines: number): Uint8Array {
  const header = headerLike([
    { name: "audit_log", columns: ["id", "occurred_at", "action", "entity", "changes"], rows: lines },
  ]);
  // Rows that pass every rule of the program: only the MAC can tell them from a real backup.
  const changes = JSON.stringify(JSON.stringify({ note: { old: null, new: "x".repeat(2000) } }));
  const parts = [JSON.stringify(header)];
  for (let id = 1; id <= lines; id++) {
    parts.push(
      `{"table":"audit_log","row":{"id":${id},"occurred_at":"2025-01-01T00:00:00.000Z","action":"login",` +
        `"entity":"user","changes":${changes}}}`,
    );
  }
  return gzipSync(parts.join("\n") + "\n", { level: 9 });
}

const dir = await Deno.makeTempDir({ prefix: "epic-bomb-" });
try {
  const folder = join(dir, "backups");
  await Deno.mkdir(folder);
  const bomb = join(folder, "epic-events-20250101T000000.000Z.jsonl.gz");
  const bombBytes = await writeBomb(bomb);
  const forged = join(dir, "forged.jsonl.gz");
  const forgedData = forgedRows(200_000);
  await Deno.writeFile(forged, forgedData);
  const empty = join(dir, "empty.ts");
  await Deno.writeTextFile(empty, "");
  const env = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: dir,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    DATABASE_URL: `sqlite://${dir}/bench.db`,
    EPIC_EVENTS_DATA_DIR: join(dir, "data"),
    SECRET_KEY: "test-secret-key-0123456789abcdef-0123456789",
    NO_COLOR: "1",
  };
  const cli = (...args: string[]) => ["run", "-A", "--config", CONFIG, MAIN, ...args];
  const rows: Array<[string, Awaited<ReturnType<typeof measure>>]> = [
    ["deno run (empty module): the floor", await measure(["run", empty], env, dir)],
    [
      "backup list (an empty folder): the program's floor",
      await measure(cli("backup", "list", "--dir", dir + "/none"), env, dir),
    ],
    ["backup list (the bomb in the folder)", await measure(cli("backup", "list", "--dir", folder), env, dir)],
    ["backup verify BOMB", await measure(cli("backup", "verify", bomb), env, dir)],
    ["backup restore BOMB", await measure(cli("backup", "restore", bomb), env, dir)],
    ["backup verify FORGED", await measure(cli("backup", "verify", forged), env, dir)],
  ];
  const floor = rows[0][1].ms;
  for (const file of [bomb, forged]) {
    const out = await new Deno.Command(Deno.execPath(), { args: cli("backup", "verify", file), env, cwd: dir })
      .output();
    console.log(new TextDecoder().decode(out.stderr).trim());
  }
  console.log(`bomb: ${bombBytes} bytes → one line of 1.5 GiB`);
  console.log(`forged: ${forgedData.length} bytes → 200,000 rows of 2 KB (about 400 MB), no valid MAC`);
  console.log(`median of ${RUNS} runs; peak RSS is the highest of the runs\n`);
  console.log("| command | exit | wall time | × floor | peak RSS |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const [name, m] of rows) {
    console.log(
      `| ${name} | ${m.codes.join(",")} | ${(m.ms / 1000).toFixed(2)} s | ${(m.ms / floor).toFixed(1)} | ` +
        `${m.peakMb.toFixed(0)} MiB |`,
    );
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
