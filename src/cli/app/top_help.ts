/**
 * The program's own help (`epic-events --help`, `-h`, `help`), printed
 * without commander: commander's module imports `node:fs`, `node:process`,
 * `node:child_process` and `node:events`, and the first `node:` module alone
 * costs Deno its Node compatibility layer — more than the rest of the help
 * put together (docs/performance.md, "Start-up"). The page is laid out here
 * the way commander's `Help.formatHelp` lays it out (the same padding and
 * wrapping, at the same width); `tests/cli/top_help_test.ts` proves the text
 * byte-identical to commander's in both languages at several widths, so a
 * command or a global flag added to the program and not to
 * {@link TOP_LEVEL_HELP} fails there.
 * @module
 */
import type { Catalog } from "../../i18n/mod.ts";
import { LAZY_COMMAND_DESCRIPTIONS, NOUN_DESCRIPTIONS } from "../commands/nouns.ts";
import { FORMATS } from "../output/formats.ts";
import type { Io } from "./io.ts";

/** A line of a help section: what is typed, and the key of what it does (with its values). */
type Entry = readonly [term: string, key: string, values?: Readonly<Record<string, string>>];

/** The program's help, in the order commander lists it: global flags, then commands. */
export const TOP_LEVEL_HELP: { options: readonly Entry[]; commands: readonly Entry[] } = {
  options: [
    ["-V, --version", "cli.program.version"],
    ["--json", "cli.program.json"],
    ["--format <format>", "cli.program.format", { formats: FORMATS.join(", ") }],
    ["--debug", "cli.program.debug"],
    ["--wide", "tables.wideHelp"],
    ["--lang <lang>", "cli.program.lang"],
    ["-h, --help", "cli.program.help"],
  ],
  commands: [
    ["init [options]", LAZY_COMMAND_DESCRIPTIONS.init],
    ["login [options]", "cli.auth.login.summary"],
    ["logout [options]", "cli.auth.logout.summary"],
    ["whoami", "cli.auth.whoami.summary"],
    ...Object.entries(NOUN_DESCRIPTIONS).map(([noun, key]): Entry => [noun, key]),
    ["completions <shell>", "cli.completions.summary"],
    ["serve [options]", "cli.serve.summary"],
    ["help [command...]", "cli.program.help_command"],
  ],
};

/**
 * Whether `argv` asks for the program's own help only: `--help`, `-h` or
 * `help`, with at most a `--lang` (already read: the help is in its language).
 */
export function isTopLevelHelp(argv: readonly string[]): boolean {
  const rest = argv.filter((arg, i) => arg !== "--lang" && argv[i - 1] !== "--lang" && !arg.startsWith("--lang="));
  return rest.length === 1 && (rest[0] === "--help" || rest[0] === "-h" || rest[0] === "help") &&
    argv.lastIndexOf("--lang") !== argv.length - 1;
}

/**
 * The width commander wraps help to on standard output: the terminal's, when
 * it is one (0 for a pty never sized: nothing is wrapped, as commander does
 * with `process.stdout.columns`); otherwise 80 (commander's default).
 */
export function helpWidthOf(io: Io): number {
  return (io.stdoutIsTerminal ? io.terminalColumns?.() : undefined) ?? 80;
}

/** Below this width left for a description, commander does not wrap it (`Help.minWidthToWrap`). */
const MIN_WIDTH_TO_WRAP = 40;

/** `text` wrapped at spaces to `width` columns, as commander's `Help.boxWrap` does. */
function boxWrap(text: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return text;
  const wrapped: string[] = [];
  for (const line of text.split(/\r\n|\n/)) {
    const chunks = line.match(/[\s]*[^\s]+/g);
    if (chunks === null) {
      wrapped.push("");
      continue;
    }
    let current = chunks.shift()!;
    for (const chunk of chunks) {
      if (current.length + chunk.length <= width) {
        current += chunk;
        continue;
      }
      wrapped.push(current);
      current = chunk.trimStart();
    }
    wrapped.push(current);
  }
  return wrapped.join("\n");
}

/** One line of a list (term, then its description wrapped beside it), as commander's `Help.formatItem`. */
function formatItem(term: string, termWidth: number, description: string, helpWidth: number): string {
  const indent = "  ";
  if (!description) return indent + term;
  const remaining = helpWidth - termWidth - 2 - indent.length;
  const text = remaining < MIN_WIDTH_TO_WRAP || /\n[^\S\r\n]/.test(description)
    ? description
    : boxWrap(description, remaining).replace(/\n/g, "\n" + " ".repeat(termWidth + 2));
  return indent + term.padEnd(termWidth) + "  " + text.replace(/\n/g, `\n${indent}`);
}

/**
 * The message `key` of `catalog`, its placeholders filled: the help's
 * messages have no plural forms, so the catalog is read without i18next (its
 * import and set-up cost ~0.5× Deno's floor), and the test against
 * commander's text, which goes through i18next, proves the two agree.
 */
function message(catalog: Catalog, key: string, values: Readonly<Record<string, string>> = {}): string {
  return (catalog[key] ?? key).replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}

/** The program's help page in `catalog`'s language, `helpWidth` columns wide. */
export function topLevelHelp(catalog: Catalog, helpWidth: number): string {
  const t = (key: string, values?: Readonly<Record<string, string>>) => message(catalog, key, values);
  const sections = [
    { title: t("cli.help.title.options"), entries: TOP_LEVEL_HELP.options },
    { title: t("cli.help.title.commands"), entries: TOP_LEVEL_HELP.commands },
  ];
  const termWidth = Math.max(...sections.flatMap((s) => s.entries.map(([term]) => term.length)));
  const lines = [
    `${t("cli.help.title.usage")} epic-events [options] [command]`,
    "",
    boxWrap(t("cli.program.description"), helpWidth),
    "",
  ];
  for (const { title, entries } of sections) {
    lines.push(title, ...entries.map(([term, key, values]) => formatItem(term, termWidth, t(key, values), helpWidth)));
    lines.push("");
  }
  return lines.join("\n");
}
