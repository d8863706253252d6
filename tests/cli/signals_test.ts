/**
 * Issue 8, point 12: Ctrl-C at any prompt prints "Cancelled." and exits 130,
 * is not reported to Sentry and not logged as an error; SIGINT or SIGTERM
 * during a running command ends it cleanly: the open transaction is rolled
 * back, the connection closed, nothing is written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type Backend, backendTest } from "../support/backends.ts";
import { ok, type Person, setupCrew } from "../support/fixtures.ts";
import { startInTerminal } from "../support/pty.ts";
import { startCli, waitUntil } from "../support/process.ts";
import { startFakeSentry } from "../observability/fake_sentry.ts";

const CLIENT = [
  "client",
  "create",
  "--full-name",
  "Kim Doe",
  "--email",
  "kim@client.test",
  "--phone",
  "+33 1 23 45 67 89",
  "--company-name",
  "Kim & Co",
];

async function clientCount(b: Backend): Promise<number> {
  const db = await b.db();
  const [{ n }] = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM clients");
  return Number(n);
}

async function pgAdmin(url: string) {
  const { default: postgres } = await import("postgres");
  return postgres(url, { max: 2, onnotice: () => {} });
}

/**
 * Starts `client create` as `sales` while the test holds a lock that makes it
 * wait inside its write; returns once it is waiting, with a way to release.
 */
async function startBlockedWrite(b: Backend, sales: Person, args: string[] = CLIENT): Promise<{
  child: ReturnType<typeof startCli>;
  backendsLeft(): Promise<number>;
  release(): Promise<void>;
}> {
  if (b.name === "postgres") {
    const app = `epic-signal-${crypto.randomUUID().slice(0, 8)}`;
    const url = new URL(b.url);
    url.searchParams.set("application_name", app);
    const admin = await pgAdmin(b.url);
    const holder = await admin.reserve();
    // The client row is inserted, then its audit row waits for this lock:
    // the child is inside an open transaction that has written.
    await holder.unsafe("BEGIN");
    await holder.unsafe("LOCK TABLE audit_log IN EXCLUSIVE MODE");
    const child = startCli(args, { env: { ...sales.env, DATABASE_URL: url.toString() }, cwd: b.dir });
    const backends = async (where = "") =>
      Number(
        (await admin.unsafe(
          `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = $1 ${where}`,
          [app],
        ))[0].n,
      );
    await waitUntil("the command waits for the lock", async () => await backends("AND wait_event_type = 'Lock'") > 0);
    return {
      child,
      backendsLeft: () => backends(),
      async release() {
        await holder.unsafe("ROLLBACK");
        holder.release();
        await admin.end();
      },
    };
  }
  // SQLite: another process holds the write lock; the command waits for it.
  const path = new URL(b.url.replace(/^sqlite:/, "file:")).pathname;
  const other = new DatabaseSync(path);
  other.exec("BEGIN IMMEDIATE");
  const child = startCli(args, { env: sales.env, cwd: b.dir });
  // Waiting = the child has the database file open (Linux's /proc shows it).
  await waitUntil("the command has the database open", () => {
    try {
      return [...Deno.readDirSync(`/proc/${child.pid}/fd`)].some((fd) => {
        try {
          return Deno.readLinkSync(`/proc/${child.pid}/fd/${fd.name}`) === path;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
  return {
    child,
    backendsLeft: () => Promise.resolve(0),
    release() {
      if (other.isTransaction) other.exec("ROLLBACK");
      other.close();
      return Promise.resolve();
    },
  };
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  backendTest(`${signal} during a write: "Cancelled.", exit ${code}, rolled back, connection closed`, async (b) => {
    const { sales } = await setupCrew(b);
    const blocked = await startBlockedWrite(b, sales);
    let released = false;
    try {
      blocked.child.kill(signal);
      const result = await blocked.child.result;
      assert.equal(result.code, code, result.stderr);
      assert.equal(result.stderr, "Cancelled.\n");
      assert.equal(result.stdout, "");
      // Before the lock is released: the child's transaction is already gone.
      await waitUntil("the child's connection is closed", async () => await blocked.backendsLeft() === 0);
      await blocked.release();
      released = true;
      assert.equal(await clientCount(b), 0, "nothing written");
    } finally {
      if (!released) await blocked.release();
    }
    // The database is usable at once: no lock or transaction left behind.
    await ok(sales.cli(CLIENT));
    assert.equal(await clientCount(b), 1);
    // The CLI's own database connection (in server mode the server holds it); /proc and POSIX signals.
  }, { remote: false, ignore: Deno.build.os !== "linux" });
}

backendTest("SIGINT during a write with --json: the cancellation is one JSON error object", async (b) => {
  const { sales } = await setupCrew(b);
  const blocked = await startBlockedWrite(b, sales, ["--json", ...CLIENT]);
  try {
    blocked.child.kill("SIGINT");
    const result = await blocked.child.result;
    assert.equal(result.code, 130, result.stderr);
    assert.equal(result.stdout, "");
    assert.deepEqual(JSON.parse(result.stderr), { error: { code: "cancelled", message: "Cancelled." } });
  } finally {
    await blocked.release();
  }
  assert.equal(await clientCount(b), 0);
}, { remote: false, ignore: Deno.build.os !== "linux" }); // the CLI's own connection; POSIX signals

backendTest("Ctrl-C at a prompt: 'Cancelled.', exit 130, not sent to Sentry, logged at INFO", async (b) => {
  const sentry = startFakeSentry();
  try {
    const { manager, sales } = await setupCrew(b);
    const created = await ok<{ id: number }>(
      manager.cli([...CLIENT, "--sales-contact-id", String(sales.id), "--json"]),
    );
    const logDir = join(b.dir, "pty-logs");
    const env = { ...manager.env, SENTRY_DSN: sentry.dsn, EPIC_EVENTS_LOG_DIR: logDir };
    const cases: Array<{ args: string[]; prompt: RegExp; before?: string }> = [
      { args: ["login"], prompt: /Email/ },
      { args: ["login", "--email", manager.email], prompt: /Password/, before: "half a pass" },
      { args: ["client", "delete", String(created.id)], prompt: /Delete client/ },
      { args: ["client", "create"], prompt: /Full name/, before: "Kim" },
    ];
    for (const { args, prompt, before } of cases) {
      const term = await startInTerminal(args, env, b.dir);
      try {
        await term.waitFor(prompt);
        if (before) await term.type(before);
        await term.press("C-c");
        assert.equal(await term.exitCode(), 130, `${args.join(" ")}:\n${await term.screen()}`);
        const screen = await term.screen();
        assert.match(screen, /^Cancelled\.$/m, screen);
        assert.doesNotMatch(screen, /error|Error|\bat .*:\d+/, screen);
      } finally {
        await term.close();
      }
    }
    assert.deepEqual(sentry.events(), [], "nothing reported to Sentry");
    const info = Deno.readTextFileSync(join(logDir, "info.log")).trim().split("\n");
    assert.equal(info.filter((l) => /outcome=cancelled exit_code=130/.test(l)).length, cases.length, info.join("\n"));
    for (const line of info) assert.match(line, / \| INFO \| /, "not logged as an error or warning");
    assert.equal(Deno.readTextFileSync(join(logDir, "error.log")), "", "nothing in error.log");
    // The client whose deletion was cancelled is still there.
    await ok(manager.cli(["client", "show", String(created.id)]));
  } finally {
    await sentry.close();
  }
});
