/**
 * What shell completion knows of the program, read from the commander tree
 * itself: every command with its subcommands, its flags (its own, then those
 * of the commands above it, as commander accepts them anywhere) and its
 * positional arguments, and what each value may be. New commands and flags
 * complete without a word written here.
 *
 * A value's words come from commander's `choices` when the option or
 * argument declares them, else from the one table of enumerated values by
 * flag ({@link FLAG_VALUES}: roles, audit entities, formats, yes/no — the
 * same lists the commands accept), by argument name ({@link ARGUMENT_VALUES})
 * or by the value's name (`<file>`, `<dir>`: paths).
 * @module
 */
import type { Argument, Command, Option } from "@commander-js/extra-typings";
import { ROLES } from "../../../domain/roles.ts";
import { FORMATS } from "../../output/formats.ts";
import { BOOLEAN_WORDS } from "../../input/values.ts";
import { AUDIT_ENTITIES } from "../../../domain/audit_entities.ts";
import { t } from "../../../i18n/mod.ts";
import { LANGS } from "../../../domain/lang.ts";

/** The shells a completion script is written for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A shell. */
export type Shell = typeof SHELLS[number];

/** What a value may be: one of some words, a path, or anything (nothing to offer). */
export type Values = { words: readonly string[] } | { path: "file" | "dir" } | null;

/** The words a flag's value is one of, whatever the command. */
export const FLAG_VALUES: Readonly<Record<string, readonly string[]>> = {
  "--role": ROLES,
  "--entity": AUDIT_ENTITIES,
  "--format": FORMATS,
  "--signed-status": Object.keys(BOOLEAN_WORDS),
  "--lang": LANGS,
};

/** The words a positional argument is one of, by its name. */
export const ARGUMENT_VALUES: Readonly<Record<string, readonly string[]>> = { shell: SHELLS };

/** Values named like a path complete as paths. */
const PATH_NAMES: Readonly<Record<string, "file" | "dir">> = { file: "file", dir: "dir", folder: "dir" };

/** A flag as completion offers it. */
export interface FlagInfo {
  /** Path of the command that declares it (`""`: the program); commands below it take it too. */
  owner: string;
  /** `--format`. */
  long?: string;
  /** `-y`. */
  short?: string;
  description: string;
  /** Whether a value follows it. */
  takesValue: boolean;
  /** What that value may be. */
  values: Values;
}

/** One command: `path` is `""` for the program, `client list` for a verb. */
export interface CompletionNode {
  path: string;
  subcommands: Array<{ name: string; description: string }>;
  flags: FlagInfo[];
  /** Each positional argument's values, in order (the last repeats when variadic). */
  args: Values[];
}

type AnyCommand = Command<unknown[], Record<string, unknown>, Record<string, unknown>>;

function valueName(flags: string): string | undefined {
  return /[<[]([^>\]]+)[>\]]/.exec(flags)?.[1];
}

function optionValues(option: Option): Values {
  if (option.argChoices) return { words: option.argChoices };
  const words = option.long ? FLAG_VALUES[option.long] : undefined;
  if (words) return { words };
  const path = PATH_NAMES[valueName(option.flags) ?? ""];
  return path ? { path } : null;
}

function argumentValues(argument: Argument): Values {
  if (argument.argChoices) return { words: argument.argChoices };
  const words = ARGUMENT_VALUES[argument.name()];
  if (words) return { words };
  const path = PATH_NAMES[argument.name()];
  return path ? { path } : null;
}

function flagInfo(option: Option, owner: string): FlagInfo {
  const takesValue = option.required || option.optional;
  return {
    owner,
    long: option.long,
    short: option.short,
    description: option.description,
    takesValue,
    values: takesValue ? optionValues(option) : null,
  };
}

/** `client list` for that command, `""` for the program. */
function pathOf(command: AnyCommand): string {
  const names: string[] = [];
  for (let c = command; c.parent; c = c.parent as AnyCommand) names.unshift(c.name());
  return names.join(" ");
}

/** `-h, --help`, described in the language in use. */
function helpFlag(): FlagInfo {
  return {
    owner: "",
    long: "--help",
    short: "-h",
    description: t("cli.completions.help_flag"),
    takesValue: false,
    values: null,
  };
}

/**
 * The flags `command` accepts: its own, then its ancestors' (as commander
 * accepts them anywhere below; `--version` only on the program itself),
 * then `-h, --help`; hidden ones are left out.
 */
function flagsOf(command: AnyCommand): FlagInfo[] {
  const flags: FlagInfo[] = [];
  for (let c: AnyCommand | null = command; c; c = c.parent as AnyCommand | null) {
    const owner = pathOf(c);
    for (const option of c.options as Option[]) {
      if (option.hidden || (c !== command && option.long === "--version")) continue;
      flags.push(flagInfo(option, owner));
    }
  }
  return [...flags, helpFlag()];
}

/** Every command of `program`, the program first, then depth first. */
export function completionTree(program: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const visit = (command: AnyCommand, path: string): void => {
    const children = command.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden) as AnyCommand[];
    nodes.push({
      path,
      subcommands: children.flatMap((c) =>
        [c.name(), ...c.aliases()].map((name) => ({ name, description: c.description() }))
      ),
      flags: flagsOf(command),
      args: command.registeredArguments.map((a) => argumentValues(a as Argument)),
    });
    for (const child of children) visit(child, path ? `${path} ${child.name()}` : child.name());
  };
  visit(program as unknown as AnyCommand, "");
  return nodes;
}
