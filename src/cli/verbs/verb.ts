/**
 * What a command is made of, and how one is put on the commander program.
 *
 * A command (`client list`, `contract sign` …) is a {@link Verb}: a
 * declarative {@link VerbSpec} (purpose, arguments, flags, examples, the
 * environment it reads — everything its `--help` shows), a `parse` function
 * (the constructor of its options: flags in, a typed options object out,
 * refusals naming the flag; no database needed) and a `run` function taking
 * those options and the injected {@link Deps} (streams, the {@link Crm} port,
 * the clock, prompts), so that it runs in tests against a fake port.
 * @module
 */
import { type Command, CommanderError, Option } from "@commander-js/extra-typings";
import { AppError, InvalidInputError } from "../../domain/errors.ts";
import type { Crm } from "../../port/crm.ts";
import { type Format, FORMATS } from "../output/formats.ts";
import type { Io } from "../app/io.ts";
import { type MessageValues, t } from "../../i18n/mod.ts";
import { commanderText } from "../app/commander_text.ts";

/** The clock, and the zone local times are read and shown in. */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /** IANA zone of local times (the `TZ` variable); undefined: the system's. */
  readonly timeZone?: string;
}

/** A choice of a select prompt. */
export interface Choice<T> {
  name: string;
  value: T;
}

/** A validator of a prompt: true, or the reason the answer is refused. */
export type Validate = (value: string) => string | true;

/** Questions to the user; only ever asked when stdin is a terminal. */
export interface Prompter {
  /** Whether questions may be asked (stdin is a terminal). */
  readonly interactive: boolean;
  /** Asks for a line of text, re-asking until `validate` accepts it. */
  text(label: string, options?: { validate?: Validate }): Promise<string>;
  /** Asks to pick one of `choices`. */
  select<T>(label: string, choices: readonly Choice<T>[]): Promise<T>;
  /** Asks yes/no (default no). */
  confirm(message: string): Promise<boolean>;
  /**
   * Reads a password: from stdin with `fromStdin`, else a masked prompt
   * (re-asked at once when `validate` refuses it; asked twice with
   * `confirm`), else exit 2.
   */
  password(options: { fromStdin?: boolean; confirm?: boolean; label?: string; validate?: Validate }): Promise<string>;
}

/** What a run function is given. */
export interface Deps {
  io: Io;
  /** `--wide`: tables as wide as their content (nothing shortened or hidden to fit the terminal). */
  wide?: boolean;
  crm: Crm;
  clock: Clock;
  prompter: Prompter;
  /** Server mode, where the run has it (`login --server`, `whoami`). */
  servers?: Servers;
}

/**
 * Gives a command its dependencies when it is about to run (after its flags
 * were read): the program imports the port, the services and the database
 * behind them only then, never for `--help` or a usage error.
 */
export type LoadDeps<D = Deps> = () => D | Promise<D>;

/** How `login --server` and `whoami` see server mode. */
export interface Servers {
  /** The URL of the server this CLI uses, if one is configured. */
  current(): string | undefined;
  /**
   * Where a login without `--server` sends the password, for the user to
   * read before typing it: the server's URL, or the local database (its
   * password masked, and the `.env` file that chose it, if one did).
   */
  where(): string;
  /**
   * The port to log in through at `url` (exit 2 unless https://, or http://
   * on a loopback address), trusting the CA in the file `caCert` if given, and
   * how to remember that server (and that CA) once logged in.
   */
  at(url: string, options?: { caCert?: string }): { crm: Crm; where: string; remember(): Promise<void> };
}

/** `--password-stdin` of `init`, `login`, `user create` and `user update`. */
export const PASSWORD_STDIN: FlagDef = {
  flag: "--password-stdin",
  help: "cli.flag.password_stdin",
};

/** A flag of a command. */
export interface FlagDef {
  /** The long flag, e.g. `--total`. */
  flag: string;
  /** A one-letter form, e.g. `-y`. */
  short?: string;
  /** Name of its value (`amount` shows as `<amount>`); none for a yes/no switch. */
  arg?: string;
  /** What it does, for `--help`: a message key (`cli.…`), translated when the command is put on the program. */
  help: string;
  /** Values of the placeholders of {@link help}. */
  helpValues?: MessageValues;
  /** Marked in `--help`: true → `(required)`; a text (a role) → `(required for …text)`. */
  required?: boolean | string;
  /** JSON name of the field it sets, so that messages about the field name the flag. */
  field?: string;
}

/** A positional argument (always required). */
export interface ArgDef {
  name: string;
  /** A message key. */
  help: string;
  /** Values of the placeholders of {@link help}. */
  helpValues?: MessageValues;
}

