/**
 * The real {@link Prompter} and {@link Clock} of a run, and the dependencies
 * of its commands: questions go through `input/prompts.ts` (inquirer, only on a
 * terminal) and passwords through `input/password.ts`, so their rules stay in one
 * place.
 * @module
 */
import type { Clock, Deps, Prompter } from "../verbs/verb.ts";
import { readPassword } from "../input/password.ts";
import { promptConfirm, promptSelect, promptText } from "../input/prompts.ts";
import type { Runtime } from "./runtime.ts";
import { maskUrl } from "../../db/unavailable.ts";
import type { Config, Env } from "../../config.ts";
import { t } from "../../i18n/mod.ts";
import { crmFor, parseServerUrl, readCaCert, rememberServer, remoteCrm, serverOf } from "../remote/mode.ts";

/** Questions asked on the run's terminal. */
export function runtimePrompter(rt: Runtime): Prompter {
  return {
    get interactive() {
      return rt.interactive;
    },
    text: (label, options = {}) => promptText(rt, label, { validate: options.validate }),
    select: (label, choices) => promptSelect(rt, label, choices),
    confirm: (message) => promptConfirm(rt, message),
    password: (options) => readPassword(rt, options),
  };
}

/** The system clock; local times in `TZ` (read when first needed). */
export function runtimeClock(rt: Runtime): Clock {
  return {
    now: () => new Date(),
    get timeZone() {
      return rt.config().timeZone;
    },
  };
}

/** The dependencies of a command: the CRM on this machine's database, or on the configured server. */
export function runtimeDeps(rt: Runtime): Deps {
  return {
    io: rt.io,
    wide: rt.wide,
    crm: crmFor(rt),
    clock: runtimeClock(rt),
    prompter: runtimePrompter(rt),
    servers: {
      current: () => serverOf(rt)?.url.href.replace(/\/$/, ""),
      where: () => serverOf(rt)?.url.href.replace(/\/$/, "") ?? localDatabase(rt.config(), rt.io.env),
      at(url, options = {}) {
        const server = parseServerUrl(url, "--server");
        const caPem = options.caCert === undefined ? undefined : readCaCert(options.caCert, "--ca-cert");
        // From here on this run is in server mode: the configuration (if not
        // read yet) is read without DATABASE_URL and SECRET_KEY.
        rt.io.env = { ...rt.io.env, EPIC_EVENTS_SERVER: server.href };
        return {
          crm: remoteCrm(rt, server, caPem),
          where: server.href.replace(/\/$/, ""),
          remember: () => rememberServer(rt, server, caPem),
        };
      },
    },
  };
}

/**
 * The local database as the user should see it before typing a password:
 * `the database postgres://epic:***@db:5432/crm`, `the database file /path`,
 * with `(DATABASE_URL from /work/.env)` when a `.env` file chose it.
 */
export function localDatabase(config: Config, env: Env): string {
  const { database, dotEnv } = config;
  const name = database.kind === "postgres"
    ? t("cli.login.where_database", { url: maskUrl(database.url) })
    : database.path === ":memory:"
    ? t("cli.login.where_memory")
    : t("cli.login.where_file", { path: database.path });
  // The variable that chose it: the first one set of those that can, in the order they win.
  const deciders = database.kind === "sqlite" && database.isDefault
    ? ["EPIC_EVENTS_DATA_DIR", "XDG_DATA_HOME"]
    : ["DATABASE_URL"];
  const decider = deciders.find((variable) => env[variable] !== undefined || dotEnv?.names.includes(variable));
  if (!decider || !dotEnv?.names.includes(decider)) return name;
  return t("cli.login.where_dotenv", { where: name, variable: decider, file: dotEnv.path });
}
