/**
 * The completion scripts of bash, zsh and fish, written from the
 * {@link CompletionNode}s of the program. Each script holds the tree as data
 * (one `case` branch per command) and one small walk over the words typed so
 * far: flags are skipped (with the value of a flag that takes one), words
 * naming a subcommand descend the tree, other words are positional
 * arguments; a leading `help` completes command names. Then it offers the
 * values of the flag just typed, flags after `-`, subcommands, or the
 * values of the next positional argument.
 * @module
 */
import type { CompletionNode, FlagInfo, Shell, Values } from "./tree.ts";

/** `text` in single quotes for bash and zsh. */
function sq(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `text` in single quotes for fish. */
function fq(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

function flagNames(flag: FlagInfo): string[] {
  return [flag.short, flag.long].filter((name): name is string => name !== undefined);
}

/** One line of help text (first sentence-ish part kept short for menus). */
function summary(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The `case` pattern of bash and zsh matching `key` on `node` and every command below it. */
function ownedPattern(node: CompletionNode, key: string): string {
  const exact = sq(`${node.path}|${key}`);
  if (node.subcommands.length === 0) return exact;
  return node.path === "" ? `*${sq(`|${key}`)}` : `${exact} | ${sq(`${node.path} `)}*${sq(`|${key}`)}`;
}

/**
 * Where each value is completed, as `case` patterns (`path|flag` or
 * `path|#N` for the Nth positional argument): a flag at the command that
 * declares it and below, an argument at its command.
 */
function valuePatterns(nodes: readonly CompletionNode[]): Array<[string, Values]> {
  const patterns: Array<[string, Values]> = [];
  for (const node of nodes) {
    for (const flag of node.flags) {
      if (!flag.takesValue || flag.owner !== node.path) continue;
      for (const name of flagNames(flag)) patterns.push([ownedPattern(node, name), flag.values]);
    }
    node.args.forEach((values, i) => patterns.push([sq(`${node.path}|#${i}`), values]));
  }
  // Inherited flags (patterns with a wildcard) last: a command's own flag of the same name wins.
  return patterns.sort(([a], [b]) => Number(a.includes("*")) - Number(b.includes("*")));
}

/** The `case` branches shared by bash and zsh, grouped by what they complete. */
function shValueBranches(nodes: readonly CompletionNode[]): string[] {
  // One branch per action, wildcard patterns in branches of their own (after the others).
  const groups = new Map<string, { action: string; patterns: string[] }>();
  for (const [pattern, values] of valuePatterns(nodes)) {
    if (values === null) continue;
    const action = "words" in values
      ? `__ee_kind=words __ee_words=${sq(values.words.join(" "))}`
      : `__ee_kind=${values.path}`;
    const key = `${pattern.includes("*")} ${action}`;
    const group = groups.get(key) ?? { action, patterns: [] };
    group.patterns.push(pattern);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ action, patterns }) => `    ${patterns.join(" | ")}) ${action} ;;`);
}

function valued(node: CompletionNode): string {
  return ` ${node.flags.filter((f) => f.takesValue).flatMap(flagNames).join(" ")} `;
}

/** The node function of bash and zsh: scalars, plus (zsh) `name:description` arrays for menus. */
function shNodeFunction(nodes: readonly CompletionNode[], described: boolean): string {
  const branches = nodes.map((node) => {
    const lines = [
      `__ee_subs=${sq(node.subcommands.map((s) => s.name).join(" "))}`,
      `__ee_flags=${sq(node.flags.flatMap(flagNames).join(" "))}`,
      `__ee_valued=${sq(valued(node))}`,
    ];
    if (described) {
      const subs = node.subcommands.map((s) => sq(`${s.name}:${summary(s.description)}`));
      const flags = node.flags.flatMap((f) => flagNames(f).map((name) => sq(`${name}:${summary(f.description)}`)));
      lines.push(`__ee_subs_d=(${subs.join(" ")})`, `__ee_flags_d=(${flags.join(" ")})`);
    }
    return `    ${sq(node.path)})\n${lines.map((l) => `      ${l}`).join("\n")}\n      ;;`;
  });
  return `__epic_events_node() {\n  case $1 in\n${branches.join("\n")}\n  esac\n}`;
}

/**
 * The walk, for bash and zsh alike: `$words` of 1..current-1 (bash: COMP_WORDS
 * from 1, zsh: words from 2) — sets the command path, whether a leading `help`
 * was typed, how many positional arguments were given, and the flag whose
 * value is being typed.
 */
function shStateFunction(first: number, word: string, end: string): string {
  // i18n-ignore: shell code of the completion script, not prose
  return `__epic_events_state() {
  local i word
  __ee_path='' __ee_helping=0 __ee_nargs=0 __ee_pending=''
  __epic_events_node ''
  for ((i = ${first}; i < ${end}; i++)); do
    word=${word}
    if [[ -n $__ee_pending ]]; then
      __ee_pending=''
      continue
    fi
    case $word in
      --*=*) continue ;;
      -*)
        [[ $__ee_valued == *" $word "* ]] && __ee_pending=$word
        continue
        ;;
    esac
    if [[ -z $__ee_path && $__ee_helping == 0 && $word == help ]]; then
      __ee_helping=1
    elif [[ " $__ee_subs " == *" $word "* ]]; then
      __ee_path=\${__ee_path:+$__ee_path }$word
      __epic_events_node "$__ee_path"
    else
      __ee_nargs=$((__ee_nargs + 1))
    fi
  done
}`;
}

function shValuesFunction(nodes: readonly CompletionNode[]): string {
  return `__epic_events_values() {
  __ee_kind='' __ee_words=''
  case "$1|$2" in
${shValueBranches(nodes).join("\n")}
  esac
}`;
}

/** What the bash and zsh scripts share: a comment, the tree as data, and the walk over the words typed. */
function shCommon(shell: "bash" | "zsh", nodes: readonly CompletionNode[]): string {
  const walk = shell === "bash"
    ? shStateFunction(1, "${COMP_WORDS[i]}", "COMP_CWORD")
    : shStateFunction(2, "${words[i]}", "CURRENT");
  // i18n-ignore: shell code of the completion script, not prose
  return `# ${shell} completion for epic-events (written by \`epic-events completions ${shell}\`; see docs/cli.md).
${shNodeFunction(nodes, shell === "zsh")}

${shValuesFunction(nodes)}

${walk}`;
}

/** The variables the functions of bash and zsh share, local to one completion. */
const SH_LOCALS =
  "local __ee_path __ee_helping __ee_nargs __ee_pending __ee_subs __ee_flags __ee_valued __ee_kind __ee_words";

function bash(nodes: readonly CompletionNode[]): string {
  // i18n-ignore: shell code of the completion script, not prose
  return `${shCommon("bash", nodes)}

_epic_events() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  ${SH_LOCALS}
  __epic_events_state
  COMPREPLY=()
  if [[ -n $__ee_pending ]]; then
    __epic_events_values "$__ee_path" "$__ee_pending"
  elif ((__ee_helping)); then
    __ee_kind=words __ee_words=$__ee_subs
  elif [[ $cur == -* ]]; then
    __ee_kind=words __ee_words=$__ee_flags
  elif [[ -n $__ee_subs ]]; then
    __ee_kind=words __ee_words=$__ee_subs
  else
    __epic_events_values "$__ee_path" "#$__ee_nargs"
    [[ -z $__ee_kind ]] && __ee_kind=words __ee_words=$__ee_flags
  fi
  case $__ee_kind in
    words)
      # Any case: \`--role sales\` is accepted, so \`s\` offers SALES.
      local w
      for w in $__ee_words; do
        [[ \${w,,} == "\${cur,,}"* ]] && COMPREPLY+=("$w")
      done
      ;;
    file)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
    dir)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      ;;
  esac
}

complete -F _epic_events epic-events
`;
}

function zsh(nodes: readonly CompletionNode[]): string {
  // i18n-ignore: shell code of the completion script, not prose
  return `#compdef epic-events
${shCommon("zsh", nodes)}

_epic_events() {
  local cur=\${words[CURRENT]}
  ${SH_LOCALS}
  local -a __ee_subs_d __ee_flags_d
  __epic_events_state
  if [[ -n $__ee_pending ]]; then
    __epic_events_values "$__ee_path" "$__ee_pending"
    [[ -z $__ee_kind ]] && return
  elif ((__ee_helping)) || [[ $cur != -* && -n $__ee_subs ]]; then
    _describe -t commands command __ee_subs_d
    return
  elif [[ $cur != -* ]]; then
    __epic_events_values "$__ee_path" "#$__ee_nargs"
  fi
  case $__ee_kind in
    words) compadd -M 'm:{a-zA-Z}={A-Za-z}' -- \${=__ee_words} ;;
    file) _files ;;
    dir) _files -/ ;;
    *) _describe -t options option __ee_flags_d ;;
  esac
}

if [[ \${funcstack[1]} == _epic_events ]]; then
  _epic_events "$@"
else
  compdef _epic_events epic-events
fi
`;
}

/** A fish condition: `test` (`__epic_events_at`, …) applied to the quoted path, and more words. */
function fishCondition(test: string, path: string, ...more: Array<string | number>): string {
  return fq([test, fq(path), ...more].join(" "));
}

function fishValues(values: Values): string {
  if (values === null) return "-x";
  if ("words" in values) return `-x -a ${fq(values.words.join(" "))}`;
  return values.path === "file" ? "-r -F" : `-x -a ${fq("(__fish_complete_directories)")}`;
}

/** Whether every command below `owner` takes `flag` too (then one line completes it everywhere). */
function inherited(flag: FlagInfo, nodes: readonly CompletionNode[]): boolean {
  const below = nodes.filter((n) =>
    n.path !== flag.owner && (flag.owner === "" || n.path.startsWith(`${flag.owner} `))
  );
  return below.every((n) => n.flags.some((f) => f.owner === flag.owner && f.long === flag.long));
}

function fishLines(node: CompletionNode, nodes: readonly CompletionNode[]): string[] {
  const at = fishCondition("__epic_events_at", node.path);
  const lines = node.subcommands.map((s) =>
    `complete -c epic-events -n ${at} -a ${fq(s.name)} -d ${fq(summary(s.description))}`
  );
  for (const flag of node.flags) {
    if (flag.owner !== node.path) continue;
    const where = inherited(flag, nodes) ? fishCondition("__epic_events_under", node.path) : at;
    const names = [
      ...(flag.short ? [`-s ${flag.short.slice(1)}`] : []),
      ...(flag.long ? [`-l ${flag.long.slice(2)}`] : []),
    ];
    const value = flag.takesValue ? ` ${fishValues(flag.values)}` : "";
    lines.push(`complete -c epic-events -n ${where} ${names.join(" ")}${value} -d ${fq(summary(flag.description))}`);
  }
  node.args.forEach((values, i) => {
    if (values === null) return;
    lines.push(
      `complete -c epic-events -n ${fishCondition("__epic_events_at_arg", node.path, i)} ${fishValues(values)}`,
    );
  });
  return lines;
}

function fish(nodes: readonly CompletionNode[]): string {
  const branches = nodes.map((node) =>
    [
      `        case ${fq(node.path)}`,
      `            set __ee_subs ${node.subcommands.map((s) => fq(s.name)).join(" ")}`,
      `            set __ee_valued ${node.flags.filter((f) => f.takesValue).flatMap(flagNames).join(" ")}`,
    ].join("\n")
  );
  // i18n-ignore: shell code of the completion script, not prose
  return `# fish completion for epic-events (written by \`epic-events completions fish\`; see docs/cli.md).
function __epic_events_node
    set -g __ee_subs
    set -g __ee_valued
    switch "$argv[1]"
${branches.join("\n")}
    end
end

function __epic_events_state
    set -l tokens (commandline -opc)
    set -l line (string join ' ' -- $tokens)
    if set -q __ee_line; and test "$__ee_line" = "$line"
        return
    end
    set -g __ee_line $line
    set -g __ee_path ''
    set -g __ee_helping 0
    set -g __ee_nargs 0
    set -l pending 0
    __epic_events_node ''
    set -e tokens[1]
    for word in $tokens
        if test $pending = 1
            set pending 0
            continue
        end
        switch $word
            case '--*=*'
                continue
            case '-*'
                contains -- $word $__ee_valued; and set pending 1
                continue
        end
        if test -z "$__ee_path" -a $__ee_helping = 0 -a "$word" = help
            set __ee_helping 1
        else if contains -- $word $__ee_subs
            set __ee_path (string trim -- "$__ee_path $word")
            __epic_events_node $__ee_path
        else
            set __ee_nargs (math $__ee_nargs + 1)
        end
    end
end

function __epic_events_at
    __epic_events_state
    test $__ee_helping = 0 -a "$__ee_path" = "$argv[1]"
end

function __epic_events_under
    __epic_events_state
    test $__ee_helping = 0; or return 1
    test -z "$argv[1]" -o "$__ee_path" = "$argv[1]"; and return 0
    string match -q -- "$argv[1] *" "$__ee_path"
end

function __epic_events_at_arg
    __epic_events_at $argv[1]; and test $__ee_nargs = $argv[2]
end

function __epic_events_helping
    __epic_events_state
    test $__ee_helping = 1
end

function __epic_events_help_subs
    __epic_events_state
    printf '%s\\n' $__ee_subs
end

complete -c epic-events -f
complete -c epic-events -n __epic_events_helping -a '(__epic_events_help_subs)'
${nodes.flatMap((node) => fishLines(node, nodes)).join("\n")}
`;
}

/** The completion script of `shell` for the program whose commands are `nodes`. */
export function completionScript(shell: Shell, nodes: readonly CompletionNode[]): string {
  switch (shell) {
    case "bash":
      return bash(nodes);
    case "zsh":
      return zsh(nodes);
    case "fish":
      return fish(nodes);
  }
}
