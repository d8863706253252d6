/**
 * The session check as a stored function (PostgreSQL only; SQLite gets
 * nothing): `session_state(user_id, jti)` answers what the session check of
 * every request asks (`sessionState` in `src/repositories/sessions.ts`: this
 * database's id, whether the token is revoked, the user as stored now with
 * its session epoch), read in one statement as before. When it was written,
 * connections planned every statement for its values (`plan_cache_mode =
 * force_custom_plan`, for the lists; `auto` since, with the value-bound lists
 * unnamed: docs/performance.md, sixth pass); planning this one cost
 * PostgreSQL more than running it at each request. The function keeps one
 * plan of its statement per connection
 * (`force_generic_plan`: three look-ups by primary key, the same plan
 * whatever the values). Its columns are the user's columns of
 * `USER_COLUMNS` (`src/repositories/users.ts`): a migration that adds one
 * there replaces the function (`tests/db/session_state_test.ts` compares the
 * user it returns with the user as read by id).
 * @module
 */
import type { Migration } from "../src/db/migration.ts";

const migration: Migration = {
  version: "0008",
  name: "session_state_function",
  up: (dialect) =>
    dialect === "postgres"
      ? [
        `CREATE FUNCTION session_state(token_user_id INTEGER, token_jti VARCHAR)
RETURNS TABLE (
  database_id VARCHAR, revoked BIGINT, session_epoch INTEGER, id INTEGER, first_name VARCHAR, last_name VARCHAR,
  email VARCHAR, phone VARCHAR, role VARCHAR, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ
)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $body$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT (SELECT i.database_id FROM database_identity i WHERE i.singleton = 1),
         (SELECT count(*) FROM revoked_tokens r WHERE r.jti = token_jti),
         u.session_epoch, u.id, u.first_name, u.last_name, u.email, u.phone, u.role, u.created_at, u.updated_at
    FROM (SELECT 1 AS one) AS token LEFT JOIN users u ON u.id = token_user_id;
END
$body$`,
      ]
      : [],
  down: (dialect) => dialect === "postgres" ? ["DROP FUNCTION session_state(INTEGER, VARCHAR)"] : [],
};

export default migration;
