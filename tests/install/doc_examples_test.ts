/**
 * The examples of the README and of docs/ run as written, with the
 * `epic-events` that the README's install line put on the PATH, on a fresh
 * HOME, each shell block as one `sh` script (so a variable set on one line is
 * there on the next), offline.
 *
 * What runs: the README's story, block by block, in order, on the embedded
 * SQLite database (Alice, Bob, Carol and Dan each with their own config
 * folder, as on their own machines; a full-line comment naming one of them
 * switches to them, each block starts with Alice; before a line that needs a
 * session the runner logs its person in if they are not), then the completion
 * lines (and each shell loads what they wrote, when installed), README.fr.md's
 * story in French (`LANG=fr_FR.UTF-8`) on a database of its own, docs/backups.md's
 * inspection line, its crontab (the job line with `/bin/sh` in cron's bare
 * environment: only the crontab's PATH, with its `/usr/local/bin` standing for
 * the install's folder and deno's, and `/srv`, `/var/log` for temp folders),
 * its restore-drill script as a file, and the move to PostgreSQL of the README
 * and of docs/backups.md (their placeholder URL replaced by a test schema;
 * needs EPIC_EVENTS_TEST_POSTGRES_URL, and the network namespace is left for
 * that part). Every line must exit 0 and print no `error:` line.
 *
 * What does not run, and why (listed by the test, so a new block must be
 * placed): lines that install (`curl`/`wget` of the release, `npm`, `deno`,
 * `export PATH=`: tests/install/ tests those), lines whose comment says they
 * need a terminal, and docs/server.md's blocks (sudo, systemd, a remote host).
 * Every `sh` block of every page is at least parsed by `sh -n`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type CodeBlock, documentedBlocks, type ShellLine, shellLines } from "../support/markdown.ts";
import { DENO_BIN_DIR, type Installed, installFromSource, ROOT, sh } from "./installed.ts";

const PG_URL = Deno.env.get("EPIC_EVENTS_TEST_POSTGRES_URL");

/** The people of the README's story: email and password variable. */
const PEOPLE: Record<string, { email: string; password: string }> = {
  alice: { email: "alice@epic.example", password: "ALICE_PW" },
  bob: { email: "bob@epic.example", password: "BOB_PW" },
  // `user update 3 --password-stdin` gives Carol $NEW_PW: the same text, so her next login works either way.
  carol: { email: "carol@epic.example", password: "CAROL_PW" },
  dan: { email: "dan@epic.example", password: "DAN_PW" },
};
const PASSWORDS = {
  ALICE_PW: "alice password 1",
  BOB_PW: "bob password 22",
  CAROL_PW: "carol password 333",
  NEW_PW: "carol password 333",
  DAN_PW: "dan password 4444",
};

/** Lines that are not part of the story: installing (tested in tests/install/) and the developer's tasks. */
const INSTALLING = /^(curl\b|wget\b|npm\b|export PATH=)|(^|\s)deno (task|install|cache|--version)\b/;
/** Commands that need no session (operator commands, the session commands themselves, help). */
const NO_SESSION = /^(migrate|init|backup|completions|login|serve|help|--help|--version)$/;

function needsSession(text: string): boolean {
  return [...text.matchAll(/epic-events\s+(\S+)/g)].some((m) => !NO_SESSION.test(m[1]));
}

function needsTerminal(line: ShellLine): boolean {
  return /#[^'"]*\b(on a terminal|sur un terminal)\b/.test(line.text);
}

function quote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** Why a line of a runnable block is not run, or undefined. */
function skipped(line: ShellLine): string | undefined {
  if (INSTALLING.test(line.text.trim())) return "installs (tests/install/)";
  if (needsTerminal(line)) return "needs a terminal";
  for (const tool of ["jq", "zcat", "openssl"]) {
    if (new RegExp(`\\b${tool}\\b`).test(line.text) && !which(tool)) return `${tool} is not installed`;
  }
  return undefined;
}

function which(tool: string): string | undefined {
  return ["/usr/bin", "/bin", "/usr/local/bin"].map((d) => join(d, tool)).find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  });
}

/** Shell blocks of docs/ that cannot run here, and why (a new block must run, or be placed here). */
const NOT_RUN: Array<[string, RegExp, string]> = [
  ["docs/server.md", /./, "sudo, systemd or a remote host"],
  ["README.fr.md", /--server https:\/\/crm\.example\.com/, "the team's server (tests/server/ run one)"],
  ["docs/backups.md", /^systemctl /, "systemd"],
  ["docs/backups.md", /new-password\.txt/, "a file of the reader's own (new-password.txt)"],
  ["docs/backups.md", /their-backup/, "another installation's backup and key"],
  [
    "docs/performance.md",
    /^(flock \S+ )?deno (task|run) /,
    "the developer's benchmarks (seeded data, wrk, minutes of load)",
  ],
];

