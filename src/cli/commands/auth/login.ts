/**
 * `epic-events login [--email EMAIL] [--password-stdin]`. The password is
 * never a flag's value: it is read from stdin or asked for, masked.
 *
 * The session is kept by the port's adapter; `--server URL` picks which
 * adapter logs in (a server instead of the configured one, remembered once
 * the login succeeds, with the CA of `--ca-cert FILE`), and nothing else here
 * changes. On a terminal it says where the password is about to go before
 * asking for it.
 * @module
 */
import type { Me } from "../../../port/crm.ts";
import { InvalidInputError } from "../../../domain/errors.ts";
import {
  type Deps,
  missingOptions,
  outputFormat,
  PASSWORD_STDIN,
  text,
  type VerbInput,
  type VerbSpec,
} from "../../verbs/verb.ts";
import { escapeControls, type Format, localTime } from "../../output/formats.ts";
import { showRecord, tell } from "../../output/record.ts";
import { roleName } from "../../output/print.ts";
import { ME_COLUMNS } from "./whoami.ts";
import { t } from "../../../i18n/mod.ts";

/** Options of `login`. */
export interface LoginOptions {
  email?: string;
  passwordStdin: boolean;
  /** `--server URL`: log in to that `epic-events serve`. */
  server?: string;
  /** `--ca-cert FILE`: the CA to trust for `--server` (a copy is kept with it). */
  caCert?: string;
  format?: Format;
}

/** What `login --help` shows. */
export const spec: VerbSpec = {
  name: "login",
  summary: "cli.auth.login.summary",
  flags: [
    { flag: "--email", arg: "email", help: "cli.login.email", field: "email" },
    PASSWORD_STDIN,
    {
      flag: "--server",
      arg: "url",
      help: "cli.login.server",
    },
    {
      flag: "--ca-cert",
      arg: "file",
      help: "cli.login.ca_cert",
    },
  ],
  examples: "cli.auth.login.examples",
  env: [
    "DATABASE_URL",
    "SECRET_KEY",
    "EPIC_EVENTS_CONFIG_DIR",
    "ACCESS_TOKEN_EXPIRE_MINUTES",
    "BCRYPT_ROUNDS",
    "EPIC_EVENTS_SERVER",
    "EPIC_EVENTS_CA_CERT",
    "TZ",
  ],
};

/** Reads `--email`, `--password-stdin` and the output format. */
export function parse(input: VerbInput): LoginOptions {
  return {
    email: text(input, "--email"),
    passwordStdin: input.flags["--password-stdin"] === true,
    ...(input.flags["--server"] !== undefined ? { server: text(input, "--server") } : {}),
    ...(input.flags["--ca-cert"] !== undefined ? { caCert: text(input, "--ca-cert") } : {}),
    format: outputFormat(input),
  };
}

/**
 * Checks that a login can be tried, asks for what is missing (on a terminal,
 * saying first where the password goes), logs in, says so on stderr with the
 * expiry in local time (and prints who, with `--json` or `--format`).
 */
export async function run(options: LoginOptions, deps: Deps): Promise<void> {
  let crm = deps.crm;
  let where = deps.servers?.where;
  let remember = () => Promise.resolve();
  if (options.server !== undefined) {
    if (!deps.servers) throw new InvalidInputError(t("cli.login.no_server_mode"), "--server");
    const at = deps.servers.at(options.server, { caCert: options.caCert });
    ({ crm, remember } = at);
    where = () => at.where;
  } else if (options.caCert !== undefined) {
    throw new InvalidInputError(t("cli.login.ca_cert_alone"), "--ca-cert");
  }
  // An unknown TZ is refused now (exit 2), not after the login succeeded.
  if (options.format !== "json") localTime(new Date(0).toISOString(), deps.clock.timeZone);
  await crm.prepareLogin();
  let email = options.email;
  if (email === undefined) {
    if (!deps.prompter.interactive) throw new InvalidInputError(missingOptions(["--email"]), "email");
    email = await deps.prompter.text(t("cli.login.email_prompt"));
  }
  if (!options.passwordStdin && deps.prompter.interactive && where) {
    tell(deps, escapeControls(t("cli.login.where", { where: where(), email })));
  }
  const password = await deps.prompter.password({ fromStdin: options.passwordStdin });
  const { user, expires_at } = await crm.login({ email, password });
  await remember();
  const me: Me = { ...user, expires_at };
  if (options.format !== "json") {
    const expires = localTime(expires_at, deps.clock.timeZone);
    const name = `${me.first_name} ${me.last_name}`;
    // The role as tables name it (`Management`, `Commercial`); `--json` keeps its value.
    tell(deps, t("cli.login.done", { name, role: roleName(me.role), expires }));
  }
  if (options.format !== undefined) await showRecord(deps, ME_COLUMNS, options.format, publicMe(me));
}

/** Exactly the fields of {@link Me} (a user record holds more). */
function publicMe(me: Me): Me {
  const { id, email, first_name, last_name, role, expires_at } = me;
  return { id, email, first_name, last_name, role, expires_at };
}
