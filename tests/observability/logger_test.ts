import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setupLogging } from "../../src/observability/logger.ts";
import { escapeControl } from "../../src/observability/scrub.ts";

const LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \| (DEBUG|INFO|WARNING|ERROR) \| /;

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-events-logs-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function lines(path: string): string[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  assert.ok(text === "" || text.endsWith("\n"), "a file ends with a complete line");
  return text.split("\n").filter((l) => l !== "");
}

Deno.test("one line per record in info.log, errors with their stack in error.log", async () => {
  await withTempDir(async (dir) => {
    const logDir = join(dir, "state", "epic-events", "logs");
    const logging = await setupLogging({ logDir, level: "info" });
    assert.equal(logging.logDir, logDir);
    logging.commandLine({ userId: 3, command: "client create", outcome: "ok", exitCode: 0, durationMs: 41.6 });
    logging.commandLine({ userId: null, command: "login", outcome: "not_authenticated", exitCode: 3, durationMs: 5 });
    logging.info("user.created", { actor_id: 1, entity_id: 2, note: "two words" });
    const failure = new Error("database went away", { cause: new RangeError("socket closed") });
    logging.error("unexpected failure", failure, { command: "contract sign" });
    logging.commandLine({ userId: 3, command: "contract sign", outcome: "internal", exitCode: 1, durationMs: 12 });
    await logging.dispose();

    const info = lines(join(logDir, "info.log"));
    assert.equal(info.length, 5, info.join("\n"));
    for (const line of info) assert.match(line, LINE);
    assert.match(
      info[0],
      / \| INFO \| command user_id=3 command="client create" outcome=ok exit_code=0 duration_ms=42$/,
    );
    assert.match(info[1], / \| WARNING \| command user_id=- command=login outcome=not_authenticated exit_code=3 /);
    assert.match(info[2], / \| INFO \| user\.created actor_id=1 entity_id=2 note="two words"$/);
    assert.match(info[3], / \| ERROR \| unexpected failure command="contract sign" error="Error: database went away"$/);
    assert.match(info[4], / \| ERROR \| command user_id=3 command="contract sign" outcome=internal exit_code=1 /);

    const errors = lines(join(logDir, "error.log"));
    assert.equal(errors.length, 2, errors.join("\n"));
    for (const line of errors) assert.match(line, LINE);
    assert.match(
      errors[0],
      / \| ERROR \| unexpected failure command="contract sign" error="Error: database went away" stack="/,
    );
    assert.match(errors[0], /\\n {4}at /, "the stack is there, its newlines escaped");
    assert.match(errors[0], /Caused by: RangeError: socket closed/);
    assert.match(errors[1], /command user_id=3 command="contract sign" outcome=internal exit_code=1/);
    assert.ok(!errors.some((l) => l.includes("user.created")), "no info line in error.log");
  });
});

Deno.test("the log directory is private (0700) and so are the files it starts with (0600)", async () => {
  await withTempDir(async (dir) => {
    const logDir = join(dir, "logs");
    const logging = await setupLogging({ logDir, level: "info" });
    logging.info("hello");
    await logging.dispose();
    assert.equal(Deno.statSync(logDir).mode! & 0o777, 0o700);
    assert.equal(Deno.statSync(join(logDir, "info.log")).mode! & 0o777, 0o600);
    assert.equal(Deno.statSync(join(logDir, "error.log")).mode! & 0o777, 0o600);
  });
});

Deno.test("control characters in values are escaped: no forged line, no terminal escape", async () => {
  await withTempDir(async (dir) => {
    const logging = await setupLogging({ logDir: dir, level: "info" });
    const forged = "acme\n2026-01-01T00:00:00.000Z | ERROR | forged";
    logging.info("client.created", { full_name: forged, company: "\x1b[31mred\x1b[0m\r\t\u2028\u0085" });
    logging.info(`message with ${forged}`);
    logging.error("failed", new Error(`bad\n2026-01-01 | ERROR | forged`));
    logging.commandLine({ userId: 1, command: "client create\nforged", outcome: "ok", exitCode: 0, durationMs: 1 });
    await logging.dispose();

    const info = lines(join(dir, "info.log"));
    assert.equal(info.length, 4, info.join("\n"));
    for (const line of info) assert.match(line, LINE);
    assert.ok(info[0].includes('full_name="acme\\n2026-01-01T00:00:00.000Z | ERROR | forged"'), info[0]);
    assert.ok(info[0].includes('company="\\x1b[31mred\\x1b[0m\\r\\t\\u2028\\x85"'), info[0]);
    assert.ok(info[1].endsWith("| message with acme\\n2026-01-01T00:00:00.000Z | ERROR | forged"), info[1]);
    assert.ok(info[3].includes('command="client create\\nforged"'), info[3]);
    const raw = Deno.readTextFileSync(join(dir, "info.log")) + Deno.readTextFileSync(join(dir, "error.log"));
    assert.ok(!raw.includes("\x1b"), "no raw ESC written");
    assert.ok(!raw.includes("\r"), "no raw CR written");
    assert.ok(!raw.includes("\u2028"), "no raw line separator written");
    const errors = lines(join(dir, "error.log"));
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.ok(!errors.some((l) => l.startsWith("2026-01-01")), "no forged line");
  });
});

