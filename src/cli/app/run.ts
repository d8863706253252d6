/**
 * Runs the program once and returns its exit code. What needs no program is
 * answered here, from modules that load no `node:` built-in (the first one
 * costs Deno its Node compatibility layer, more than the rest of `--help`):
 * `--version`, and the program's own help (`--help`, `-h`, `help`, laid out
 * as commander lays it out: `top_help.ts`). Everything else — commander, the
 * command, the configuration, the logs — is `run_program.ts`, imported then.
 * @module
 */
import { type Io, OutputClosedError } from "./io.ts";
import { VERSION } from "./version.ts";
import { type Lang, langFlagOf, resolveLang } from "../../domain/lang.ts";
import { importCatalog } from "../../i18n/mod.ts";
import { helpWidthOf, isTopLevelHelp, topLevelHelp } from "./top_help.ts";

/** The language of `argv`, or undefined when its choice is wrong (the full run reports that: exit 2). */
function langOf(argv: readonly string[], io: Io): Lang | undefined {
  try {
    return resolveLang({ flag: langFlagOf(argv), env: io.env });
  } catch {
    return undefined;
  }
}

/** Runs `argv` (without the program name) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const lang = langOf(argv, io);
  const version = argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V");
  if (lang !== undefined && (version || isTopLevelHelp(argv))) {
    try {
      if (version) io.writeOut(`${VERSION}\n`);
      else io.writeOut(topLevelHelp(await importCatalog(lang), helpWidthOf(io)));
    } catch (error) {
      // The reader of stdout went away (`--help | head`): stop quietly, as the full run does.
      if (error instanceof OutputClosedError) return 0;
      // Any other failure is reported as every run's is: its exit code, its line, the logs.
      return (await import("./run_program.ts")).runProgram(argv, io, { error });
    }
    return 0;
  }
  return (await import("./run_program.ts")).runProgram(argv, io);
}
