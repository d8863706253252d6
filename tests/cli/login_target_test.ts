import assert from "node:assert/strict";
import { loadConfig } from "../../src/config.ts";
import { localDatabase } from "../../src/cli/app/deps.ts";
import { useLanguage } from "../../src/i18n/mod.ts";

await useLanguage("en");

async function inDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "epic-where-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("where a local login goes: the database with its password masked, and the .env that chose it", async () => {
  await inDir(async (dir) => {
    const env = { HOME: dir };
    const url = "postgres://epic:s3cret@db.example:5432/crm?sslmode=require";
    const key = "k".repeat(32);
    assert.equal(
      localDatabase(loadConfig({ ...env, DATABASE_URL: url, SECRET_KEY: key }, dir), env),
      "the database postgres://epic:***@db.example:5432/crm?sslmode=require",
    );
    assert.equal(
      localDatabase(loadConfig(env, dir), env),
      `the database file ${dir}/.local/share/epic-events/epic-events.db`,
    );
    await Deno.writeTextFile(`${dir}/.env`, `DATABASE_URL=${url}\nSECRET_KEY=${key}\n`);
    assert.equal(
      localDatabase(loadConfig(env, dir), env),
      `the database postgres://epic:***@db.example:5432/crm?sslmode=require (DATABASE_URL from ${dir}/.env)`,
    );
    // The environment wins over the file, and then the file chose nothing.
    const own = { ...env, DATABASE_URL: "sqlite::memory:" };
    assert.equal(localDatabase(loadConfig(own, dir), own), "an in-memory database");
    // The default file's folder, chosen by the .env.
    await Deno.writeTextFile(`${dir}/.env`, `EPIC_EVENTS_DATA_DIR=${dir}/elsewhere\n`);
    assert.equal(
      localDatabase(loadConfig(env, dir), env),
      `the database file ${dir}/elsewhere/epic-events.db (EPIC_EVENTS_DATA_DIR from ${dir}/.env)`,
    );
    const chosen = { ...env, EPIC_EVENTS_DATA_DIR: `${dir}/mine` };
    assert.equal(localDatabase(loadConfig(chosen, dir), chosen), `the database file ${dir}/mine/epic-events.db`);
  });
});
