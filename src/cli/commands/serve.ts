/**
 * `epic-events serve [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE] [--metrics-listen HOST:PORT]`:
 * the CRM as a JSON API for collaborators in server mode. Run where
 * `DATABASE_URL` and `SECRET_KEY` are; it refuses to start (exit 6) while
 * migrations are pending, prints `listening on http(s)://HOST:PORT` once
 * bound, and on SIGTERM or SIGINT stops accepting connections, lets the
 * requests in flight finish (at most 10 s) and closes the database pool.
 * With `--metrics-listen`, `/metrics` (Prometheus) is served on that second
 * address only (`src/server/metrics.ts`).
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { mergeDotEnv } from "../../config.ts";
import { InvalidInputError, UnavailableError } from "../../domain/errors.ts";
import type { RunningServer } from "../../server/server.ts";
import type { Runtime } from "../app/runtime.ts";
import { VERSION } from "../app/version.ts";
import { t } from "../../i18n/mod.ts";
import { examplesOf } from "../verbs/verb.ts";

/** Address served when neither `--listen` nor `EPIC_EVENTS_LISTEN` says otherwise. */
export const DEFAULT_LISTEN = "127.0.0.1:8080";
/** Longest wait for the requests in flight at shutdown. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** Default time limit of one request (`EPIC_EVENTS_REQUEST_TIMEOUT`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

/**
 * Reads `HOST:PORT` (`[::1]:8080` for IPv6; port 0 picks a free one).
 *
 * @throws {InvalidInputError} naming `source`
 */
export function parseListen(value: string, source: string): { hostname: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new InvalidInputError(t("cli.serve.listen_invalid", { source }), source);
  }
  return { hostname: match[1] ?? match[2], port };
}

/** Whether two addresses are the same socket (`localhost` and `127.0.0.1` are told apart: a guard, not a resolver). */
function sameAddress(a: { hostname: string; port: number }, b: { hostname: string; port: number }): boolean {
  const host = (h: string) => h.toLowerCase().replace(/^localhost$/, "127.0.0.1");
  return a.port === b.port && host(a.hostname) === host(b.hostname);
}

/** Whether `error` says the address itself cannot be listened on (taken, not ours, not here). */
function isAddressError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  const name = (error as { name?: unknown }).name;
  return (typeof code === "string" && /^(EADDRINUSE|EACCES|EADDRNOTAVAIL|EPERM)$/.test(code)) ||
    (typeof name === "string" && /^(AddrInUse|PermissionDenied|AddrNotAvailable|NotCapable)$/.test(name));
}

/** The error of an address that cannot be listened on: exit 7, naming where the address came from when it is the address's fault. */
function listenError(error: unknown, address: string, source: string): Error {
  if (isAddressError(error)) {
    return new UnavailableError(t("cli.serve.cannot_listen", { address, why: (error as Error).message }), {
      field: source,
    });
  }
  return new UnavailableError(t("cli.serve.cannot_listen", { address, why: (error as Error).message }), {
    cause: error,
  });
}

function readPem(file: string, flag: string): string {
  try {
    return Deno.readTextFileSync(file);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? t("cli.file.missing") : (error as Error).message;
    throw new InvalidInputError(t("cli.file.unreadable", { what: flag, file, why }), flag);
  }
}

function seconds(value: string | undefined, name: string, fallbackMs: number): number {
  if (value === undefined || value.trim() === "") return fallbackMs;
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) < 1 || Number(value) > 3600) {
    throw new InvalidInputError(t("cli.serve.seconds", { name }), name);
  }
  return Number(value) * 1000;
}

/** Resolves on the first SIGTERM or SIGINT. */
function stopSignal(): { stopped: Promise<string>; dispose(): void } {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGTERM", "SIGINT"];
  const listeners: Array<[Deno.Signal, () => void]> = [];
  const stopped = new Promise<string>((resolve) => {
    for (const signal of signals) {
      const listener = () => resolve(signal);
      Deno.addSignalListener(signal, listener);
      listeners.push([signal, listener]);
    }
  });
  return {
    stopped,
    dispose: () => {
      for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
    },
  };
}

