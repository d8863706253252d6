/**
 * Terminal tables, drawn here rather than by cli-table3 so that they fit the
 * terminal: every width is a display width (East Asian wide characters and
 * emoji take two columns, combining marks none: `string-width`), and a table
 * wider than the room it has is made narrower in two steps. First its text
 * columns (names, emails, notes, changes, paths) are shortened with `…`, the
 * widest first, down to {@link MIN_TEXT} columns each; ids, numbers, amounts,
 * yes/no and dates never are. If that is not enough, columns are hidden: the
 * ones a list names first (`narrow` in the contract: an event's end before its
 * start), then from the right (a list's columns come in order of importance;
 * the first, the id, never is), and the caller says which under the table. A record's view
 * (`show`) wraps its long values over several lines instead: nothing of one
 * record is hidden. Loaded only when a table is printed.
 * @module
 */
import stringWidth from "string-width";

/** Where a column's text sits in its cells. */
export type Align = "left" | "right";

/** One column of a list's table. */
export interface GridColumn {
  /** The header. */
  head: string;
  /** Default `left`; amounts are right-aligned. */
  align?: Align;
  /** Whether its text may be shortened with `…` (text columns; never ids, numbers, amounts, dates). */
  shrink?: boolean;
  /** Hidden before the others (lowest first) when shortening is not enough; the others go from the right. */
  hideFirst?: number;
}

/** How a table is drawn. */
export interface GridOptions {
  /** Display columns the table must fit in; undefined: as wide as its content. */
  width?: number;
  /** Whether the header is coloured. */
  color: boolean;
}

/** A drawn table and the headers of the columns hidden to fit (in their order). */
export interface Grid {
  text: string;
  hidden: string[];
}

/** The narrowest a text column is shortened to before columns are hidden instead. */
export const MIN_TEXT = 8;

/** Printable ASCII only: one column per character, no need to measure. */
const ASCII = /^[\x20-\x7e]*$/;

/** The columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  return ASCII.test(text) ? text.length : stringWidth(text);
}

let graphemes: Intl.Segmenter | undefined;

/** The user-perceived characters of `text` (an emoji with its modifiers, a letter with its accents). */
function clusters(text: string): Iterable<string> {
  if (ASCII.test(text)) return text;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return [...graphemes.segment(text)].map((s) => s.segment);
}

/**
 * `text` in at most `width` columns: whole characters kept from the start,
 * then `…` when some were left out.
 */
export function shorten(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? "…" : "";
  if (ASCII.test(text)) return text.slice(0, width - 1).trimEnd() + "…";
  let out = "";
  let used = 0;
  for (const cluster of clusters(text)) {
    const w = displayWidth(cluster);
    if (used + w > width - 1) break;
    out += cluster;
    used += w;
  }
  return out.trimEnd() + "…";
}

/**
 * `text` cut into lines of at most `width` columns, at spaces when it can
 * (a word longer than a line is cut where the line ends).
 */
export function wrap(text: string, width: number): string[] {
  if (displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = "";
  let used = 0;
  const flush = () => {
    lines.push(line.trimEnd());
    line = "";
    used = 0;
  };
  for (const word of text.split(/(?<= )/)) {
    const w = displayWidth(word);
    const bare = displayWidth(word.trimEnd());
    if (used > 0 && used + bare > width) flush();
    if (bare <= width - used) {
      line += word;
      used += w;
      continue;
    }
    for (const cluster of clusters(word)) {
      const cw = displayWidth(cluster);
      if (used + cw > width && used > 0) flush();
      line += cluster;
      used += cw;
    }
  }
  if (line.trimEnd() !== "" || lines.length === 0) flush();
  return lines;
}

/** Columns taken by the borders of `n` columns: `│ a │ b │`. */
function borders(n: number): number {
  return 3 * n + 1;
}

/**
 * Widths that fit `limit`, text columns shortened the widest first (each to
 * no less than `min`, or its own width when narrower), or undefined when
 * even that is too wide.
 */
export function fitWidths(
  natural: readonly number[],
  shrink: readonly boolean[],
  limit: number,
  min: number,
): number[] | undefined {
  const room = limit - borders(natural.length) -
    natural.reduce((sum, w, i) => sum + (shrink[i] ? 0 : w), 0);
  const texts = natural.map((_, i) => i).filter((i) => shrink[i]);
  const floor = (i: number) => Math.min(natural[i], min);
  const used = (level: number) => texts.reduce((sum, i) => sum + Math.max(floor(i), Math.min(natural[i], level)), 0);
  if (used(Infinity) <= room) return [...natural];
  if (used(0) > room) return undefined;
  // The highest level at which the text columns, cut to it, still fit.
  let low = 0;
  let high = Math.max(...texts.map((i) => natural[i]));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (used(mid) <= room) low = mid;
    else high = mid - 1;
  }
  const widths = natural.map((w, i) => shrink[i] ? Math.max(floor(i), Math.min(w, low)) : w);
  // What is left goes one column at a time to the cut columns, from the left.
  let left = room - used(low);
  for (const i of texts) {
    if (left === 0) break;
    if (widths[i] < natural[i]) {
      widths[i]++;
      left--;
    }
  }
  return widths;
}

