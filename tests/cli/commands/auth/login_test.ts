import assert from "node:assert/strict";
import * as login from "../../../../src/cli/commands/auth/login.ts";
import { fakeCrm, parseArgs, testDeps } from "../../../support/commands.ts";
import { runCli } from "../../../support/cli.ts";
import { me, user } from "../../../support/records.ts";

const ADA = user({ id: 1, first_name: "Ada", last_name: "Lovelace", email: "ada@epic.test", role: "MANAGEMENT" });
const EXPIRES = "2027-01-02T00:00:00.000Z";

function loginCrm() {
  return fakeCrm({
    prepareLogin: () => Promise.resolve(),
    login: () => Promise.resolve({ user: ADA, expires_at: EXPIRES }),
  });
}

Deno.test("login: --email, --password-stdin and the format are read from the flags", async () => {
  assert.deepEqual(await parseArgs(login, ["--email", "ada@epic.test", "--password-stdin", "--json"]), {
    email: "ada@epic.test",
    passwordStdin: true,
    format: "json",
  });
  assert.deepEqual(await parseArgs(login, []), { email: undefined, passwordStdin: false, format: undefined });
});

Deno.test("login: says who is logged in on stderr; stdout stays empty", async () => {
  const crm = loginCrm();
  const deps = testDeps(crm, { stdin: "correct horse battery\n" });
  await login.run(await parseArgs(login, ["--email", "ada@epic.test", "--password-stdin"]), deps);
  assert.deepEqual(crm.calls.map((c) => c.method), ["prepareLogin", "login"]);
  assert.deepEqual(crm.calls[1].args, [{ email: "ada@epic.test", password: "correct horse battery" }]);
  assert.equal(deps.io.stdout, "");
  assert.equal(
    deps.io.stderr,
    "Logged in as Ada Lovelace (Management); the session expires at 2027-01-02 00:00 UTC.\n",
  );
});

Deno.test("login says when the session expires in local time (TZ), as whoami's table does", async () => {
  const deps = testDeps(loginCrm(), { stdin: "correct horse battery", timeZone: "Europe/Paris" });
  await login.run(await parseArgs(login, ["--email", "ada@epic.test", "--password-stdin"]), deps);
  assert.match(deps.io.stderr, /the session expires at 2027-01-02 01:00 (CET|GMT\+1)\.\n$/);
  // An unknown zone is refused before anything is asked or sent.
  const crm = loginCrm();
  const bad = testDeps(crm, { stdin: "correct horse battery", timeZone: "Mars/Olympus" });
  await assert.rejects(
    () => login.run({ email: "ada@epic.test", passwordStdin: true }, bad),
    (e: Error & { field?: string }) => e.field === "TZ",
  );
  assert.deepEqual(crm.calls, []);
});

/** Server mode as `login` sees it: where a login goes, and `--server` (recorded). */
function servers(where: string) {
  const at: Array<{ url: string; caCert?: string }> = [];
  return {
    at,
    servers: {
      current: () => undefined,
      where: () => where,
      at(url: string, options: { caCert?: string } = {}) {
        at.push({ url, ...options });
        return { crm: loginCrm(), where: url, remember: () => Promise.resolve() };
      },
    },
  };
}

Deno.test("on a terminal, login says where the password goes before asking for it; never off a terminal", async () => {
  const here = servers("the database postgres://epic:***@db.example:5432/crm (DATABASE_URL from /work/.env)");
  const deps = { ...testDeps(loginCrm(), { terminal: true, answers: ["ada@epic.test", "pw"] }), ...here };
  const asked: string[] = [];
  const password = deps.prompter.password;
  deps.prompter.password = (options) => {
    asked.push(deps.io.stderr);
    return password(options);
  };
  await login.run(await parseArgs(login, []), deps);
  assert.deepEqual(asked, [
    "Logging in to the database postgres://epic:***@db.example:5432/crm (DATABASE_URL from /work/.env) " +
    "as ada@epic.test.\n",
  ]);

  const remote = servers("unused");
  const there = { ...testDeps(loginCrm(), { terminal: true, answers: ["ada@epic.test", "pw"] }), ...remote };
  await login.run(await parseArgs(login, ["--server", "https://crm.example", "--ca-cert", "ca.pem"]), there);
  assert.match(there.io.stderr, /^Logging in to https:\/\/crm\.example as ada@epic\.test\.\nLogged in as /);
  assert.deepEqual(remote.at, [{ url: "https://crm.example", caCert: "ca.pem" }]);

  const piped = { ...testDeps(loginCrm(), { stdin: "pw" }), ...servers("anywhere") };
  await login.run(await parseArgs(login, ["--email", "ada@epic.test", "--password-stdin"]), piped);
  assert.doesNotMatch(piped.io.stderr, /Logging in to/);
});