Deno.test("every control character escapeControl escapes, alone in a plain word, is written escaped and quoted", async () => {
  await withTempDir(async (dir) => {
    const logging = await setupLogging({ logDir: dir, level: "info" });
    const controls: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const ch = String.fromCharCode(code);
      if (escapeControl(ch) !== ch) controls.push(ch);
    }
    assert.ok(controls.length > 60, `${controls.length} control characters`);
    for (const ch of controls) logging.info("value", { v: `a${ch}b` });
    await logging.dispose();
    const info = lines(join(dir, "info.log"));
    assert.equal(info.length, controls.length, "one line per value: none split a line");
    info.forEach((line, i) => assert.ok(line.endsWith(` v="a${escapeControl(controls[i])}b"`), line));
  });
});

Deno.test("secrets in logged values are redacted", async () => {
  await withTempDir(async (dir) => {
    const logging = await setupLogging({ logDir: dir, level: "info" });
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnopqrstuvwxyz012345";
    const bcrypt = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
    logging.info("login", { email: "a@b.c", password: "hunter2-correct", token: jwt, user: { password_hash: bcrypt } });
    logging.error("connect failed", new Error("cannot reach postgres://crm:pgS3cret@db:5432/crm"), {
      env: `SECRET_KEY=supersecretkeyvalue0123456789abcdef`,
    });
    await logging.dispose();
    const raw = Deno.readTextFileSync(join(dir, "info.log")) + Deno.readTextFileSync(join(dir, "error.log"));
    for (const secret of ["hunter2-correct", jwt, bcrypt, "pgS3cret", "supersecretkeyvalue"]) {
      assert.ok(!raw.includes(secret), `secret leaked: ${secret}\n${raw}`);
    }
    assert.ok(raw.includes("email=a@b.c"));
    assert.ok(raw.includes("password=[redacted]"));
    assert.ok(raw.includes("postgres://crm:[redacted]@db:5432/crm"));
  });
});

Deno.test("rotation by size keeps at most maxFiles rotated files", async () => {
  await withTempDir(async (dir) => {
    const logging = await setupLogging({ logDir: dir, level: "info", maxBytes: 2000, maxFiles: 3 });
    for (let i = 0; i < 400; i++) {
      logging.info("client.updated", { i, padding: "x".repeat(40) });
    }
    await logging.dispose();

    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("info.log")).sort();
    assert.deepEqual(names, ["info.log", "info.log.1", "info.log.2", "info.log.3"]);
    for (const name of names) {
      const size = Deno.statSync(join(dir, name)).size;
      assert.ok(size <= 2000, `${name} is ${size} bytes`);
      for (const line of lines(join(dir, name))) assert.match(line, LINE);
    }
    // The newest lines are in info.log, older ones in .1, .2, .3; the oldest are gone.
    const last = lines(join(dir, "info.log")).at(-1)!;
    assert.match(last, / i=399 /);
    const oldest = lines(join(dir, "info.log.3"))[0];
    const oldestIndex = Number(/ i=(\d+) /.exec(oldest)![1]);
    assert.ok(oldestIndex > 0, "the first lines were rotated out");
    assert.ok(lines(join(dir, "info.log.1")).length > 0);
  });
});

Deno.test("rotation also happens across runs (the size of an existing file counts)", async () => {
  await withTempDir(async (dir) => {
    for (let run = 0; run < 40; run++) {
      const logging = await setupLogging({ logDir: dir, level: "info", maxBytes: 1000, maxFiles: 2 });
      logging.commandLine({ userId: run, command: "client list", outcome: "ok", exitCode: 0, durationMs: 3 });
      await logging.dispose();
    }
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("info.log")).sort();
    assert.deepEqual(names, ["info.log", "info.log.1", "info.log.2"]);
    for (const name of names) assert.ok(Deno.statSync(join(dir, name)).size <= 1000);
  });
});

