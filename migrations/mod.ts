/**
 * Every migration, in order. Add new ones here with a static import so that
 * the bundle and the compiled binary carry them.
 * @module
 */
import type { Migration } from "../src/db/migration.ts";
import m0001 from "./0001_initial_schema.ts";
import m0002 from "./0002_auth_sessions.ts";
import m0003 from "./0003_audit_log.ts";
import m0004 from "./0004_session_identity.ts";
import m0005 from "./0005_list_indexes.ts";
import m0006 from "./0006_login_attempt_order.ts";
import m0007 from "./0007_reports_calendar.ts";
import m0008 from "./0008_session_state_function.ts";

/** All migrations, ordered by version. */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008];