Deno.test("login --ca-cert without --server: exit 2 naming --ca-cert, nothing asked", async () => {
  const crm = loginCrm();
  await assert.rejects(
    () => login.run({ email: "ada@epic.test", passwordStdin: true, caCert: "ca.pem" }, testDeps(crm)),
    (e: Error & { field?: string }) => e.field === "--ca-cert" && /goes with --server/.test(e.message),
  );
  assert.deepEqual(crm.calls, []);
});

Deno.test("login --json prints who is logged in (the whoami shape) and nothing on stderr", async () => {
  const deps = testDeps(loginCrm(), { stdin: "correct horse battery" });
  await login.run(await parseArgs(login, ["--email", "ada@epic.test", "--password-stdin", "--json"]), deps);
  assert.deepEqual(JSON.parse(deps.io.stdout), { ...me("MANAGEMENT"), email: "ada@epic.test" });
  assert.equal(deps.io.stderr, "");
});

Deno.test("login --format csv: the record as CSV on stdout, the human line on stderr", async () => {
  const deps = testDeps(loginCrm(), { stdin: "correct horse battery" });
  await login.run(await parseArgs(login, ["--email", "ada@epic.test", "--password-stdin", "--format", "csv"]), deps);
  assert.equal(
    deps.io.stdout,
    `ID,EMAIL,NAME,ROLE,EXPIRES AT\r\n1,ada@epic.test,Ada Lovelace,MANAGEMENT,${EXPIRES}\r\n`,
  );
  assert.match(deps.io.stderr, /^Logged in as Ada Lovelace/);
});

Deno.test("login on a terminal asks for the email, then the password", async () => {
  const crm = loginCrm();
  const deps = testDeps(crm, { terminal: true, answers: ["ada@epic.test", "correct horse battery"] });
  await login.run(await parseArgs(login, []), deps);
  assert.deepEqual(deps.prompter.asked, ["Email", "Password"]);
  assert.deepEqual(crm.calls[1].args, [{ email: "ada@epic.test", password: "correct horse battery" }]);
});

Deno.test("login without a terminal and without --email: exit 2 naming --email, after checking a login can be tried", async () => {
  const crm = loginCrm();
  await assert.rejects(
    () => login.run({ passwordStdin: true }, testDeps(crm, { stdin: "correct horse battery" })),
    (e: Error & { field?: string }) => e.message === "missing required option: --email" && e.field === "email",
  );
  assert.deepEqual(crm.calls.map((c) => c.method), ["prepareLogin"], "no login tried");
});

Deno.test("a --password flag, on any command: exit 2 pointing to --password-stdin; the value is never echoed", async () => {
  const secret = "hunter2-correct-horse";
  const env = { NO_COLOR: "1", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" };
  const cases = [
    ["login", "--email", "ada@epic.test", "--password", secret],
    ["login", `--password=${secret}`],
    ["login", "--password"],
    ["init", "--email", "ada@epic.test", "--password", secret],
    ["user", "create", "--password", secret],
    ["user", "update", "3", "--password", secret],
  ];
  for (const args of cases) {
    const human = await runCli(args, { env });
    assert.equal(human.code, 2, `${args.join(" ")}: ${human.stderr}`);
    assert.equal(human.stdout, "");
    assert.match(human.stderr, /^error: --password: .*use --password-stdin/);
    assert.equal(human.stderr.split("\n").length, 2, "one line");
    assert.ok(!human.stderr.includes(secret), "the password is not echoed");
    const json = await runCli(["--json", ...args], { env });
    assert.equal(json.code, 2);
    assert.deepEqual(
      { code: JSON.parse(json.stderr).error.code, field: JSON.parse(json.stderr).error.field },
      { code: "invalid_input", field: "password" },
    );
  }
  // Not a flag: the same word as a value is no password flag.
  const help = await runCli(["login", "--help"], { env });
  assert.doesNotMatch(help.stdout, /--password\b(?!-stdin)/, "the trap is not in the help");
});
