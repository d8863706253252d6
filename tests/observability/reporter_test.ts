import assert from "node:assert/strict";
import { join } from "node:path";
import { createReporter } from "../../src/observability/reporter.ts";
import { setupLogging } from "../../src/observability/logger.ts";
import { initSentry, NOOP_SENTRY, type SentryHandle } from "../../src/observability/sentry.ts";
import { startFakeSentry } from "./fake_sentry.ts";

Deno.test(
  "a business event reaches both the Sentry endpoint and the info log",
  { sanitizeOps: false, sanitizeResources: false },
  async () => {
    const fake = startFakeSentry();
    const dir = await Deno.makeTempDir({ prefix: "epic-events-reporter-" });
    try {
      const sentry = await initSentry({ dsn: fake.dsn, environment: "test", release: "epic-events@0.0.0-test" });
      const logging = await setupLogging({ logDir: dir, level: "info" });
      const reporter = createReporter({ sentry, logging });
      reporter.businessEvent({
        action: "user.updated",
        actorId: 1,
        entity: "user",
        entityId: 8,
        changedFields: ["email", "role"],
      });
      reporter.businessEvent({ action: "contract.signed", actorId: 2, entity: "contract", entityId: null });
      await sentry.flush();
      await logging.dispose();

      await fake.waitFor(() => fake.events().length === 2);
      assert.deepEqual(fake.events().map((e) => e.tags?.action).sort(), ["contract.signed", "user.updated"]);
      const info = Deno.readTextFileSync(join(dir, "info.log")).trimEnd().split("\n");
      assert.equal(info.length, 2);
      assert.match(info[0], / \| INFO \| user\.updated actor_id=1 entity=user entity_id=8 changed_fields=email,role$/);
      assert.match(info[1], / \| INFO \| contract\.signed actor_id=2 entity=contract entity_id=- changed_fields=-$/);
    } finally {
      await fake.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("a failing target never makes the reporter throw, and the other target still gets the event", () => {
  const seen: string[] = [];
  const broken: SentryHandle = {
    ...NOOP_SENTRY,
    captureBusinessEvent: () => {
      throw new Error("sentry exploded");
    },
  };
  const reporter = createReporter({
    sentry: broken,
    logging: {
      logDir: null,
      commandLine: () => {},
      info: (message) => seen.push(message),
      error: () => {},
      dispose: () => Promise.resolve(),
    },
  });
  reporter.businessEvent({ action: "user.deleted", actorId: 1, entity: "user", entityId: 3 });
  assert.deepEqual(seen, ["user.deleted"]);
  createReporter({}).businessEvent({ action: "user.deleted", actorId: 1, entity: "user", entityId: 3 });
});