Deno.test("LOG_LEVEL error: info.log gets errors only; LOG_LEVEL warning keeps expected failures", async () => {
  await withTempDir(async (dir) => {
    const logging = await setupLogging({ logDir: dir, level: "error" });
    logging.info("user.created", { entity_id: 1 });
    logging.commandLine({ userId: 1, command: "user create", outcome: "ok", exitCode: 0, durationMs: 2 });
    logging.commandLine({ userId: 1, command: "user delete", outcome: "conflict", exitCode: 6, durationMs: 2 });
    logging.error("boom", new Error("boom"));
    await logging.dispose();
    const info = lines(join(dir, "info.log"));
    assert.equal(info.length, 1, info.join("\n"));
    assert.match(info[0], / \| ERROR \| boom /);
    assert.ok(!info.some((l) => l.includes("| INFO |") || l.includes("| WARNING |")));
  });
  await withTempDir(async (dir) => {
    const logging = await setupLogging({ logDir: dir, level: "warning" });
    logging.commandLine({ userId: 1, command: "user create", outcome: "ok", exitCode: 0, durationMs: 2 });
    logging.commandLine({ userId: 1, command: "user delete", outcome: "conflict", exitCode: 6, durationMs: 2 });
    await logging.dispose();
    const info = lines(join(dir, "info.log"));
    assert.equal(info.length, 1, info.join("\n"));
    assert.match(info[0], / \| WARNING \| command user_id=1 command="user delete" outcome=conflict exit_code=6 /);
    assert.deepEqual(lines(join(dir, "error.log")), []);
  });
});

Deno.test("the server's category follows LOG_LEVEL too, and its errors reach error.log", async () => {
  await withTempDir(async (dir) => {
    const logging = await setupLogging({ logDir: dir, level: "warning" });
    const { getLogger } = await import("@logtape/logtape");
    const server = getLogger(["epic-events", "server"]);
    server.debug("request", { status: 200 });
    server.info("request", { status: 200 });
    server.warning("request", { status: 404 });
    server.error("request", { status: 500 });
    await logging.dispose();
    const info = lines(join(dir, "info.log"));
    assert.deepEqual(info.map((l) => l.split(" | ").slice(1).join(" | ")), [
      "WARNING | request status=404",
      "ERROR | request status=500",
    ]);
    assert.deepEqual(lines(join(dir, "error.log")).map((l) => l.split(" | ").slice(1).join(" | ")), [
      "ERROR | request status=500",
    ]);
  });
});

Deno.test("multi-byte text counts by its bytes for rotation; a very long line is written whole", async () => {
  await withTempDir(async (dir) => {
    // 2-, 3- and 4-byte characters: each line is 60 characters of text but ~200 bytes.
    const logging = await setupLogging({ logDir: dir, level: "info", maxBytes: 1000, maxFiles: 9 });
    for (let i = 0; i < 30; i++) logging.info("client.updated", { i, name: "é€😀".repeat(15) });
    const long = "ü".repeat(200_000);
    logging.info("long", { text: long });
    logging.info("after", { i: 30 });
    await logging.dispose();
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("info.log")).sort();
    const all: string[] = [];
    for (const name of names.reverse()) {
      const size = Deno.statSync(join(dir, name)).size;
      const fileLines = lines(join(dir, name));
      // A file never grows past maxBytes unless one line does (the long one starts a file of its own).
      if (fileLines.some((l) => l.includes(" | long "))) assert.equal(fileLines.length, 1);
      else assert.ok(size <= 1000, `${name} is ${size} bytes`);
      all.push(...fileLines);
    }
    assert.ok(names.length > 4, names.join(", "));
    assert.deepEqual(all.map((l) => / \| INFO \| (\S+)/.exec(l)![1]), [
      ...Array(30).fill("client.updated"),
      "long",
      "after",
    ]);
    all.slice(0, 30).forEach((l, i) => assert.ok(l.endsWith(` i=${i} name=${"é€😀".repeat(15)}`), l));
    assert.ok(all[30].endsWith(` text=${long}`));
  });
});

