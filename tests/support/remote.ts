/**
 * The third backend of the CLI tests: CLI → `epic-events serve` (a real
 * process on a free loopback port) → PostgreSQL. The CLI's environment holds
 * no `DATABASE_URL` and no `SECRET_KEY`, only `EPIC_EVENTS_SERVER`; the
 * operator commands (`init`, `migrate`, `backup`) run as on the server host,
 * with the database's environment. `db()` still opens the database directly,
 * for asserting its state.
 * @module
 */
import type { Backend } from "./backends.ts";
import { createBackend, TEST_SECRET_KEY } from "./backends.ts";
import { DENO_DIR, MAIN, runCli } from "./cli.ts";
import { type ContractProxy, startContractProxy } from "./contract.ts";

/** A running `epic-events serve` child process. */
export interface ServeProcess {
  /** `http(s)://127.0.0.1:PORT`, from its `listening on` line. */
  url: string;
  child: Deno.ChildProcess;
  /** Sends `signal` (default SIGTERM) and waits (at most `timeoutMs`) for the exit. */
  stop(options?: { signal?: Deno.Signal; timeoutMs?: number }): Promise<{ code: number; stderr: string }>;
}

/** Commands that run where the database is, never through a server. */
const OPERATOR_COMMANDS = new Set(["init", "migrate", "backup", "serve"]);

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/**
 * Starts `epic-events serve --listen 127.0.0.1:0 …args` with `env` and
 * waits (at most 30 s) for its `listening on` line.
 */
export async function startServe(
  env: Record<string, string | undefined>,
  options: { args?: string[]; cwd?: string; entry?: string } = {},
): Promise<ServeProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", options.entry ?? MAIN, "serve", "--listen", "127.0.0.1:0", ...(options.args ?? [])],
    cwd: options.cwd,
    env: { DENO_DIR, ...withoutUndefined(env) },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const deadline = Date.now() + 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), 30_000)));
  try {
    while (!out.includes("\n") && Date.now() < deadline) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === "timeout" || next.done) break;
      out += next.value;
    }
  } finally {
    clearTimeout(timer);
  }
  const match = /^listening on (\S+)\n/.exec(out);
  if (!match) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    await reader.cancel().catch(() => {});
    throw new Error(`serve did not start: stdout=${JSON.stringify(out)} stderr=${await stderr}`);
  }
  // Nothing more is expected on stdout; keep it drained.
  const drained = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })().catch(() => {});
  return {
    url: match[1],
    child,
    async stop({ signal = "SIGTERM", timeoutMs = 20_000 } = {}) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      let killTimer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) =>
        killTimer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch {
            // already gone
          }
          resolve();
        }, timeoutMs)
      );
      const status = await Promise.race([child.status, late.then(() => child.status)]);
      clearTimeout(killTimer);
      await drained;
      return { code: status.code, stderr: await stderr };
    },
  };
}

/** The environment of the server host: the database and its key. */
export function operatorEnv(pgEnv: Record<string, string>, extra: Record<string, string | undefined> = {}) {
  return { ...extra, DATABASE_URL: pgEnv.DATABASE_URL, SECRET_KEY: TEST_SECRET_KEY, EPIC_EVENTS_SERVER: "" };
}

/** A remote backend: the servers, and the environment of the server host. */
export interface RemoteBackend extends Backend {
  /**
   * The `serve` processes. The CLI's `EPIC_EVENTS_SERVER` is the first, through
   * {@link RemoteBackend.contract}; `url` is the server itself.
   */
  servers: ServeProcess[];
  /** The proxy that checks every answer the CLI gets against the OpenAPI document (see `contract.ts`). */
  contract: ContractProxy;
  /** `DATABASE_URL`, `SECRET_KEY` and folders, as on the server host. */
  serverEnv: Record<string, string>;
  /** Where the servers write their logs (`info.log`, `error.log`). */
  serverLogDir: string;
  dispose(): Promise<void>;
}

/**
 * A fresh PostgreSQL schema, migrated, served by `servers` (default 1)
 * `serve` processes started with `serverEnv` added; the CLI talks to the
 * first one.
 */
export async function createRemoteBackend(
  options: { servers?: number; serverEnv?: Record<string, string>; serveArgs?: string[] } = {},
): Promise<RemoteBackend> {
  const pg = await createBackend("postgres");
  const servers: ServeProcess[] = [];
  const serverLogDir = `${pg.dir}/server-logs`;
  const serverEnv = { ...pg.env, EPIC_EVENTS_LOG_DIR: serverLogDir, ...options.serverEnv };
  let contract: ContractProxy;
  try {
    const migrated = await runCli(["migrate", "up"], { env: pg.env, cwd: pg.dir });
    if (migrated.code !== 0) throw new Error(`migrate up failed: ${migrated.stderr}`);
    for (let i = 0; i < (options.servers ?? 1); i++) {
      servers.push(await startServe(serverEnv, { cwd: pg.dir, args: options.serveArgs }));
    }
    contract = await startContractProxy(servers[0].url);
  } catch (error) {
    for (const server of servers) await server.stop();
    await pg.dispose();
    throw error;
  }
  const env: Record<string, string> = { ...pg.env, EPIC_EVENTS_SERVER: contract.url };
  delete env.DATABASE_URL;
  delete env.SECRET_KEY;
  return {
    name: "remote",
    url: pg.url,
    dir: pg.dir,
    env,
    servers,
    contract,
    serverEnv,
    serverLogDir,
    db: () => pg.db(),
    cli(args, options = {}) {
      const command = args.find((a) => !a.startsWith("-"));
      if (command !== undefined && OPERATOR_COMMANDS.has(command)) {
        return runCli(args, { cwd: pg.dir, ...options, env: operatorEnv(pg.env, { ...env, ...options.env }) });
      }
      return runCli(args, { cwd: pg.dir, ...options, env: { ...env, ...options.env } });
    },
    async dispose() {
      try {
        await contract.close();
        for (const server of servers) await server.stop();
      } finally {
        await pg.dispose();
      }
      if (contract.violations.length > 0) {
        throw new Error(`answers the OpenAPI document does not describe:\n${contract.violations.join("\n")}`);
      }
    },
  };
}

const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");

/**
 * A test on a fresh {@link RemoteBackend} (skipped, like the PostgreSQL half
 * of the backend tests, when `EPIC_EVENTS_TEST_POSTGRES_URL` is unset, except
 * under `CI=true`).
 */
export function remoteTest(
  name: string,
  fn: (backend: RemoteBackend) => Promise<void>,
  options: Parameters<typeof createRemoteBackend>[0] = {},
): void {
  if (!PG_URL && Deno.env.get("CI") === "true") {
    throw new Error("CI=true but EPIC_EVENTS_TEST_POSTGRES_URL is not set: server tests cannot run");
  }
  Deno.test({
    name: `${name} [remote]`,
    ignore: !PG_URL,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const backend = await createRemoteBackend(options);
      try {
        await fn(backend);
      } finally {
        await backend.dispose();
      }
    },
  });
}
