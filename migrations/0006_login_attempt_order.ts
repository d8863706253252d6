/**
 * The login lock counts every failure (issue 16): each attempt on an email
 * gets a number (`attempts`), failed checks are counted as they settle
 * (`settled`), a success forgives only the failures settled before its own
 * attempt began (`forgiven`, the high-water mark of `settled` forgiven), and
 * the attempt that set the lock is kept (`locked_by`), so that a success
 * never lifts a lock that attempts made after its own set. `failures` stays
 * the count that locks: attempts in progress and failures not forgiven.
 * Existing counts are failures that have settled.
 */
import type { Migration } from "../src/db/migration.ts";

const migration: Migration = {
  version: "0006",
  name: "login_attempt_order",
  up: () => [
    "ALTER TABLE login_attempts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE login_attempts ADD COLUMN settled INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE login_attempts ADD COLUMN forgiven INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE login_attempts ADD COLUMN locked_by INTEGER",
    "UPDATE login_attempts SET attempts = failures, settled = failures",
  ],
  down: () => [
    "ALTER TABLE login_attempts DROP COLUMN locked_by",
    "ALTER TABLE login_attempts DROP COLUMN forgiven",
    "ALTER TABLE login_attempts DROP COLUMN settled",
    "ALTER TABLE login_attempts DROP COLUMN attempts",
  ],
};

export default migration;
