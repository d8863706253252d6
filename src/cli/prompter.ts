/**
 * The real {@link Prompter} and {@link Clock} of a run, and the dependencies
 * of its commands: questions go through `prompts.ts` (inquirer, only on a
 * terminal) and passwords through `fields.ts`, so their rules stay in one
 * place.
 * @module
 */
import type { Clock, Deps, Prompter } from "./command.ts";
import { readPassword } from "./fields.ts";
import { promptConfirm, promptSelect, promptText } from "./prompts.ts";
import type { Runtime } from "./runtime.ts";
import { crmFor, parseServerUrl, rememberServer, remoteCrm, serverOf } from "./server_mode.ts";

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
    crm: crmFor(rt),
    clock: runtimeClock(rt),
    prompter: runtimePrompter(rt),
    servers: {
      current: () => serverOf(rt)?.url.href.replace(/\/$/, ""),
      at(url) {
        const server = parseServerUrl(url, "--server");
        // From here on this run is in server mode: the configuration (if not
        // read yet) is read without DATABASE_URL and SECRET_KEY.
        rt.io.env = { ...rt.io.env, EPIC_EVENTS_SERVER: server.href };
        return { crm: remoteCrm(rt, server), remember: () => rememberServer(rt, server) };
      },
    },
  };
}
