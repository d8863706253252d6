/**
 * Horizontal bar charts for reports on a terminal: each value a bar scaled
 * to the largest, drawn with Unicode eighth blocks (`█▉▊▋▌▍▎▏`, eight steps
 * a cell), or with `#` a cell where the terminal may not draw them
 * (`NO_COLOR` set, `TERM=dumb`). Bars are cells of text: a table lays them
 * out like any other column.
 * @module
 */

/** How bars are drawn. */
export type BarStyle = "blocks" | "plain";

/** The partial blocks, from one eighth to seven eighths of a cell. */
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
const FULL = "█";
const PLAIN = "#";

/**
 * The style a terminal gets: `plain` under `NO_COLOR` (set and not empty,
 * no-color.org) or `TERM=dumb`, `blocks` otherwise.
 */
export function barStyle(env: Readonly<Record<string, string | undefined>>): BarStyle {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return noColor || env.TERM === "dumb" ? "plain" : "blocks";
}

/**
 * A bar `value / max` of `width` cells (never wider, never negative).
 * `blocks`: to the nearest eighth of a cell; `plain`: to the nearest cell.
 * A value above zero always shows at least the smallest mark, so that "a
 * little" never looks like nothing; zero (or `max` ≤ 0) is an empty string.
 */
export function bar(value: number | bigint, max: number | bigint, options: { width: number; style: BarStyle }): string {
  const width = Math.max(0, Math.floor(options.width));
  const v = Number(value);
  const m = Number(max);
  if (!(v > 0) || !(m > 0) || width === 0) return "";
  const ratio = Math.min(1, v / m);
  if (options.style === "plain") return PLAIN.repeat(Math.max(1, Math.round(ratio * width)));
  const eighths = Math.max(1, Math.round(ratio * width * 8));
  return FULL.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/**
 * How many cells the bars of a table get: what the terminal's `columns`
 * leave once the other columns (`used` cells, separators included) are
 * drawn, at least `min` and at most `max`.
 */
export function barWidth(columns: number, used: number, options: { min?: number; max?: number } = {}): number {
  const min = options.min ?? 10;
  const max = options.max ?? 60;
  return Math.max(min, Math.min(max, columns - used));
}

/**
 * The bars of `values`, each scaled to the largest of them, padded to the
 * same width (so that a column of bars lines up whatever follows it).
 */
export function bars(values: readonly (number | bigint)[], options: { width: number; style: BarStyle }): string[] {
  const max = values.reduce<number>((m, v) => Math.max(m, Number(v)), 0);
  return values.map((v) => bar(v, max, options).padEnd(options.width, " "));
}
