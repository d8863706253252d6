/**
 * A gzip bomb in the backup folder: 1.5 MiB that decompresses to one line of
 * 1.5 GiB. `backup list`, `verify` and `restore` run as real child processes
 * and must refuse it with their peak memory (VmHWM, from `/usr/bin/time`)
 * under 200 MB. The time bound is generous (the machine is shared); the real
 * figure is measured by `bench/backup_bomb.ts` and written in docs/backups.md.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Backend, backendTest } from "../support/backends.ts";
import { DENO_DIR, MAIN } from "../support/cli.ts";
import { writeBomb } from "./bomb.ts";
import { tablesOf } from "./helpers.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const TIME = "/usr/bin/time";
const PEAK_LIMIT_KB = 200_000;
const GENEROUS_MS = 60_000;

/** Runs `epic-events args…` under `/usr/bin/time`: exit code, output, peak memory (KB) and wall time. */
async function measured(b: Backend, args: string[]) {
  const env: Record<string, string> = { ...b.env, DENO_DIR, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };
  const started = performance.now();
  const out = await new Deno.Command(TIME, {
    args: ["-f", "peak-rss-kb %M", Deno.execPath(), "run", "-A", "--config", CONFIG, MAIN, ...args],
    cwd: b.dir,
    env,
    clearEnv: true,
    stdin: "null",
  }).output();
  const ms = performance.now() - started;
  const stderr = new TextDecoder().decode(out.stderr);
  const peak = /peak-rss-kb (\d+)\s*$/.exec(stderr);
  assert.ok(peak, `no measurement in: ${stderr}`);
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: stderr.slice(0, peak.index),
    peakKb: Number(peak[1]),
    ms,
  };
}

backendTest("a gzip bomb is refused by list, verify and restore within 200 MB of memory", async (b) => {
  const dir = join(b.dir, "backups");
  await Deno.mkdir(dir);
  const bomb = join(dir, "epic-events-20250101T000000.000Z.jsonl.gz");
  const size = await writeBomb(bomb);
  assert.ok(size < 2 << 20, `a small file (${size} bytes) for 1.5 GiB`);

  const list = await measured(b, ["backup", "list", "--dir", dir, "--json"]);
  assert.equal(list.code, 0, list.stderr);
  const [entry] = JSON.parse(list.stdout) as { intact: boolean; problem: string }[];
  assert.equal(entry.intact, false);
  assert.match(entry.problem, /line 2 is longer than 1 MiB: not a backup \(or a compression bomb\)/);

  const verify = await measured(b, ["backup", "verify", bomb]);
  assert.equal(verify.code, 6, verify.stderr);
  assert.match(verify.stderr, /line 2 is longer than 1 MiB/);

  const restore = await measured(b, ["backup", "restore", bomb]);
  assert.equal(restore.code, 6, restore.stderr);
  assert.match(restore.stderr, /line 2 is longer than 1 MiB/);
  assert.deepEqual(await tablesOf(await b.db()), [], "nothing written");

  for (const [what, run] of Object.entries({ list, verify, restore })) {
    assert.ok(run.peakKb < PEAK_LIMIT_KB, `${what}: peak memory ${run.peakKb} KB, over ${PEAK_LIMIT_KB} KB`);
    assert.ok(run.ms < GENEROUS_MS, `${what}: ${Math.round(run.ms)} ms`);
  }
});