/** Everything `--help` shows of a command. */
export interface VerbSpec {
  /** The verb, e.g. `list`. */
  name: string;
  /** One line: what it is for (a message key, like every text of a spec). */
  summary: string;
  args?: readonly ArgDef[];
  flags: readonly FlagDef[];
  /**
   * The key of one to three command lines, without the program name, one a
   * line (a caption after `  # `): examples are worded per language too. An
   * array is taken as the lines themselves (commands without captions).
   */
  examples: string | readonly string[];
  /** Environment variables it reads (described once in {@link ENVIRONMENT}). */
  env: readonly string[];
}

/** What the command line gave a command. */
export interface VerbInput {
  /** Positional arguments, in order. */
  args: readonly string[];
  /** Flag values by long flag (`"--total"`); switches are true when given. */
  flags: Readonly<Record<string, string | boolean | undefined>>;
  /** Global `--json`. */
  json?: boolean;
  /** Global `--format`, as typed. */
  format?: string;
}

/**
 * One command: its help, its options' constructor and its run function; `D`
 * is what it runs with (operator commands get another port than {@link Crm}).
 */
export interface Verb<O, D = Deps> {
  spec: VerbSpec;
  parse(input: VerbInput): O;
  run(options: O, deps: D): Promise<void>;
}

/**
 * The environment variables a command may read, each described once in the
 * catalogs (`cli.env.<NAME>`, PRODUCT.md §4).
 */
export const ENVIRONMENT: readonly string[] = [
  "DATABASE_URL",
  "SECRET_KEY",
  "EPIC_EVENTS_TOKEN",
  "EPIC_EVENTS_CONFIG_DIR",
  "EPIC_EVENTS_SERVER",
  "EPIC_EVENTS_CA_CERT",
  "TZ",
  "NO_COLOR",
  "EPIC_EVENTS_DATA_DIR",
  "EPIC_EVENTS_BACKUP_DIR",
  "BACKUP_KEY",
  "DATABASE_CONNECT_TIMEOUT",
  "BCRYPT_ROUNDS",
  "ACCESS_TOKEN_EXPIRE_MINUTES",
];

/** Variables every command that reaches the CRM reads. */
export const CRM_ENV: readonly string[] = ["DATABASE_URL", "SECRET_KEY", "EPIC_EVENTS_TOKEN", "EPIC_EVENTS_CONFIG_DIR"];

/** The same plus what tables read (dates are shown in `TZ`). */
export const TABLE_ENV: readonly string[] = [...CRM_ENV, "TZ", "NO_COLOR"];

/**
 * The output format asked for: `--format`, or `--json` (short for `--format
 * json`); undefined means "a table on a terminal, tab-separated lines when piped".
 *
 * @throws {InvalidInputError} for an unknown format, or `--json` with another format
 */
export function outputFormat(input: Pick<VerbInput, "json" | "format">): Format | undefined {
  const typed = input.format?.trim().toLowerCase();
  if (typed === undefined) return input.json ? "json" : undefined;
  if (!(FORMATS as readonly string[]).includes(typed)) {
    throw new InvalidInputError(t("cli.format.unknown", { formats: FORMATS.join(", ") }), "format");
  }
  if (input.json && typed !== "json") {
    throw new InvalidInputError(t("cli.format.json_and_format", { format: typed }), "format");
  }
  return typed as Format;
}

/** The format used: the one asked for, else a table on a terminal and TSV when piped. */
export function resolveFormat(format: Format | undefined, io: Io): Format {
  return format ?? (io.stdoutIsTerminal ? "table" : "tsv");
}

/** A flag as typed, or undefined; `--x` given as a switch reads as true. */
export function text(input: VerbInput, flag: string): string | undefined {
  const value = input.flags[flag];
  return typeof value === "string" ? value : undefined;
}

/** Whether a switch was given. */
export function isSet(input: VerbInput, flag: string): boolean {
  return input.flags[flag] === true;
}

/**
 * `missing required option(s): --a, --b`: the flags a command needs and did
 * not get (here, not beside the fields: `login` uses it, and `--help` must
 * not load the contract's schemas).
 */
export function missingOptions(flags: readonly string[]): string {
  return t("cli.fields.missing", { count: flags.length, flags: flags.join(", ") });
}

/** A flag's help in the language in use, its requirement marked. */
export function helpText(def: FlagDef): string {
  const help = t(def.help, def.helpValues);
  if (!def.required) return help;
  return typeof def.required === "string"
    ? t("cli.help.required_for", { help, who: def.required })
    : t("cli.help.required", { help });
}

/** The example lines of a spec, in the language in use. */
export function examplesOf(spec: Pick<VerbSpec, "examples">): string[] {
  return typeof spec.examples === "string" ? t(spec.examples).split("\n") : [...spec.examples];
}

/** What an environment variable is for, in the language in use. */
export function environmentHelp(name: string): string {
  return ENVIRONMENT.includes(name) ? t(`cli.env.${name}`) : "";
}