interface Story {
  installed: Installed;
  /** Blocks run, `file:line` of their fence. */
  blocks: Set<string>;
  env: Record<string, string>;
  /** Lines that ran, `file:line`. */
  ran: string[];
  /** Lines not run, with why. */
  notRun: string[];
}

/**
 * Runs a block's lines as one sh script, each line as written, in a brace
 * group whose stderr is kept; stops at the first line that fails or prints
 * an error.
 */
async function runBlock(
  story: Story,
  block: CodeBlock,
  options: {
    env?: Record<string, string>;
    offline?: boolean;
    cwd?: string;
    rewrite?: (text: string) => string;
    /** Shell lines run after the block, in the same script (its variables and exports). */
    after?: string[];
  } = {},
): Promise<void> {
  story.blocks.add(`${block.file}:${block.line}`);
  const errDir = await Deno.makeTempDir({ prefix: "epic-story-err-" });
  const script = [
    `people="$HOME/people"`,
    `as() { EPIC_EVENTS_CONFIG_DIR="$people/$1"; export EPIC_EVENTS_CONFIG_DIR; }`,
    `session() { epic-events whoami >/dev/null 2>&1 || printf '%s\\n' "$2" |` +
    ` epic-events login --email "$1" --password-stdin >/dev/null 2>"${errDir}/login" ||` +
    ` { echo "story: cannot log $1 in: $(cat "${errDir}/login")" >&2; exit 97; }; }`,
    `as alice`,
  ];
  const lines: ShellLine[] = [];
  for (const line of shellLines(block)) {
    const who = /^#\s*(Alice|Bob|Carol|Dan)\b/.exec(line.text.trim());
    if (who) {
      script.push(`as ${who[1].toLowerCase()}`);
      continue;
    }
    if (line.text.trim().startsWith("#")) continue;
    const why = skipped(line);
    const where = `${block.file}:${line.line}`;
    if (why) {
      story.notRun.push(`${where} (${why}): ${line.text.split("\n")[0]}`);
      continue;
    }
    lines.push(line);
    if (needsSession(line.text)) {
      script.push(`case "$EPIC_EVENTS_CONFIG_DIR" in`);
      for (const [name, person] of Object.entries(PEOPLE)) {
        script.push(`*/${name}) session ${person.email} "$${person.password}" ;;`);
      }
      script.push(`esac`);
    }
    const text = options.rewrite ? options.rewrite(line.text) : line.text;
    script.push(
      `{ ${text}\n} 2>"${errDir}/${line.line}" || { status=$?; echo "story: ${where} exited $status" >&2; exit 98; }`,
    );
    story.ran.push(where);
  }
  for (const [i, text] of (options.after ?? []).entries()) {
    script.push(
      `{ ${text}\n} || { echo "story: after ${block.file}:${block.line}, check ${i + 1} exited $?" >&2; exit 99; }`,
    );
  }
  const result = await sh(script.join("\n"), {
    env: { ...story.env, ...options.env },
    cwd: options.cwd ?? story.installed.home,
    offline: options.offline,
  });
  const problems: string[] = [];
  for (const line of lines) {
    let err = "";
    try {
      err = await Deno.readTextFile(join(errDir, String(line.line)));
    } catch {
      continue; // not reached
    }
    const bad = err.split("\n").filter((l) => /^(error:|sh: |.*: not found$)/.test(l));
    if (bad.length) problems.push(`${block.file}:${line.line}: ${line.text}\n  ${bad.join("\n  ")}`);
  }
  await Deno.remove(errDir, { recursive: true });
  assert.ok(
    result.code === 0 && problems.length === 0,
    `${block.file}:${block.line} (${block.heading}) failed (exit ${result.code}):\n${result.stderr}\n${
      problems.join("\n")
    }`,
  );
}

Deno.test("the README's migrations table has a row for every migration of migrations/, in order", async () => {
  const files = [...Deno.readDirSync(join(ROOT, "migrations"))].map((e) => e.name)
    .filter((name) => /^\d{4}_.*\.ts$/.test(name)).map((name) => name.slice(0, 4)).sort();
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const rows = [...readme.matchAll(/^\| `(\d{4})` +\|/gm)].map((m) => m[1]);
  assert.deepEqual(rows, files);
});