Deno.test("a log directory that cannot be created disables logging silently", async () => {
  await withTempDir(async (dir) => {
    // A regular file where a directory should be: fails even for root.
    const blocker = join(dir, "not-a-dir");
    Deno.writeTextFileSync(blocker, "");
    const logging = await setupLogging({ logDir: join(blocker, "logs"), level: "info" });
    assert.equal(logging.logDir, null);
    logging.info("hello", { a: 1 });
    logging.error("boom", new Error("boom"));
    logging.commandLine({ userId: 1, command: "whoami", outcome: "ok", exitCode: 0, durationMs: 1 });
    await logging.dispose();
  });
});

Deno.test("an unwritable log file disables logging silently", async () => {
  await withTempDir(async (dir) => {
    // info.log is a directory: it cannot be opened for appending, even by root.
    Deno.mkdirSync(join(dir, "info.log"));
    const logging = await setupLogging({ logDir: dir, level: "info" });
    assert.equal(logging.logDir, null);
    logging.info("hello");
    await logging.dispose();
  });
});

Deno.test("after dispose, logging is a no-op and a new setup starts afresh", async () => {
  await withTempDir(async (dir) => {
    const first = await setupLogging({ logDir: dir, level: "info" });
    first.info("first");
    await first.dispose();
    first.info("ignored");
    await first.dispose();
    const second = await setupLogging({ logDir: dir, level: "info" });
    second.info("second");
    await second.dispose();
    const info = lines(join(dir, "info.log"));
    assert.deepEqual(info.map((l) => l.split(" | ")[2]), ["first", "second"]);
  });
});

Deno.test("a line reaches its file within the turn of the event loop that wrote it", async () => {
  await withTempDir(async (dir) => {
    const logging = await setupLogging({ logDir: dir, level: "info" });
    try {
      logging.info("first");
      logging.info("second");
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.deepEqual(lines(join(dir, "info.log")).map((l) => l.split(" | ")[2]), ["first", "second"]);
      // An error is written at once, with what came before it.
      logging.info("third");
      logging.error("fourth");
      assert.deepEqual(lines(join(dir, "info.log")).map((l) => l.split(" | ")[2]), [
        "first",
        "second",
        "third",
        "fourth",
      ]);
    } finally {
      await logging.dispose();
    }
  });
});

Deno.test("lines written just before Deno.exit or an uncaught error are in the file", async () => {
  for (const [mode, code] of [["logging-exit", 3], ["logging-crash", 1]] as const) {
    await withTempDir(async (dir) => {
      const child = await runLoggingChild(dir, ["--allow-read", "--allow-write", "--allow-env"], mode);
      assert.equal(child.code, code, child.out);
      const info = lines(join(dir, "info.log"));
      assert.equal(info.length, 2, `${mode}: ${info.join("\n")}`);
      assert.match(info[0], / \| INFO \| before the end n=1$/);
      assert.match(info[1], / \| INFO \| command user_id=7 command=whoami outcome=ok exit_code=0 duration_ms=3$/);
    });
  }
});

async function runLoggingChild(
  dir: string,
  permissions: string[],
  mode = "logging",
): Promise<{ code: number; out: string }> {
  const fixture = fileURLToPath(new URL("./exit_fixture.ts", import.meta.url));
  const config = fileURLToPath(new URL("../../deno.json", import.meta.url));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, ...permissions, fixture, mode, dir, "info"],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    signal: AbortSignal.timeout(15_000),
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, out: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
}

Deno.test("a real process writes its log files and nothing on stdout or stderr", async () => {
  await withTempDir(async (dir) => {
    const child = await runLoggingChild(dir, ["--allow-read", "--allow-write", "--allow-env"]);
    assert.equal(child.code, 0, child.out);
    assert.equal(child.out, "", "nothing on stdout or stderr");
    const info = lines(join(dir, "info.log"));
    assert.equal(info.length, 3, info.join("\n"));
    assert.match(info[2], / \| INFO \| command user_id=7 command=whoami outcome=ok exit_code=0 duration_ms=3$/);
    assert.equal(lines(join(dir, "error.log")).length, 1);
  });
});

Deno.test("without write permission a real process logs nothing, says nothing and does not fail", async () => {
  await withTempDir(async (dir) => {
    const logDir = join(dir, "logs");
    const child = await runLoggingChild(logDir, ["--allow-read", "--allow-env"]);
    assert.equal(child.code, 0, child.out);
    assert.equal(child.out, "");
    assert.throws(() => Deno.statSync(logDir), Deno.errors.NotFound);
  });
});
