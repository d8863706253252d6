/**
 * Runs a test body once per backend: SQLite in a temp file and PostgreSQL in a
 * fresh schema of the server named by `EPIC_EVENTS_TEST_POSTGRES_URL`. Without
 * that variable the PostgreSQL half is skipped with one line saying so, except
 * under `CI=true`, where a missing or unreachable server fails the run.
 * @module
 */
import { connect } from "../../src/db/connect.ts";
import type { Database } from "../../src/db/database.ts";
import { parseDatabaseUrl } from "../../src/config.ts";
import { type CliResult, runCli, type RunOptions } from "./cli.ts";

/**
 * The backends a data test runs on. `remote` is the CLI against a real
 * `epic-events serve` on PostgreSQL (`support/remote.ts`); `backendTest` adds
 * it when `EPIC_EVENTS_TEST_REMOTE=1` (`deno task test:remote`, which runs the
 * CLI suites; those of the migrator and the configuration test the operator's
 * own database and have nothing to do through a server).
 */
export type BackendName = "sqlite" | "postgres" | "remote";

/** One backend prepared for one test. */
export interface Backend {
  name: BackendName;
  /** `DATABASE_URL` of this test's own database. */
  url: string;
  /** A temp folder of this test (config dir, data dir, cwd). */
  dir: string;
  /** Environment for the CLI: database, folders, fast bcrypt, fixed secret. */
  env: Record<string, string>;
  /** A direct connection for asserting database state (closed after the test). */
  db(): Promise<Database>;
  /** Runs the CLI in-process against this backend. */
  cli(args: string[], options?: RunOptions): Promise<CliResult>;
}

const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");
const IN_CI = Deno.env.get("CI") === "true";
const REMOTE = Deno.env.get("EPIC_EVENTS_TEST_REMOTE") === "1";
let warned = false;

function postgresSkipped(): boolean {
  if (PG_URL) return false;
  if (IN_CI) throw new Error("CI=true but EPIC_EVENTS_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run");
  if (!warned) {
    warned = true;
    console.error("note: EPIC_EVENTS_TEST_POSTGRES_URL is unset; PostgreSQL tests are skipped.");
  }
  return true;
}

/** A 32-byte test key (tests only; never used by the program itself). */
export const TEST_SECRET_KEY = "test-secret-key-0123456789abcdef-0123456789";

async function adminQuery(statement: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(PG_URL!, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates a fresh backend; `dispose` removes it. */
export async function createBackend(name: BackendName): Promise<Backend & { dispose(): Promise<void> }> {
  if (name === "remote") return await (await import("./remote.ts")).createRemoteBackend();
  const dir = await Deno.makeTempDir({ prefix: `epic-${name}-` });
  let url: string;
  let schema: string | undefined;
  if (name === "sqlite") {
    url = `sqlite://${dir}/test.db`;
  } else {
    schema = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    await adminQuery(`CREATE SCHEMA ${schema}`);
    const u = new URL(PG_URL!);
    u.searchParams.set("search_path", schema);
    url = u.toString();
  }
  const env: Record<string, string> = {
    DATABASE_URL: url,
    HOME: dir,
    EPIC_EVENTS_CONFIG_DIR: `${dir}/config`,
    EPIC_EVENTS_DATA_DIR: `${dir}/data`,
    EPIC_EVENTS_LOG_DIR: `${dir}/logs`,
    EPIC_EVENTS_TEST_MODE: "1",
    BCRYPT_ROUNDS: "4",
    SECRET_KEY: TEST_SECRET_KEY,
    NO_COLOR: "1",
  };
  const opened: Database[] = [];
  return {
    name,
    url,
    dir,
    env,
    async db() {
      const db = await connect(parseDatabaseUrl(url, dir, dir));
      opened.push(db);
      return db;
    },
    cli(args, options = {}) {
      return runCli(args, { cwd: dir, ...options, env: { ...env, ...options.env } });
    },
    async dispose() {
      for (const db of opened) await db.close();
      if (schema) await adminQuery(`DROP SCHEMA ${schema} CASCADE`);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * Registers `fn` as one test per backend: `name [sqlite]`, `name [postgres]`
 * (and `name [remote]` under `EPIC_EVENTS_TEST_REMOTE=1`, unless `remote:
 * false`: a test of what only the local process does, such as its own
 * database connection or Sentry client). `fn` also gets the test context,
 * for `t.step` (one step per case, so a failure names its case). `ignore`:
 * a test that cannot run here is reported as ignored, never as passed.
 */
export function backendTest(
  name: string,
  fn: (backend: Backend, t: Deno.TestContext) => Promise<void>,
  options: { remote?: boolean; ignore?: boolean } = {},
): void {
  const remote = REMOTE && options.remote !== false;
  const names: BackendName[] = ["sqlite", "postgres", ...(remote ? ["remote" as const] : [])];
  for (const backendName of names) {
    const ignore = options.ignore === true || (backendName !== "sqlite" && postgresSkipped());
    Deno.test({
      name: `${name} [${backendName}]`,
      ignore,
      sanitizeResources: false,
      sanitizeOps: false,
      async fn(t) {
        const backend = await createBackend(backendName);
        try {
          await fn(backend, t);
        } finally {
          await backend.dispose();
        }
      },
    });
  }
}

/**
 * Registers a test of what PostgreSQL alone does (plans, the driver's values),
 * on a fresh schema; skipped like the PostgreSQL half of {@link backendTest}.
 */
export function postgresTest(name: string, fn: (db: Database) => Promise<void>): void {
  Deno.test({
    name,
    ignore: postgresSkipped(),
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const backend = await createBackend("postgres");
      try {
        await fn(await backend.db());
      } finally {
        await backend.dispose();
      }
    },
  });
}
