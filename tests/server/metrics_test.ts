/**
 * `serve --metrics-listen`: `/metrics` in the Prometheus text format on its
 * own listener, scraped from real `serve` processes on both backends. The
 * counters move with real requests (each under its route template, never the
 * path sent), refused logins and locks are counted, the pool and the backup
 * folder are reported, and the API's listener never serves the metrics.
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { spawnCli } from "../support/cli.ts";
import { initManager, PASSWORD } from "../support/fixtures.ts";
import { api } from "../support/http.ts";
import { startServe } from "../support/remote.ts";
import { storedToken } from "../support/tokens.ts";

/** One sample of the text format: its name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (version 0.0.4), checking each line's syntax. */
function parseMetrics(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g)) {
      labels[pair[1]] = pair[2];
    }
    const value = match[3] === "+Inf" ? Infinity : Number(match[3]);
    assert.ok(!Number.isNaN(value), `not a number: ${line}`);
    samples.push({ name: match[1], labels, value });
  }
  return { samples, types };
}

/** The value of the sample `name` whose labels include `labels` (undefined when there is none). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function scrape(url: string): Promise<{ samples: Sample[]; types: Map<string, string> }> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  return parseMetrics(await response.text());
}

/** A port free now on loopback. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function login(base: string, email: string, password: string): Promise<number> {
  const response = await api(base, "POST", "/api/v1/sessions", { body: { email, password } });
  return response.status;
}

backendTest(
  "serve --metrics-listen: /metrics counts requests by route template, logins refused and locks, reports the pool, backups and version; the API port does not serve it",
  async (b) => {
    const manager = await initManager(b);
    const token = await storedToken(manager.env.EPIC_EVENTS_CONFIG_DIR);
    const backupDir = `${b.dir}/backups`;
    const port = freePort();
    const server = await startServe({ ...b.env, EPIC_EVENTS_BACKUP_DIR: backupDir }, {
      cwd: b.dir,
      args: ["--metrics-listen", `127.0.0.1:${port}`],
    });
    const metrics = `http://127.0.0.1:${port}/metrics`;
    try {
      const before = await scrape(metrics);
      assert.equal(before.types.get("epic_events_http_requests_total"), "counter");
      assert.equal(before.types.get("epic_events_http_request_duration_seconds"), "histogram");
      assert.equal(value(before.samples, "epic_events_login_failures_total", { reason: "credentials" }), 0);
      assert.equal(value(before.samples, "epic_events_backups"), 0);
      assert.equal(value(before.samples, "epic_events_backup_age_seconds"), Infinity, "no backup yet: infinitely old");
      assert.equal(value(before.samples, "epic_events_db_pool_size"), b.name === "sqlite" ? 1 : 10);
      assert.equal(value(before.samples, "epic_events_db_pool_connections", { state: "in_use" }), 0);
      assert.equal(value(before.samples, "epic_events_db_pool_waiting"), 0);
      const build = before.samples.find((s) => s.name === "epic_events_build_info");
      assert.deepEqual(build?.labels, { version: "0.1.0", deno: Deno.version.deno, backend: b.name });

      // Three failed logins (an unknown email), a list, a 404 of a known route, an unknown path.
      for (let i = 0; i < 3; i++) assert.equal(await login(server.url, "nobody@epic.test", "wrong password"), 401);
      const auth = { token };
      assert.equal((await api(server.url, "GET", "/api/v1/clients?limit=5", auth)).status, 200);
      assert.equal((await api(server.url, "GET", "/api/v1/clients/999999", auth)).status, 404);
      assert.equal((await api(server.url, "GET", "/api/v1/clients/999998", auth)).status, 404);
      assert.equal((await api(server.url, "GET", "/no/such/path/42")).status, 404);
      // The API's own port never serves the metrics.
      const onApi = await api(server.url, "GET", "/metrics");
      assert.equal(onApi.status, 404);
      assert.doesNotMatch(onApi.text, /epic_events_/);
      // Six wrong passwords for one email: five counted, the sixth refused by the lock.
      for (let i = 0; i < 6; i++) assert.equal(await login(server.url, manager.email, "wrong password"), 401);
      assert.equal(await login(server.url, manager.email, PASSWORD), 401, "locked: even the right password");
      // A backup in the folder.
      const backup = await b.cli(["backup", "create", "--dir", backupDir]);
      assert.equal(backup.code, 0, backup.stderr);

      const after = await scrape(metrics);
      const requests = (labels: Record<string, string>) =>
        value(after.samples, "epic_events_http_requests_total", labels);
      assert.equal(requests({ method: "POST", route: "/api/v1/sessions", status: "401" }), 3 + 6 + 1);
      assert.equal(requests({ method: "GET", route: "/api/v1/clients", status: "200" }), 1);
      assert.equal(requests({ method: "GET", route: "/api/v1/clients/{id}", status: "404" }), 2);
      assert.equal(requests({ method: "GET", route: "unmatched", status: "404" }), 2, "/no/such/path/42 and /metrics");
      assert.ok(
        after.samples.every((s) => !/999999|999998|no\/such/.test(s.labels.route ?? "")),
        "never a raw path as a label",
      );
      const histogram = (suffix: string, labels: Record<string, string>) =>
        value(after.samples, `epic_events_http_request_duration_seconds_${suffix}`, labels);
      assert.equal(histogram("count", { method: "GET", route: "/api/v1/clients/{id}" }), 2);
      assert.equal(histogram("bucket", { method: "GET", route: "/api/v1/clients/{id}", le: "+Inf" }), 2);
      assert.ok(histogram("sum", { method: "GET", route: "/api/v1/clients/{id}" })! >= 0);
      assert.equal(value(after.samples, "epic_events_login_failures_total", { reason: "credentials" }), 3 + 5);
      assert.equal(value(after.samples, "epic_events_login_failures_total", { reason: "email_locked" }), 2);
      assert.equal(value(after.samples, "epic_events_login_locked_total", { scope: "email" }), 2);
      assert.equal(value(after.samples, "epic_events_login_locked_total", { scope: "address" }), 0);
      assert.equal(value(after.samples, "epic_events_backups"), 1);
      const age = value(after.samples, "epic_events_backup_age_seconds")!;
      assert.ok(age >= 0 && age < 600, `backup age ${age}`);
      assert.ok(Math.abs(value(after.samples, "epic_events_backup_last_timestamp_seconds")! - Date.now() / 1000) < 600);

      // Only /metrics there.
      assert.equal(
        (await fetch(`http://127.0.0.1:${port}/`).then(async (r) => (await r.body?.cancel(), r))).status,
        404,
      );
    } finally {
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
    }
  },
  { remote: false },
);

backendTest(
  "serve --metrics-listen: a bad address is exit 2 naming the flag or variable; the API's own address is refused",
  async (b) => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [["--metrics-listen", "9464"], {}, /^error: --metrics-listen: expected HOST:PORT, e\.g\. 127\.0\.0\.1:8080/],
      [["--metrics-listen", "127.0.0.1:70000"], {}, /^error: --metrics-listen: expected HOST:PORT/],
      [[], { EPIC_EVENTS_METRICS_LISTEN: "nowhere" }, /^error: EPIC_EVENTS_METRICS_LISTEN: expected HOST:PORT/],
      [
        ["--listen", "127.0.0.1:18080", "--metrics-listen", "127.0.0.1:18080"],
        {},
        /^error: --metrics-listen: must differ from the API's address \(--listen\)/,
      ],
      [
        ["--metrics-listen", "localhost:18081"],
        { EPIC_EVENTS_LISTEN: "127.0.0.1:18081" },
        /^error: --metrics-listen: must differ from the API's address \(EPIC_EVENTS_LISTEN\)/,
      ],
    ];
    for (const [args, env, message] of cases) {
      const result = await spawnCli(["serve", ...args], { env: { ...b.env, ...env }, cwd: b.dir });
      assert.equal(result.code, 2, `${args.join(" ")} ${JSON.stringify(env)}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, "");
    }
    // An address in use: exit 7 naming the flag, and no API left listening.
    await initManager(b);
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (taken.addr as Deno.NetAddr).port;
      const result = await spawnCli(["serve", "--listen", "127.0.0.1:0", "--metrics-listen", `127.0.0.1:${port}`], {
        env: b.env,
        cwd: b.dir,
      });
      assert.equal(result.code, 7, result.stderr);
      assert.match(result.stderr, new RegExp(`^error: Cannot listen on 127\\.0\\.0\\.1:${port}: `));
      assert.equal(result.stdout, "");
    } finally {
      taken.close();
    }
  },
  { remote: false },
);
