/**
 * The import benchmark of issue 19: N clients from a CSV file (shaped like
 * `client list --format csv`, each naming its sales contact by email),
 * imported by a manager through the import service, on SQLite and
 * PostgreSQL, each run in a fresh database and its own process (with the
 * V8 flags of `deno task start`), which reports its wall time and its peak
 * resident memory (VmHWM) and its CPU time (user + system: on a loaded
 * machine the wall time says more about the neighbours); flat memory means the same peak at 10k, 100k and
 * 1M rows.
 *
 *     deno run -A bench/import.ts                         # 10k, 100k, 1M on both backends
 *     deno run -A bench/import.ts --rows 100000 --backend sqlite
 *
 * PostgreSQL: `--postgres-url` (default EPIC_EVENTS_TEST_POSTGRES_URL, else
 * the local server); each run gets its own schema, dropped afterwards.
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { MIGRATIONS } from "../migrations/mod.ts";
import { parseDatabaseUrl } from "../src/config.ts";
import { connect } from "../src/db/connect.ts";
import { migrateUp } from "../src/db/migrator.ts";
import { readImport } from "../src/import/mod.ts";
import { NULL_REPORTER, type ServiceContext } from "../src/services/context.ts";
import { importRecords } from "../src/services/import.ts";
import { createFirstManager, createUser } from "../src/services/users.ts";

const ROOT = resolve(import.meta.dirname!, "..");
const V8_FLAGS: string[] = (JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).tasks.start as string)
  .split(/\s+/).filter((arg) => arg.startsWith("--v8-flags="));

/** Writes a CSV of `rows` clients to `path`, a chunk at a time. */
async function writeClients(path: string, rows: number): Promise<number> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let size = 0;
  let text = "NAME,COMPANY,EMAIL,PHONE,SALES CONTACT EMAIL\r\n";
  for (let i = 1; i <= rows; i++) {
    const company = i % 10 === 0 ? `"Startup, ${i}"` : `Startup ${i}`;
    text += `Client Number ${i},${company},client${i}@example.com,+33 6 12 34 56 78,sales${i % 5}@epic.example\r\n`;
    if (text.length > 256 * 1024 || i === rows) {
      const bytes = encoder.encode(text);
      size += bytes.length;
      await file.write(bytes);
      text = "";
    }
  }
  file.close();
  return size;
}

/** One import in this process: prints `{ ms, peakKiB, created }` as JSON. */
async function child(url: string, file: string): Promise<void> {
  const db = await connect(parseDatabaseUrl(url, ROOT, ROOT));
  await migrateUp(db, { migrations: MIGRATIONS });
  const base: ServiceContext = { db, actor: null, now: () => new Date(), reporter: NULL_REPORTER, bcryptRounds: 4 };
  const manager = await createFirstManager(base, {
    first_name: "Ada",
    last_name: "Lovelace",
    email: "ada@epic.example",
  }, "bench password");
  const ctx = { ...base, actor: { id: manager.id, email: manager.email, role: manager.role } };
  for (let i = 0; i < 5; i++) {
    await createUser(ctx, {
      first_name: "Sales",
      last_name: `Person ${i}`,
      email: `sales${i}@epic.example`,
      role: "SALES",
      password: "bench password",
    });
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  const input = await Deno.open(file);
  const result = await importRecords(ctx, "client", readImport(input.readable, { entity: "client", format: "csv" }));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await db.close();
  const peak = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  if (!result.committed) throw new Error(`import failed: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(JSON.stringify({ ms, cpuMs, peakKiB: peak ? Number(peak[1]) : null, created: result.created }));
}

async function adminSql(url: string, statement: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

async function run(backend: "sqlite" | "postgres", rows: number, file: string, pgUrl: string) {
  const dir = await Deno.makeTempDir({ prefix: "epic-import-bench-" });
  let url = `sqlite://${dir}/bench.db`;
  const schema = `import_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  if (backend === "postgres") {
    await adminSql(pgUrl, `CREATE SCHEMA ${schema}`);
    const u = new URL(pgUrl);
    u.searchParams.set("search_path", schema);
    url = u.toString();
  }
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...V8_FLAGS, import.meta.filename!, "--child", url, file],
      env: { EPIC_EVENTS_DATA_DIR: dir },
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!output.success) throw new Error(`${backend} ${rows}: the import failed`);
    return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").pop()!) as {
      ms: number;
      cpuMs: number;
      peakKiB: number;
      created: number;
    };
  } finally {
    if (backend === "postgres") await adminSql(pgUrl, `DROP SCHEMA ${schema} CASCADE`);
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      child: { type: "boolean" },
      rows: { type: "string", default: "10000,100000,1000000" },
      backend: { type: "string", default: "sqlite,postgres" },
      "postgres-url": { type: "string" },
    },
    allowPositionals: true,
  });
  if (values.child) {
    const [url, file] = Deno.args.filter((a) => !a.startsWith("--"));
    await child(url, file);
  } else {
    const pgUrl = values["postgres-url"] ?? Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL") ??
      "postgres://postgres@127.0.0.1:5432/postgres";
    console.log("| backend | clients | file | time | CPU time | rows/s | peak RSS |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const rows of values.rows!.split(",").map(Number)) {
      const file = await Deno.makeTempFile({ prefix: "epic-import-bench-", suffix: ".csv" });
      try {
        const size = await writeClients(file, rows);
        for (const backend of values.backend!.split(",") as ("sqlite" | "postgres")[]) {
          const r = await run(backend, rows, file, pgUrl);
          console.log(
            `| ${backend} | ${rows.toLocaleString("en")} | ${(size / 1e6).toFixed(1)} MB | ${
              (r.ms / 1000).toFixed(1)
            } s | ${(r.cpuMs / 1000).toFixed(1)} s | ${Math.round(r.created / r.ms * 1000).toLocaleString("en")} | ${
              (r.peakKiB / 1024).toFixed(0)
            } MiB |`,
          );
        }
      } finally {
        await Deno.remove(file);
      }
    }
  }
}