/** The test's PostgreSQL schema, as a `DATABASE_URL`. */
async function postgresSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(PG_URL!, { max: 1, onnotice: () => {} });
  const schema = `story_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL!);
  url.searchParams.set("search_path", schema);
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

Deno.test({
  name: "every example of the README and docs/ runs as written with the installed epic-events (or is said not to)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const blocks = await documentedBlocks(ROOT);
    const shellBlocks = blocks.filter((b) => b.lang === "sh");

    await t.step("every sh block of every page parses (sh -n)", async () => {
      for (const block of shellBlocks) {
        const parsed = await sh(`sh -n -c ${quote(block.body)}`, { env: { PATH: "/usr/bin:/bin" } });
        assert.equal(parsed.code, 0, `${block.file}:${block.line}: ${parsed.stderr}`);
      }
    });

    const installed = await installFromSource();
    const story: Story = {
      installed,
      env: installed.env({ ...PASSWORDS, BCRYPT_ROUNDS: "4", EPIC_EVENTS_TEST_MODE: "1", TZ: "UTC" }),
      blocks: new Set(),
      ran: [],
      notRun: [],
    };
    try {
      await t.step("the README's story, block by block, on SQLite", async () => {
        for (const block of shellBlocks.filter((b) => b.file === "README.md")) {
          if (/export DATABASE_URL=postgres:/.test(block.body)) continue; // the move, below
          await runBlock(story, block);
        }
        // What the story left: Dan owns Bob's remaining client and the two imported on day one; Carol's event and its
        // contract were deleted.
        const clients = await sh(
          `printf '%s\\n' "$ALICE_PW" | epic-events login --email alice@epic.example --password-stdin 2>/dev/null &&` +
            " epic-events client list --json",
          {
            env: { ...story.env, EPIC_EVENTS_CONFIG_DIR: join(installed.home, "people/alice") },
          },
        );
        assert.equal(clients.code, 0, clients.stderr);
        assert.deepEqual(
          JSON.parse(clients.stdout).map((c: { full_name: string; sales_contact_id: number }) => [
            c.full_name,
            c.sales_contact_id,
          ]),
          [["Lou Bernard", 4], ["Zoé Martin", 4], ["Hugo Petit", 4]],
        );
      });

      await t.step("README.fr.md's story, block by block, in French, on a database of its own", async () => {
        const env = { LANG: "fr_FR.UTF-8", EPIC_EVENTS_DATA_DIR: join(installed.home, "donnees-fr") };
        for (const block of shellBlocks.filter((b) => b.file === "README.fr.md")) {
          if (NOT_RUN.some(([file, first]) => file === block.file && first.test(block.body.trimStart()))) continue;
          // French amounts typed `1 500,50` are the exact 1500.50 in JSON.
          const after = /--total "1 500,50"/.test(block.body)
            ? [`epic-events contract show 1 --json | grep -q '"total_amount": "1500.50"'`]
            : [];
          await runBlock(story, block, { env, after });
        }
      });

      await t.step("the completion files load in each installed shell", async () => {
        const checks: Array<[string, string, string, RegExp]> = [
          [
            "bash",
            "bash",
            ". ~/.local/share/bash-completion/completions/epic-events && complete -p epic-events",
            /epic-events/,
          ],
          [
            "zsh",
            "zsh",
            "fpath+=(~/.zfunc); autoload -U compinit && compinit -u && whence -w _epic_events",
            /function/,
          ],
          ["fish", "fish", "complete -C 'epic-events cli'", /client/],
        ];
        for (const [name, shell, command, expected] of checks) {
          if (!which(shell)) {
            story.notRun.push(`${name} completion: ${shell} is not installed`);
            continue;
          }
          const loaded = await sh(`${shell} -c ${quote(command)}`, { env: story.env });
          assert.equal(loaded.code, 0, `${name}: ${loaded.stderr}`);
          assert.match(loaded.stdout, expected, name);
        }
      });

      await t.step("docs/backups.md: inspecting a backup, the crontab, the restore drill", async () => {
        const backups = shellBlocks.filter((b) => b.file === "docs/backups.md");
        const inspect = backups.find((b) => b.body.includes("zcat"))!;
        await runBlock(story, inspect);

        const cron = blocks.filter((b) => b.file === "docs/backups.md" && b.lang === "cron");
        assert.equal(cron.length, 1, "docs/backups.md has one crontab");
        const lines = cron[0].body.split("\n").filter((l) => l.trim() && !l.startsWith("#"));
        const path = lines.find((l) => l.startsWith("PATH="));
        assert.ok(path, "the crontab sets PATH (cron's own is /usr/bin:/bin)");
        const job = lines.find((l) => /^[\d*]/.test(l))!;
        const command = job.split(/\s+/).slice(5).join(" ");
        const srv = join(installed.home, "srv");
        const log = join(installed.home, "log");
        await Deno.mkdir(join(srv, "epic-events"), { recursive: true });
        await Deno.mkdir(log);
        const here = (text: string) =>
          text.replaceAll("/usr/local/bin", `${installed.root}/bin:${DENO_BIN_DIR}`).replaceAll("/srv/", `${srv}/`)
            .replaceAll("/var/log/", `${log}/`);
        const cronEnv = {
          HOME: installed.home,
          LOGNAME: "root",
          SHELL: "/bin/sh",
          PATH: here(path!.slice("PATH=".length)),
          DENO_DIR: story.env.DENO_DIR,
        };
        const before = (await sh("ls ~/.local/share/epic-events/backups | wc -l", { env: story.env })).stdout.trim();
        const ran = await sh(here(command), { env: cronEnv });
        assert.equal(ran.code, 0, await Deno.readTextFile(join(log, "epic-events-backup.log")).catch(() => ran.stderr));
        const after = (await sh("ls ~/.local/share/epic-events/backups | wc -l", { env: story.env })).stdout.trim();
        assert.equal(Number(after), Number(before) + 1, "the cron job wrote a backup");
        story.ran.push(`docs/backups.md:${cron[0].line + 1 + cron[0].body.split("\n").indexOf(job)}`);

        const drill = backups.find((b) => b.body.startsWith("#!/bin/sh"));
        assert.ok(drill, "docs/backups.md has the restore-drill script");
        if (!which("jq")) {
          story.notRun.push(`docs/backups.md:${drill.line} restore drill: jq is not installed`);
        } else {
          story.blocks.add(`${drill.file}:${drill.line}`);
          const file = join(installed.home, "restore-drill.sh");
          await Deno.writeTextFile(file, drill.body, { mode: 0o755 });
          const drilled = await sh(file, { env: story.env });
          assert.equal(drilled.code, 0, drilled.stderr);
          assert.match(drilled.stdout, /^restore drill OK: .*epic-events-.*\.jsonl\.gz\n$/);
          story.ran.push(`docs/backups.md:${drill.line}`);
        }
      });

      await t.step({
        name: "the move to PostgreSQL of the README and docs/backups.md, with the test database for theirs",
        ignore: PG_URL === undefined,
        async fn() {
          const moves = shellBlocks.filter((b) => /export DATABASE_URL=postgres:/.test(b.body));
          assert.deepEqual(moves.map((b) => b.file), ["README.md", "docs/backups.md"]);
          for (const block of moves) {
            const placeholder = /postgres:\/\/[^\s"]+@db\.example:5432\/\w+/.exec(block.body)?.[0];
            assert.ok(placeholder, `${block.file}:${block.line}: the example database URL`);
            const pg = await postgresSchema();
            const cwd = await Deno.makeTempDir({ dir: installed.home, prefix: "move-" });
            try {
              // After the block, in its environment: Alice logs in to the new database and sees the data.
              await runBlock(story, block, {
                offline: false,
                cwd,
                rewrite: (text) => text.replace(placeholder, quote(pg.url)),
                after: [
                  `export EPIC_EVENTS_CONFIG_DIR="$HOME/people/alice-pg"`,
                  `printf '%s\\n' "$ALICE_PW" | epic-events login --email alice@epic.example --password-stdin`,
                  `epic-events client list --json | grep -q '"full_name": "Lou Bernard"'`,
                ],
              });
              const env = { ...story.env, DATABASE_URL: pg.url, EPIC_EVENTS_CONFIG_DIR: join(installed.home, "pg") };
              const noKey = await sh(
                `printf '%s\\n' "$ALICE_PW" | epic-events login --email alice@epic.example --password-stdin`,
                { env, offline: false },
              );
              assert.equal(noKey.code, 2, "without SECRET_KEY, PostgreSQL is exit 2 (why the move sets it)");
              assert.match(noKey.stderr, /SECRET_KEY/);
            } finally {
              await pg.drop();
            }
          }
        },
      });
      await t.step("every other shell example is one that cannot run here, with why", () => {
        const unplaced: string[] = [];
        for (const block of shellBlocks) {
          const where = `${block.file}:${block.line}`;
          if (story.blocks.has(where)) continue;
          const known = NOT_RUN.find(([file, first]) => file === block.file && first.test(block.body.trimStart()));
          if (known) story.notRun.push(`${where} (${known[2]}): ${block.body.split("\n")[0]}`);
          else if (PG_URL === undefined && /export DATABASE_URL=postgres:/.test(block.body)) {
            story.notRun.push(`${where} (EPIC_EVENTS_TEST_POSTGRES_URL is unset)`);
          } else unplaced.push(`${where}: ${block.body.split("\n")[0]}`);
        }
        assert.deepEqual(
          unplaced,
          [],
          "shell examples this test neither runs nor lists in NOT_RUN (run them in the story, or say why they cannot)",
        );
      });
    } finally {
      await installed.dispose();
      console.error(`doc examples: ${story.ran.length} lines ran; not run:\n  ${story.notRun.join("\n  ")}`);
    }
  },
});
