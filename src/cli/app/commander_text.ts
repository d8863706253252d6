/**
 * Commander's own refusals (`unknown option '--x'`, `missing required
 * argument 'id'` …) in the language in use. Commander writes them in English
 * only; they are recognised by their code and their shape and said again from
 * the catalog (whose English is commander's, word for word). A message of
 * another shape is left as it is.
 * @module
 */
import { t } from "../../i18n/mod.ts";

/** `\n(Did you mean contract?)` and `\n(Did you mean one of a, b?)`, as commander appends them. */
const SUGGESTION = /\n\(Did you mean (one of )?(.+)\?\)$/s;

function suggestion(text: string): { base: string; hint: string } {
  const match = SUGGESTION.exec(text);
  if (!match) return { base: text, hint: "" };
  const key = match[1] ? "cli.commander.did_you_mean_one_of" : "cli.commander.did_you_mean";
  return { base: text.slice(0, match.index), hint: `\n${t(key, { names: match[2] })}` };
}

/** The body of a commander message in the language in use (`error: ` is kept when it leads). */
export function commanderText(code: string, message: string): string {
  const lead = /^error:\s*/.exec(message)?.[0] ?? "";
  const { base, hint } = suggestion(message.slice(lead.length));
  let match: RegExpExecArray | null;
  let said: string | undefined;
  switch (code) {
    case "commander.missingArgument":
      match = /^missing required argument '(.+)'$/.exec(base);
      if (match) said = t("cli.commander.missing_argument", { name: match[1] });
      break;
    case "commander.optionMissingArgument":
      match = /^option '(.+)' argument missing$/.exec(base);
      if (match) said = t("cli.commander.option_missing_argument", { flags: match[1] });
      break;
    case "commander.unknownOption":
      match = /^unknown option '(.+)'$/.exec(base);
      if (match) said = t("cli.commander.unknown_option", { option: match[1] });
      break;
    case "commander.unknownCommand":
      match = /^unknown command '(.+)'$/.exec(base);
      if (match) said = t("cli.commander.unknown_command", { command: match[1] });
      break;
    case "commander.excessArguments":
      match = /^too many arguments for '(.+)'\. Expected (\d+) arguments? but got (\d+): (.*)\.$/s.exec(base);
      if (match) {
        said = t("cli.commander.too_many_arguments", {
          command: match[1],
          count: Number(match[2]),
          received: match[3],
          details: match[4],
        });
      }
      break;
  }
  return said === undefined ? message : `${lead}${said}${hint}`;
}
