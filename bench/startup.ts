/**
 * Start-up against Deno's floor, in both languages, from the source and from
 * the bundle (issue 18 §6: `--help` within 3× the floor). Interleaved: each
 * round runs the floor, then every case once, so that all see the same load;
 * the figure is the median of the per-round ratios to that round's floor.
 *
 *     flock /tmp/bench.lock deno run -A bench/startup.ts                # 20 rounds
 *     flock /tmp/bench.lock deno run -A bench/startup.ts --rounds 30 --no-bundle
 *     flock /tmp/bench.lock deno run -A bench/startup.ts --before /work/main/main.ts   # and another tree's, interleaved
 *
 * The floor is `deno run -A` of an empty `.ts` file with the same V8 flags
 * and the same configuration (deno.json, run from the repository) as the
 * program: V8 keeps its code cache per set of flags, so that is like with
 * like. The bundle is run from its own folder, as it is shipped (no deno.json).
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { bundle, ENTRY } from "../tools/bundle.ts";
import { median, V8_FLAGS } from "./run.ts";

const ROOT = resolve(import.meta.dirname!, "..");
/** The bench's manager's password (a throwaway database). */
const PW = "correct horse battery";
const DENO_DIR = Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");

/** One command timed each round. */
interface Case {
  label: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Wall time of one run, stdout to /dev/null; fails on an unexpected exit code. */
async function timeOnce(c: Case): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(c.args[0], {
    args: c.args.slice(1),
    cwd: c.cwd,
    env: c.env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  if (out.code !== 0) throw new Error(`${c.label} exited ${out.code}:\n${new TextDecoder().decode(out.stderr)}`);
  return ms;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string" },
      "no-bundle": { type: "boolean" },
      main: { type: "string" },
      before: { type: "string" },
      bundle: { type: "string" },
    },
    strict: true,
  });
  const rounds = Number(values.rounds ?? 20);
  const main = resolve(values.main ?? join(ROOT, "main.ts"));
  const home = await Deno.makeTempDir({ prefix: "epic-startup-" });
  try {
    const deno = Deno.execPath();
    const empty = join(home, "empty.ts");
    await Deno.writeTextFile(empty, "");
    const base = {
      HOME: home,
      DENO_DIR,
      NO_COLOR: "1",
      DATABASE_URL: `sqlite://${home}/crm.db`,
      EPIC_EVENTS_CONFIG_DIR: join(home, "config"),
      EPIC_EVENTS_DATA_DIR: join(home, "data"),
      EPIC_EVENTS_LOG_DIR: join(home, "logs"),
    };
    // A first manager, logged in, for `whoami` (SQLite, in the bench's temporary home).
    for (
      const [args, stdin] of [
        [
          ["init", "--email", "ada@epic.test", "--first-name", "Ada", "--last-name", "Lovelace", "--password-stdin"],
          PW,
        ],
        [["login", "--email", "ada@epic.test", "--password-stdin"], PW],
      ] as const
    ) {
      const child = new Deno.Command(deno, {
        args: ["run", "-A", main, ...args],
        cwd: ROOT,
        env: base,
        clearEnv: true,
        stdin: "piped",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(stdin));
      await writer.close();
      const out = await child.output();
      if (!out.success) throw new Error(`${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
    }
    const en = { ...base, LANG: "C" };
    const fr = { ...base, LANG: "fr_FR.UTF-8" };
    const run = ["run", "-A", ...V8_FLAGS];
    const cases: Case[] = [
      { label: "floor (empty .ts)", args: [deno, ...run, empty], cwd: ROOT, env: en },
    ];
    const add = (where: string, entry: string, cwd: string) => {
      cases.push(
        { label: `${where} --help, LANG=C`, args: [deno, ...run, entry, "--help"], cwd, env: en },
        { label: `${where} --help, LANG=fr_FR.UTF-8`, args: [deno, ...run, entry, "--help"], cwd, env: fr },
        { label: `${where} client --help, LANG=C`, args: [deno, ...run, entry, "client", "--help"], cwd, env: en },
        { label: `${where} client --help, fr`, args: [deno, ...run, entry, "client", "--help"], cwd, env: fr },
        { label: `${where} --version`, args: [deno, ...run, entry, "--version"], cwd, env: en },
        { label: `${where} whoami (SQLite), LANG=C`, args: [deno, ...run, entry, "whoami"], cwd, env: en },
        { label: `${where} whoami (SQLite), fr`, args: [deno, ...run, entry, "whoami"], cwd, env: fr },
      );
    };
    add("source", main, ROOT);
    if (values.before) add("before", resolve(values.before), ROOT);
    if (!values["no-bundle"]) {
      const dir = values.bundle ? resolve(values.bundle) : join(home, "bundle");
      if (!values.bundle) await bundle(dir, { quiet: true });
      cases.push({ label: "floor, bundle's folder", args: [deno, ...run, join(dir, "empty.ts")], cwd: dir, env: en });
      await Deno.writeTextFile(join(dir, "empty.ts"), "");
      add("bundle", join(dir, ENTRY), dir);
    }
    const times = cases.map(() => [] as number[]);
    const ratios = cases.map(() => [] as number[]);
    const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).split(" ").slice(0, 3).join(" ");
    // One warm-up round fills Deno's caches (code cache per flag set, npm metadata).
    for (let round = 0; round <= rounds; round++) {
      let floor = 0;
      for (const [i, c] of cases.entries()) {
        const ms = await timeOnce(c);
        if (i === 0) floor = ms;
        if (round === 0) continue;
        times[i].push(ms);
        ratios[i].push(ms / floor);
      }
    }
    const loadAfter = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).split(" ").slice(0, 3).join(" ");
    console.log(`${rounds} rounds, V8 flags ${V8_FLAGS.join(" ")}, load average ${load} → ${loadAfter}`);
    console.log("| command | median ms | min–max ms | × floor (median of per-round ratios) | ratio range |");
    console.log("|---|--:|--:|--:|--:|");
    for (const [i, c] of cases.entries()) {
      const t = times[i];
      const r = ratios[i];
      console.log(
        `| ${c.label} | ${median(t).toFixed(0)} | ${Math.min(...t).toFixed(0)}–${Math.max(...t).toFixed(0)} | ${
          median(r).toFixed(2)
        }× | ${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)} |`,
      );
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main) await main();
