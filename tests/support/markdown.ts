/**
 * The code blocks of the README and of `docs/`, for the tests that run their
 * examples as written.
 * @module
 */

/** One fenced code block. */
export interface CodeBlock {
  /** The file it is in, relative to the repository. */
  file: string;
  /** Its info string (`sh`, `cron`, `nginx` …). */
  lang: string;
  /** Its text, without the fences and the list item's indentation. */
  body: string;
  /** Line number of its opening fence (1-based). */
  line: number;
  /** The nearest heading above it. */
  heading: string;
}

/** Every fenced block of `text` (fences may be indented, inside list items). */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split("\n");
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const headingMatch = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (headingMatch) heading = headingMatch[1].trim();
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    blocks.push({ file, lang: open[2], body: body.join("\n") + "\n", line: i + 1, heading });
    i = j;
  }
  return blocks;
}

/** One logical line of a shell block: continued lines (`\`, or a line ending in `|`, `&&`, `||`) joined, as written. */
export interface ShellLine {
  text: string;
  /** Line number in the file (1-based). */
  line: number;
}

/** The logical lines of a shell block, with full-line comments kept as their own lines. */
export function shellLines(block: CodeBlock): ShellLine[] {
  const out: ShellLine[] = [];
  const lines = block.body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const start = i;
    let text = lines[i];
    while (i + 1 < lines.length && /(\\|\||&&)\s*$/.test(text.replace(/\s+#.*$/, ""))) {
      text += "\n" + lines[++i];
    }
    out.push({ text, line: block.line + 1 + start });
  }
  return out;
}

/** The code blocks of README.md, its French version README.fr.md, and every page of docs/. */
export async function documentedBlocks(root: string): Promise<CodeBlock[]> {
  const files = ["README.md", "README.fr.md"];
  for await (const entry of Deno.readDir(`${root}/docs`)) {
    if (entry.isFile && entry.name.endsWith(".md")) files.push(`docs/${entry.name}`);
  }
  const blocks: CodeBlock[] = [];
  for (const file of files.sort()) blocks.push(...codeBlocks(file, await Deno.readTextFile(`${root}/${file}`)));
  return blocks;
}
