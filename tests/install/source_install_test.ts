/**
 * Installing from source as a command: the README's `deno install --global`
 * line (the same as `deno task install`, with the permissions and V8 flags of
 * `deno task compile`) works offline from Deno's cache into a temporary root,
 * and the `epic-events` it writes is found by `sh -c`, by a script and by a
 * cron-like environment (`env -i` with a short PATH), on a fresh HOME.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exists } from "../support/process.ts";
import { canUnshareNet, installFromSource, readmeInstallCommand, ROOT, sh } from "./installed.ts";

const tasks = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).tasks as Record<string, string>;
const words = (command: string) => command.trim().split(/\s+/);

Deno.test("the README's install line is `deno task install`, with the compile task's permissions and V8 flags", async () => {
  const readme = await readmeInstallCommand();
  assert.equal(readme, tasks.install, "README.md and deno.json's install task differ");
  const install = words(tasks.install);
  assert.deepEqual(install.slice(0, 8), [
    "deno",
    "install",
    "--global",
    "--force",
    "--config",
    "deno.json",
    "--name",
    "epic-events",
  ]);
  assert.equal(install.at(-1), "main.ts");
  const compile = words(tasks.compile);
  assert.deepEqual(compile.slice(0, 2), ["deno", "compile"]);
  const output = compile.indexOf("--output");
  const compileFlags = compile.slice(2).filter((_, i) => i + 2 !== output && i + 2 !== output + 1).slice(0, -1);
  assert.deepEqual(install.slice(8, -1).sort(), compileFlags.sort());
});

Deno.test("the documented install works offline, and sh -c, a script and cron's short PATH find epic-events", async () => {
  if (!await canUnshareNet()) console.error("note: unshare --net is refused here; offline means dead proxies only");
  const installed = await installFromSource();
  try {
    const bin = join(installed.root, "bin", "epic-events");
    const shim = await Deno.readTextFile(bin);
    assert.match(shim, /^#!\/bin\/sh\n/);
    assert.match(shim, /exec deno run .*--v8-flags=--max-semi-space-size=8,--heap-growing-percent=50/);
    assert.ok((await Deno.stat(bin)).mode! & 0o111, "executable");

    const env = installed.env({ BCRYPT_ROUNDS: "4", EPIC_EVENTS_TEST_MODE: "1", PW: "correct horse battery" });
    const version = await sh("epic-events --version", { env });
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);

    // A script, as an operator writes one: sh, set -e, the command by name.
    const script = join(installed.home, "first-day.sh");
    await Deno.writeTextFile(
      script,
      `#!/bin/sh
set -eu
cd "$HOME"
printf '%s\\n' "$PW" | epic-events init --email alice@epic.example --first-name Alice --last-name Martin --password-stdin >/dev/null
printf '%s\\n' "$PW" | epic-events login --email alice@epic.example --password-stdin
printf '%s\\n' "$PW" | epic-events user create --first-name Bob --last-name Seller --email bob@epic.example \\
  --role SALES --password-stdin >/dev/null
epic-events client create --full-name "Kevin Casey" --email kevin@startup.example --phone "+1 555 0100" \\
  --company-name "Cool Startup LLC" --sales-contact-id 2 >/dev/null
epic-events client list --json
`,
      { mode: 0o755 },
    );
    const day = await sh(script, { env });
    assert.equal(day.code, 0, day.stderr);
    const clients = JSON.parse(day.stdout) as { full_name: string; sales_contact_id: number }[];
    assert.deepEqual(clients.map((c) => [c.full_name, c.sales_contact_id]), [["Kevin Casey", 2]]);
    assert.match(day.stderr, /Logged in as Alice Martin \(Management\)/);

    // cron runs a line with /bin/sh, HOME and a PATH of its own (which must name deno's folder for a source install).
    const cronEnv = { HOME: installed.home, LOGNAME: "root", SHELL: "/bin/sh", PATH: installed.path, NO_COLOR: "1" };
    const cron = await sh('cd "$HOME" && epic-events backup create --keep-days 30 --json', {
      env: { ...cronEnv, DENO_DIR: env.DENO_DIR },
    });
    assert.equal(cron.code, 0, cron.stderr);
    const backup = JSON.parse(cron.stdout) as { file: string; tables: Record<string, number> };
    assert.ok(backup.file.startsWith(join(installed.home, ".local/share/epic-events/backups/")), backup.file);
    assert.equal(backup.tables.clients, 1);
    assert.equal((await Deno.stat(backup.file)).mode! & 0o777, 0o600);

    // Without deno on cron's PATH, the source install says so (a release binary needs no deno).
    if (["/usr/bin/deno", "/bin/deno"].some((p) => exists(p))) return;
    const bare = await sh("epic-events --version", {
      env: { ...cronEnv, PATH: `${installed.root}/bin:/usr/bin:/bin`, DENO_DIR: env.DENO_DIR },
    });
    assert.notEqual(bare.code, 0);
    assert.match(bare.stderr, /deno: not found/);
  } finally {
    await installed.dispose();
  }
});
