import assert from "node:assert/strict";
import { backendTest, TEST_SECRET_KEY } from "../support/backends.ts";
import { addPerson, ok, PASSWORD, setupCrew } from "../support/fixtures.ts";
import { spawnCli } from "../support/cli.ts";
import { closedPort, startFakeSentry } from "../observability/fake_sentry.ts";

function actionsOf(events: { tags?: Record<string, string> }[]): string[] {
  return events.map((e) => e.tags?.action ?? "").filter((a) => a !== "").sort();
}

backendTest("Sentry gets user create/update/delete and contract signature events, never a secret", async (b) => {
  const crew = await setupCrew(b);
  const sentry = startFakeSentry();
  try {
    const env = { SENTRY_DSN: sentry.dsn, SENTRY_ENVIRONMENT: "test" };
    const as = (p: typeof crew.manager) => (args: string[], stdin?: string) => p.cli(args, { env, stdin });
    const manager = as(crew.manager);
    const sales = as(crew.sales);
    const created = await ok<{ id: number }>(manager(
      [
        "user",
        "create",
        "--first-name",
        "Nina",
        "--last-name",
        "New",
        "--email",
        "nina@epic.test",
        "--role",
        "SUPPORT",
        "--password-stdin",
        "--json",
      ],
      PASSWORD,
    ));
    await ok(
      manager(["user", "update", String(created.id), "--last-name", "Renamed", "--password-stdin"], "new password 123"),
    );
    await ok(manager(["user", "delete", String(created.id), "--yes"]));
    const client = await ok<{ id: number }>(sales([
      "client",
      "create",
      "--full-name",
      "Kevin Casey",
      "--email",
      "kevin@startup.io",
      "--phone",
      "+678 123 456 78",
      "--company-name",
      "Cool Startup LLC",
      "--json",
    ]));
    const contract = await ok<{ id: number }>(
      sales(["contract", "create", "--client", String(client.id), "--total", "10", "--json"]),
    );
    await ok(sales(["contract", "sign", String(contract.id)]));
    await ok(sales(["contract", "sign", String(contract.id)])); // already signed: no second event

    // Expected outcomes are not exceptions: nothing is sent for them.
    assert.equal((await as(crew.support)(["user", "delete", String(crew.sales.id), "--yes"])).code, 4);
    assert.equal((await manager(["client", "show", "9999"])).code, 5);
    assert.equal((await manager(["contract", "create", "--client", String(client.id), "--total", "-5"])).code, 2);
    assert.equal((await manager(["user", "delete", String(crew.sales.id), "--yes"])).code, 6);

    await sentry.waitFor((envs) => actionsOf(envs.flatMap((e) => e.items.map((i) => i.payload as never))).length >= 4);
    const events = sentry.events();
    assert.deepEqual(actionsOf(events), ["contract.signed", "user.created", "user.deleted", "user.updated"]);
    assert.ok(events.every((e) => e.exception === undefined), "no exception for expected outcomes");
    const updated = events.find((e) => e.tags?.action === "user.updated")!;
    assert.equal(updated.extra?.actor_id, crew.manager.id);
    assert.equal(updated.extra?.entity_id, created.id);
    assert.deepEqual([...(updated.extra?.changed_fields as string[])].sort(), ["last_name", "password"]);
    const raw = sentry.envelopes.map((e) => e.raw).join("\n");
    for (const secret of [PASSWORD, "new password 123", TEST_SECRET_KEY, "$2a$", "$2b$", "eyJ"]) {
      assert.ok(!raw.includes(secret), `envelope leaks ${secret}`);
    }
  } finally {
    await sentry.close();
  }
}, { remote: false }); // in server mode these events are the server's (tests/server)

backendTest("an unexpected failure reaches Sentry with the command name, not the arguments", async (b) => {
  const crew = await setupCrew(b);
  const sentry = startFakeSentry();
  try {
    // The table changed under the program's feet: an unexpected failure. (An
    // unreachable or unopenable database is exit 7 `unavailable` since issue 8.)
    await (await b.db()).execute("ALTER TABLE clients RENAME COLUMN company_name TO company");
    const result = await crew.manager.cli(["client", "list", "--search", "secret-search-term"], {
      env: { SENTRY_DSN: sentry.dsn },
    });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split("\n").length, 1, "one line on stderr");
    assert.match(result.stderr, /error\.log/);
    assert.ok(!/\n\s+at /.test(result.stderr), "no stack trace without --debug");
    await sentry.waitFor((envs) => envs.length > 0);
    const [event] = sentry.events();
    assert.equal(event.tags?.command, "client list");
    assert.ok(event.exception?.values?.length);
    const raw = sentry.envelopes.map((e) => e.raw).join("\n");
    assert.ok(!raw.includes("secret-search-term"), "argument values are not sent");
    const errorLog = await Deno.readTextFile(`${b.dir}/logs/error.log`);
    assert.match(errorLog, /unexpected failure/);

    const debug = await crew.manager.cli(["client", "list", "--debug"]);
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /\n\s+at /, "--debug shows the stack");
  } finally {
    await sentry.close();
  }
}, { remote: false }); // in server mode these events are the server's (tests/server)

backendTest("an unreachable Sentry host never makes a command hang or fail", async (b) => {
  const crew = await setupCrew(b);
  await addPerson(crew.manager, b, { first: "Z", last: "Z", email: "z@epic.test", role: "SALES" });
  const started = performance.now();
  const result = await spawnCli(
    [
      "user",
      "create",
      "--first-name",
      "Y",
      "--last-name",
      "Y",
      "--email",
      "y@epic.test",
      "--role",
      "SALES",
      "--password-stdin",
    ],
    { env: { ...crew.manager.env, SENTRY_DSN: `http://key@127.0.0.1:${closedPort()}/1` }, stdin: PASSWORD, cwd: b.dir },
  );
  const seconds = (performance.now() - started) / 1000;
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  assert.ok(seconds < 8, `took ${seconds.toFixed(1)} s`);
});

backendTest("each command writes one log line: time, user, command, outcome, duration", async (b) => {
  const crew = await setupCrew(b);
  await ok(crew.sales.cli(["client", "list", "--json"]));
  assert.equal((await crew.sales.cli(["user", "delete", String(crew.support.id), "--yes"])).code, 4);
  const log = await Deno.readTextFile(`${b.dir}/logs/info.log`);
  const lines = log.trim().split("\n");
  const list = lines.find((l) => l.includes('command="client list"'))!;
  assert.match(list, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \| INFO \| /);
  assert.match(list, new RegExp(`user_id=${crew.sales.id} `));
  assert.match(list, /outcome=ok exit_code=0 duration_ms=\d+/);
  assert.ok(lines.some((l) => l.includes('command="user delete"') && l.includes("outcome=permission_denied")));
  assert.ok(!log.includes(PASSWORD));
});