/** Registers `serve`. */
export function registerServe(program: Command, rt: Runtime): void {
  program.command("serve")
    .description(t("cli.serve.summary"))
    .option("--listen <host:port>", t("cli.serve.listen", { listen: DEFAULT_LISTEN }))
    .option("--tls-cert <file>", t("cli.serve.tls_cert"))
    .option("--tls-key <file>", t("cli.serve.tls_key"))
    .option("--metrics-listen <host:port>", t("ops.serve.metricsListen"))
    .addHelpText(
      "after",
      [
        "",
        t("cli.help.examples"),
        ...examplesOf({ examples: "cli.serve.examples" }).map((e) => `  $ epic-events ${e}`),
        "",
        t("cli.help.environment"),
        t("cli.serve.environment"),
        "",
        t("cli.serve.more"),
      ].join("\n"),
    )
    .action(async (opts) => {
      const env = mergeDotEnv(rt.io.env, rt.io.cwd);
      const listenFrom = opts.listen !== undefined ? "--listen" : "EPIC_EVENTS_LISTEN";
      const listen = parseListen(opts.listen ?? (env.EPIC_EVENTS_LISTEN?.trim() || DEFAULT_LISTEN), listenFrom);
      const metricsFrom = opts.metricsListen !== undefined ? "--metrics-listen" : "EPIC_EVENTS_METRICS_LISTEN";
      const metricsText = opts.metricsListen ?? (env.EPIC_EVENTS_METRICS_LISTEN?.trim() || undefined);
      const metricsListen = metricsText === undefined ? undefined : parseListen(metricsText, metricsFrom);
      if (metricsListen && metricsListen.port !== 0 && sameAddress(metricsListen, listen)) {
        throw new InvalidInputError(
          t("cli.serve.metrics_same_address", { flag: metricsFrom, api: listenFrom }),
          metricsFrom,
        );
      }
      const certFile = opts.tlsCert ?? (env.EPIC_EVENTS_TLS_CERT?.trim() || undefined);
      const keyFile = opts.tlsKey ?? (env.EPIC_EVENTS_TLS_KEY?.trim() || undefined);
      if ((certFile === undefined) !== (keyFile === undefined)) {
        const missing = certFile === undefined ? "--tls-cert" : "--tls-key";
        throw new InvalidInputError(t("cli.serve.tls_pair", { missing }), missing);
      }
      const tls = certFile && keyFile
        ? { cert: readPem(certFile, "--tls-cert"), key: readPem(keyFile, "--tls-key") }
        : undefined;
      const requestTimeoutMs = seconds(
        env.EPIC_EVENTS_REQUEST_TIMEOUT,
        "EPIC_EVENTS_REQUEST_TIMEOUT",
        DEFAULT_REQUEST_TIMEOUT_MS,
      );
      const trustedProxy = env.EPIC_EVENTS_TRUSTED_PROXY?.trim() || undefined;
      // Refuses pending or edited migrations (exit 6) and a missing key (exit 2) before binding.
      const db = await rt.database();
      const tokens = rt.tokenSettings();
      const config = rt.config();
      // The server's modules are loaded only by `serve`, never by the other commands.
      const { startServer } = await import("../../server/server.ts");
      const { serverLog } = await import("../../server/observe.ts");
      let log = await serverLog({ sentryDsn: config.sentryDsn });
      let reporter = rt.reporter;
      let metrics: import("../../server/metrics.ts").Metrics | undefined;
      if (metricsListen) {
        const { startMetrics } = await import("../../server/metrics.ts");
        try {
          metrics = await startMetrics({
            ...metricsListen,
            version: VERSION,
            backend: db.dialect,
            pool: db.poolStats?.bind(db),
            backupDir: config.backupDir,
          });
        } catch (error) {
          throw listenError(error, `${metricsListen.hostname}:${metricsListen.port}`, metricsFrom);
        }
        log = metrics.observing(log);
        reporter = metrics.counting(reporter);
      }
      const signal = stopSignal();
      rt.handlesInterrupt = true;
      let server: RunningServer;
      try {
        server = await startServer({
          ...listen,
          tls,
          log,
          requestTimeoutMs,
          trustedProxy,
          context: {
            db,
            tokens,
            bcryptRounds: config.bcryptRounds,
            reporter,
            timeZone: config.timeZone,
          },
        });
      } catch (error) {
        signal.dispose();
        await metrics?.shutdown();
        const address = `${listen.hostname}:${listen.port}`;
        if (tls && !isAddressError(error) && /certificate|key|pem|tls/i.test((error as Error).message)) {
          throw new InvalidInputError(
            t("cli.serve.tls_unusable", { why: (error as Error).message }),
            "--tls-cert",
          );
        }
        throw listenError(error, address, listenFrom);
      }
      // i18n-ignore: the line scripts and supervisors wait for (machine output)
      rt.io.writeOut(`listening on ${server.url}\n`);
      // i18n-ignore: the same, for the metrics listener (machine output)
      if (metrics) rt.io.writeOut(`metrics on ${metrics.url}\n`);
      try {
        await signal.stopped;
      } finally {
        signal.dispose();
      }
      // The pool is closed by the run once this returns.
      await server.shutdown(SHUTDOWN_GRACE_MS);
      await metrics?.shutdown();
    });
}
