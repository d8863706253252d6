/**
 * `epic-events login [--email EMAIL] [--password-stdin]`. The password is
 * never a flag's value: it is read from stdin or asked for, masked.
 *
 * The session is kept by the port's adapter; `--server URL` picks which
 * adapter logs in (a server instead of the configured one, remembered once
 * the login succeeds), and nothing else here changes.
 * @module
 */
import type { Me } from "../../../port/crm.ts";
import { InvalidInputError } from "../../../domain/errors.ts";
import { type Deps, outputFormat, PASSWORD_STDIN, text, type VerbInput, type VerbSpec } from "../../command.ts";
import type { Format } from "../../format.ts";
import { showRecord, tell } from "../../record.ts";
import { ME_COLUMNS } from "./whoami.ts";

/** Options of `login`. */
export interface LoginOptions {
  email?: string;
  passwordStdin: boolean;
  /** `--server URL`: log in to that `epic-events serve`. */
  server?: string;
  format?: Format;
}

/** What `login --help` shows. */
export const spec: VerbSpec = {
  name: "login",
  summary: "log in: keeps a session token for the next commands (asks for what is missing on a terminal)",
  flags: [
    { flag: "--email", arg: "email", help: "your email", field: "email" },
    PASSWORD_STDIN,
    {
      flag: "--server",
      arg: "url",
      help: "log in to an `epic-events serve` (https://, or http:// on loopback); remembered for the next commands",
    },
  ],
  examples: [
    "login  # on a terminal: asks for the email and a masked password",
    'login --email ada@epic.test --password-stdin < "$PASSWORD_FILE"',
    "login --server https://crm.example.com  # then every command goes through that server",
  ],
  env: [
    "DATABASE_URL",
    "SECRET_KEY",
    "EPIC_EVENTS_CONFIG_DIR",
    "ACCESS_TOKEN_EXPIRE_MINUTES",
    "BCRYPT_ROUNDS",
    "EPIC_EVENTS_SERVER",
    "EPIC_EVENTS_CA_CERT",
  ],
};

/** Reads `--email`, `--password-stdin` and the output format. */
export function parse(input: VerbInput): LoginOptions {
  return {
    email: text(input, "--email"),
    passwordStdin: input.flags["--password-stdin"] === true,
    ...(input.flags["--server"] !== undefined ? { server: text(input, "--server") } : {}),
    format: outputFormat(input),
  };
}

/** Checks that a login can be tried, asks for what is missing, logs in, says so on stderr (and prints who, with `--json` or `--format`). */
export async function run(options: LoginOptions, deps: Deps): Promise<void> {
  let crm = deps.crm;
  let remember = () => Promise.resolve();
  if (options.server !== undefined) {
    if (!deps.servers) throw new InvalidInputError("--server: server mode is not available here", "--server");
    ({ crm, remember } = deps.servers.at(options.server));
  }
  await crm.prepareLogin();
  let email = options.email;
  if (email === undefined) {
    if (!deps.prompter.interactive) throw new InvalidInputError("missing required option: --email", "email");
    email = await deps.prompter.text("Email");
  }
  const password = await deps.prompter.password({ fromStdin: options.passwordStdin });
  const { user, expires_at } = await crm.login({ email, password });
  await remember();
  const me: Me = { ...user, expires_at };
  if (options.format !== "json") {
    tell(deps, `Logged in as ${me.first_name} ${me.last_name} (${me.role}); the session expires at ${expires_at}.`);
  }
  if (options.format !== undefined) await showRecord(deps, ME_COLUMNS, options.format, publicMe(me));
}

/** Exactly the fields of {@link Me} (a user record holds more). */
function publicMe(me: Me): Me {
  const { id, email, first_name, last_name, role, expires_at } = me;
  return { id, email, first_name, last_name, role, expires_at };
}
