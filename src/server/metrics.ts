/**
 * `serve --metrics-listen HOST:PORT`: the server's metrics in the Prometheus
 * text format, at `/metrics` on a listener of their own (the API's listener
 * never serves them), written by `prom-client`. Loaded only when the flag (or
 * `EPIC_EVENTS_METRICS_LISTEN`) is given: a server without it imports none
 * of this.
 *
 * - `epic_events_http_requests_total{method,route,status}` and
 *   `epic_events_http_request_duration_seconds{method,route}` (a histogram):
 *   `route` is the operation's path template (`/api/v1/clients/{id}`), never
 *   the path sent; a path matching no route is `unmatched`, a request
 *   refused by the front (malformed, too large, too slow) `refused`;
 * - `epic_events_db_pool_connections{state="in_use"|"idle"}`,
 *   `epic_events_db_pool_waiting`, `epic_events_db_pool_size`: PostgreSQL,
 *   its connections (statements queued on a busy one are waiting); SQLite,
 *   its one connection;
 * - `epic_events_login_failures_total{reason}`: refused logins (wrong
 *   credentials, a locked email, a locked client address) and
 *   `epic_events_login_locked_total{scope}` for the locked ones;
 * - `epic_events_backups`, `epic_events_backup_age_seconds` and
 *   `epic_events_backup_last_timestamp_seconds`: the backup folder's files
 *   (`EPIC_EVENTS_BACKUP_DIR`, else `<data dir>/backups`), read at each
 *   scrape; with no backup there, 0, +Inf and 0;
 * - `epic_events_build_info{version,deno,backend}` 1, and
 *   `epic_events_start_time_seconds`.
 * @module
 */
import type { PoolStats } from "../db/database.ts";
import type { LoginRefusal, Reporter } from "../domain/reporting.ts";
import type { AccessEntry, ServerLog } from "./server.ts";

/** Latency buckets, in seconds: 2.5 ms to 10 s. */
const BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A backup file's name (`epic-events-<UTC time>.jsonl.gz`, docs/backups.md). */
const BACKUP_FILE = /^epic-events-.*\.jsonl\.gz$/;

/** What the metrics are about. */
export interface MetricsOptions {
  hostname: string;
  port: number;
  /** The program's version (`build_info`). */
  version: string;
  backend: "sqlite" | "postgres";
  /** The database pool's state, read at each scrape. */
  pool?: () => PoolStats;
  /** The backup folder, whose newest file's age is reported (none: no backup metrics). */
  backupDir?: string;
}

/** A running metrics listener, and the hooks that feed it. */
export interface Metrics {
  /** `http://host:port/metrics`, with the port actually bound. */
  url: string;
  /** `log`, which also counts every request it is told of. */
  observing(log: ServerLog): ServerLog;
  /** `reporter`, which also counts refused logins. */
  counting(reporter: Reporter): Reporter;
  shutdown(): Promise<void>;
}

/** The backups of `dir`: how many, and the newest one's modification time (ms); undefined when the folder cannot be read. */
async function backupsOf(dir: string): Promise<{ count: number; newest: number | undefined } | undefined> {
  let count = 0;
  let newest: number | undefined;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !BACKUP_FILE.test(entry.name)) continue;
      count++;
      const mtime = (await Deno.stat(`${dir}/${entry.name}`).catch(() => undefined))?.mtime?.getTime();
      if (mtime !== undefined && (newest === undefined || mtime > newest)) newest = mtime;
    }
  } catch {
    return undefined;
  }
  return { count, newest };
}

/**
 * prom-client is CommonJS: Deno gives its exports as named ones too, but the
 * bundle's chunk for it exports `module.exports` as its default only.
 */
function commonJs<M extends object>(mod: M): M {
  const exports = (mod as { default?: unknown }).default;
  return exports !== null && typeof exports === "object" ? exports as M : mod;
}

/**
 * Starts the metrics listener; resolves once it is bound (rejects with the
 * listen error, `AddrInUse`…).
 */