/** The lines `--help` shows after the flags: examples and environment. */
export function helpFooter(spec: VerbSpec): string {
  const lines = ["", t("cli.help.examples"), ...examplesOf(spec).map((e) => `  $ epic-events ${e}`)];
  if (spec.env.length > 0) {
    const width = Math.max(...spec.env.map((name) => name.length));
    lines.push(
      "",
      t("cli.help.environment"),
      ...spec.env.map((name) => `  ${name.padEnd(width)}  ${environmentHelp(name)}`),
    );
  }
  lines.push("", t("cli.help.more"));
  return lines.join("\n");
}

/**
 * Rewrites an error about a field so that it names the flag typed: its
 * leading `total_amount:` becomes `--total:`, other field names with an
 * underscore in the text (`must be after start_date`) become their flags,
 * and a name the use case quotes as an option to give (`` add `cascade` ``)
 * becomes its flag (`add --cascade`). The JSON `field` is left as it is (the
 * JSON name).
 */
export function nameFlags(error: unknown, flags: readonly FlagDef[], typed: VerbInput["flags"]): unknown {
  if (!(error instanceof AppError)) return error;
  const flagOf = new Map<string, string>();
  for (const def of flags) {
    if (def.field === undefined) continue;
    // The alias the user typed wins over the flag's main name.
    if (!flagOf.has(def.field) || typed[def.flag] !== undefined) flagOf.set(def.field, def.flag);
  }
  // In every language (the French colon follows a non-breaking space).
  error.reword((text) => {
    let message = text;
    const prefix = /^([a-z][a-z_]*)(\u00a0?): /.exec(message);
    const lead = prefix && flagOf.get(prefix[1]);
    if (lead) message = `${lead}${prefix[2]}: ${message.slice(prefix[0].length)}`;
    return message.replace(/`([a-z][a-z_]*)`|\b[a-z]+(?:_[a-z]+)+\b/g, (match, quoted?: string) => {
      if (quoted === undefined) return flagOf.get(match) ?? match;
      return flagOf.get(quoted) ?? `--${quoted.replaceAll("_", "-")}`;
    });
  });
  return error;
}

function usageOnError(command: Command<unknown[], Record<string, unknown>, Record<string, unknown>>) {
  return (error: CommanderError) => {
    if (error.code === "commander.missingArgument" || error.code === "commander.excessArguments") {
      const usage = command.createHelp().commandUsage(command as never);
      // Commander ends some messages with a period: one before the usage is enough.
      const said = commanderText(error.code, error.message.trim()).replace(/\.$/, "");
      const message = t("cli.help.usage_after_error", { message: said, usage });
      throw new CommanderError(error.exitCode, error.code, message);
    }
    if (error.code !== "commander.executeSubCommandAsync") throw error;
  };
}

/** The full command path below the program, e.g. `client create`. */
export function commandPath(command: { name(): string; parent: unknown }): string {
  const names: string[] = [];
  for (let c = command as { name(): string; parent: unknown } | null; c?.parent; c = c.parent as typeof c) {
    names.unshift(c.name());
  }
  return names.join(" ");
}

/**
 * Adds `verb` below `noun` (`isDefault`: the noun alone runs it). Its action
 * reads the flags, builds the options with `verb.parse`, then runs it with
 * `deps()`; errors about a field are renamed to the flag typed.
 */
export function addVerb<O, D = Deps>(
  noun: Command,
  verb: Verb<O, D>,
  deps: LoadDeps<D>,
  { isDefault = false }: { isDefault?: boolean } = {},
): void {
  const { spec } = verb;
  const command = noun.command(spec.name, { isDefault }).description(t(spec.summary));
  command.exitOverride(usageOnError(command as never) as never);
  for (const arg of spec.args ?? []) command.argument(`<${arg.name}>`, t(arg.help, arg.helpValues));
  const options = spec.flags.map((def) => {
    const names = def.short ? `${def.short}, ${def.flag}` : def.flag;
    const option = new Option(def.arg ? `${names} <${def.arg}>` : names, helpText(def));
    command.addOption(option as never);
    return [def.flag, option.attributeName()] as const;
  });
  command.addHelpText("after", helpFooter(spec));
  command.action(async (...received: unknown[]) => {
    const args = received.slice(0, spec.args?.length ?? 0) as string[];
    const globals = command.optsWithGlobals() as { json?: boolean; format?: string };
    const flags: Record<string, string | boolean | undefined> = {};
    for (const [flag, attribute] of options) flags[flag] = command.getOptionValue(attribute) as string | boolean;
    const input: VerbInput = { args, flags, json: globals.json, format: globals.format };
    const parsed = verb.parse(input);
    try {
      await verb.run(parsed, await deps());
    } catch (error) {
      throw nameFlags(error, spec.flags, flags);
    }
  });
}