function pad(text: string, width: number, align: Align = "left"): string {
  const gap = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? gap + text : text + gap;
}

function rule(widths: readonly number[], [left, mid, right]: string): string {
  return left + widths.map((w) => "─".repeat(w + 2)).join(mid) + right;
}

function row(cells: readonly string[]): string {
  return `│ ${cells.join(" │ ")} │`;
}

const CYAN = (text: string) => `\x1b[36m${text}\x1b[39m`;

/**
 * A list's table: the header, its rule, then the rows (no rule between
 * them), fitted to `options.width` as the module says; `hidden` names the
 * columns left out.
 */
export function renderGrid(columns: readonly GridColumn[], rows: readonly string[][], options: GridOptions): Grid {
  const natural = columns.map((c, i) => rows.reduce((w, r) => Math.max(w, displayWidth(r[i])), displayWidth(c.head)));
  let shown = columns.map((_, i) => i);
  let widths = natural;
  // The order columns are hidden in: those named first, then from the right; never the first column.
  const hideOrder = shown.slice(1).sort((a, b) =>
    (columns[a].hideFirst ?? Infinity) - (columns[b].hideFirst ?? Infinity) || b - a
  );
  if (options.width !== undefined) {
    const limit = options.width;
    for (;;) {
      const fitted = fitWidths(
        shown.map((i) => natural[i]),
        shown.map((i) => columns[i].shrink === true),
        limit,
        MIN_TEXT,
      );
      if (fitted) {
        widths = fitted;
        break;
      }
      if (shown.length > 1) {
        const hidden = hideOrder.shift();
        shown = shown.filter((i) => i !== hidden);
        continue;
      }
      // One column left and still too wide: as narrow as its text allows.
      widths = fitWidths([natural[0]], [columns[0].shrink === true], limit, 1) ?? [natural[0]];
      break;
    }
  }
  const lines = [rule(widths, "┌┬┐")];
  const head = shown.map((i, k) => pad(shorten(columns[i].head, widths[k]), widths[k]));
  lines.push(row(options.color ? head.map(CYAN) : head), rule(widths, "├┼┤"));
  for (const cells of rows) {
    lines.push(row(shown.map((i, k) => pad(shorten(cells[i], widths[k]), widths[k], columns[i].align))));
  }
  lines.push(rule(widths, "└┴┘"));
  return {
    text: lines.join("\n") + "\n",
    hidden: columns.filter((_, i) => !shown.includes(i)).map((c) => c.head),
  };
}

/** One row of a record's view: its label, its value, and whether the value may wrap. */
export interface RecordRow {
  label: string;
  value: string;
  /** Text wraps over several lines when too long; ids, amounts and dates never do. */
  wrap?: boolean;
}

/**
 * A record's view: a label and a value per row, no header; values that are
 * text wrap to fit `options.width` (at least {@link MIN_TEXT} columns wide).
 */
export function renderRecord(rows: readonly RecordRow[], options: Pick<GridOptions, "width">): string {
  const labelWidth = rows.reduce((w, r) => Math.max(w, displayWidth(r.label)), 0);
  const room = options.width === undefined ? Infinity : Math.max(MIN_TEXT, options.width - borders(2) - labelWidth);
  const values = rows.map((r) => (r.wrap && room !== Infinity ? wrap(r.value, room) : [r.value]));
  const valueWidth = values.reduce((w, lines) => Math.max(w, ...lines.map(displayWidth)), 0);
  const widths = [labelWidth, valueWidth];
  const lines = [rule(widths, "┌┬┐")];
  rows.forEach((r, i) => {
    values[i].forEach((text, j) => {
      lines.push(row([pad(j === 0 ? r.label : "", labelWidth), pad(text, valueWidth)]));
    });
  });
  lines.push(rule(widths, "└┴┘"));
  return lines.join("\n") + "\n";
}