export async function startMetrics(options: MetricsOptions): Promise<Metrics> {
  const prom = commonJs(await import("prom-client"));
  const registry = new prom.Registry();
  const registers = [registry];

  const requests = new prom.Counter({
    name: "epic_events_http_requests_total",
    help: "HTTP requests answered, by method, route template and status.",
    labelNames: ["method", "route", "status"] as const,
    registers,
  });
  const duration = new prom.Histogram({
    name: "epic_events_http_request_duration_seconds",
    help: "Time from a request's arrival to its answer (a streamed list: its last row), by method and route template.",
    labelNames: ["method", "route"] as const,
    buckets: BUCKETS,
    registers,
  });
  const failures = new prom.Counter({
    name: "epic_events_login_failures_total",
    help: "Logins refused, by reason: credentials, email_locked, address_locked.",
    labelNames: ["reason"] as const,
    registers,
  });
  const locked = new prom.Counter({
    name: "epic_events_login_locked_total",
    help: "Logins refused because the email or the client address was locked by the login throttle.",
    labelNames: ["scope"] as const,
    registers,
  });
  for (const reason of ["credentials", "email_locked", "address_locked"]) failures.inc({ reason }, 0);
  for (const scope of ["email", "address"]) locked.inc({ scope }, 0);

  const pool = options.pool;
  if (pool) {
    new prom.Gauge({
      name: "epic_events_db_pool_size",
      help: "Connections the database pool may hold (SQLite: 1).",
      registers,
      collect() {
        this.set(pool().size);
      },
    });
    new prom.Gauge({
      name: "epic_events_db_pool_connections",
      help: "Places of the database pool, by state: in_use, idle (free to lend now).",
      labelNames: ["state"] as const,
      registers,
      collect() {
        const stats = pool();
        this.set({ state: "in_use" }, stats.inUse);
        this.set({ state: "idle" }, stats.idle);
      },
    });
    new prom.Gauge({
      name: "epic_events_db_pool_waiting",
      help: "Operations waiting for a place in the database pool (SQLite: transactions queued).",
      registers,
      collect() {
        this.set(pool().waiting);
      },
    });
  }

  const backupDir = options.backupDir;
  if (backupDir) {
    // Read once per scrape by the first of the three; the other two use what it read.
    let read: Promise<Awaited<ReturnType<typeof backupsOf>>> | undefined;
    const backups = () => (read ??= backupsOf(backupDir).finally(() => setTimeout(() => (read = undefined), 0)));
    new prom.Gauge({
      name: "epic_events_backups",
      help: "Backup files in the backup folder (0 when it does not exist).",
      registers,
      async collect() {
        this.set((await backups())?.count ?? 0);
      },
    });
    new prom.Gauge({
      name: "epic_events_backup_last_timestamp_seconds",
      help: "Modification time of the newest backup file, in seconds since the epoch (0 when there is none).",
      registers,
      async collect() {
        this.set(((await backups())?.newest ?? 0) / 1000);
      },
    });
    new prom.Gauge({
      name: "epic_events_backup_age_seconds",
      help: "Seconds since the newest backup file was written (+Inf when there is none).",
      registers,
      async collect() {
        const newest = (await backups())?.newest;
        this.set(newest === undefined ? Infinity : Math.max(0, (Date.now() - newest) / 1000));
      },
    });
  }

  new prom.Gauge({
    name: "epic_events_build_info",
    help: "The program's version, Deno's and the database backend; always 1.",
    labelNames: ["version", "deno", "backend"] as const,
    registers,
  }).set({ version: options.version, deno: Deno.version.deno, backend: options.backend }, 1);
  new prom.Gauge({
    name: "epic_events_start_time_seconds",
    help: "When this server process started, in seconds since the epoch.",
    registers,
  }).set(Math.round(Date.now() - performance.now()) / 1000);

  const observe = (entry: AccessEntry) => {
    const route = entry.route ?? "unmatched";
    const method = entry.method;
    requests.inc({ method, route, status: String(entry.status) });
    duration.observe({ method, route }, entry.durationMs / 1000);
  };

  const notFound = () =>
    new Response(JSON.stringify({ error: { code: "not_found", message: "Only /metrics is served here." } }) + "\n", {
      status: 404,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    });
  const { promise: bound, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    onListen: (address) => resolve(address as Deno.NetAddr),
    onError: () => new Response(null, { status: 500 }),
  }, async (request) => {
    const path = new URL(request.url).pathname;
    if (path !== "/metrics") return notFound();
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
    }
    return new Response(await registry.metrics(), {
      headers: { "content-type": registry.contentType, "cache-control": "no-store" },
    });
  });
  const address = await Promise.race([bound, server.finished.then(() => undefined)]);
  // i18n-ignore: an operator's start-up failure of `serve --metrics-listen`, as its TLS ones
  if (!address) throw new Error("the metrics listener stopped before it was bound");
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;

  return {
    url: `http://${host}:${address.port}/metrics`,
    observing: (log) => ({
      request(entry) {
        try {
          observe(entry);
        } catch {
          // Metrics never fail a request.
        }
        log.request(entry);
      },
      unexpected: (error, context) => log.unexpected(error, context),
    }),
    counting: (reporter) => ({
      businessEvent: (event) => reporter.businessEvent(event),
      loginRefused(reason: LoginRefusal) {
        try {
          failures.inc({ reason });
          if (reason !== "credentials") locked.inc({ scope: reason === "email_locked" ? "email" : "address" });
        } catch {
          // as above
        }
        reporter.loginRefused?.(reason);
      },
    }),
    shutdown: () => server.shutdown(),
  };
}
