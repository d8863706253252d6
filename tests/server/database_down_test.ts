/**
 * Issue 16, point 5: with the database down, every request is answered 503
 * within `DATABASE_CONNECT_TIMEOUT` (+ 1 s), however many arrive at once —
 * not one connection attempt after another — and the server is back as soon
 * as the database is. The database goes down behind a loopback proxy that
 * cuts its connections and then accepts new ones without ever answering.
 */
import assert from "node:assert/strict";
import { initManager } from "../support/fixtures.ts";
import { api, type ApiAnswer } from "../support/http.ts";
import { startDbProxy } from "../support/db_proxy.ts";
import { remoteTest, startServe } from "../support/remote.ts";

/** `DATABASE_CONNECT_TIMEOUT` of the server under test, in seconds. */
const CONNECT_TIMEOUT = 4;
/** The bound, with a generous margin for a loaded machine (the old program took twice the timeout). */
const BOUND_MS = (CONNECT_TIMEOUT + 1) * 1000 + 2_000;

remoteTest("database down: 8 requests at once are each answered 503 within DATABASE_CONNECT_TIMEOUT", async (b) => {
  const manager = await initManager(b);
  const proxy = startDbProxy(b.serverEnv.DATABASE_URL);
  try {
    const server = await startServe(
      { ...b.serverEnv, DATABASE_URL: proxy.url, DATABASE_CONNECT_TIMEOUT: String(CONNECT_TIMEOUT) },
      { cwd: b.dir },
    );
    b.servers.push(server);
    const token = (await api(server.url, "POST", "/api/v1/sessions", {
      body: { email: manager.email, password: manager.password },
    })).json<{ token: string }>().token;
    assert.ok(token, "logged in through the proxy while the database is up");

    proxy.down();
    const timed = async (method: string, path: string, options: Parameters<typeof api>[3] = {}) => {
      const started = performance.now();
      const answer: ApiAnswer = await api(server.url, method, path, options);
      return { answer, ms: performance.now() - started, what: `${method} ${path}` };
    };
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => timed("GET", "/api/v1/clients", { token })),
      timed("GET", "/readyz"),
      timed("POST", "/api/v1/sessions", { body: { email: manager.email, password: manager.password } }),
      timed("GET", "/api/v1/sessions/current", { token }),
    ]);
    for (const { answer, ms, what } of results) {
      assert.equal(answer.status, 503, `${what}: ${answer.text}`);
      assert.ok(ms < BOUND_MS, `${what} answered after ${Math.round(ms)} ms (bound ${BOUND_MS} ms)`);
    }
    const errors = results.map((r) => r.answer.json<{ error: { code: string; message: string } }>().error);
    assert.ok(errors.every((e) => e.code === "unavailable"), JSON.stringify(errors));
    // A request may find its connection cut ("Lost the connection …"); the others wait for a new one.
    const timedOut = errors.filter((e) =>
      e.message.includes(`no answer within ${CONNECT_TIMEOUT} s (DATABASE_CONNECT_TIMEOUT)`)
    );
    assert.ok(timedOut.length >= 4, JSON.stringify(errors, null, 1));

    // The database is back: so is the server, without a restart.
    proxy.up();
    let back: ApiAnswer | undefined;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      back = await api(server.url, "GET", "/api/v1/clients", { token });
      if (back.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(back?.status, 200, back?.text);
    // And its whole pool works: as many requests at once as before all succeed.
    const again = await Promise.all(
      Array.from({ length: 8 }, () => api(server.url, "GET", "/api/v1/clients", { token })),
    );
    assert.deepEqual(again.map((r) => r.status), Array(8).fill(200));
  } finally {
    proxy.close();
  }
});
