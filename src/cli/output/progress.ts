/**
 * A progress bar on standard error, for long commands (`import`): drawn only
 * on a terminal (never into a pipe or a log file), never under `TERM=dumb`,
 * without colour under `NO_COLOR`; redrawn at most every 100 ms and only when
 * its text changes, on one line that it clears when done, so that what the
 * command prints next starts on a clean line.
 *
 * ```ts
 * const bar = progressBar({ write: (t) => io.writeErr(t), isTerminal: Deno.stderr.isTerminal(), env: io.env,
 *   label: "Importing clients" });
 * bar.update(bytesRead, fileSize);
 * bar.done();
 * ```
 * @module
 */
import type { Env } from "../../config.ts";
import { currentLanguage, t } from "../../i18n/mod.ts";

/** Where and how a bar is drawn. */
export interface ProgressOptions {
  /** Writes to standard error. */
  write(text: string): void;
  /** Whether standard error is a terminal (nothing is drawn otherwise). */
  isTerminal: boolean;
  /** `NO_COLOR` (no colour) and `TERM` (`dumb`: no bar) are read from it. */
  env: Env;
  /** What is in progress, before the bar: `Importing clients`. */
  label: string;
  /** The terminal's width in columns (default 80). */
  columns?: number;
  /** Milliseconds between redraws at most (default 100). */
  intervalMs?: number;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
  /** How `done` of `total` reads after the bar (default: the numbers, or bytes as `5.0/9.7 MB` with `unit: "bytes"`). */
  unit?: "count" | "bytes";
}

/** A bar: tell it how far along the work is, then that it is over. */
export interface ProgressBar {
  /** `done` units of `total` (unknown: no bar, only the count). Redraws when due. */
  update(done: number, total?: number): void;
  /** Clears the bar's line (nothing more is drawn). */
  done(): void;
}

const NOTHING: ProgressBar = { update() {}, done() {} };

/** Whether a bar may be drawn: on a terminal, and not a dumb one. */
export function progressShown(options: Pick<ProgressOptions, "isTerminal" | "env">): boolean {
  return options.isTerminal && options.env.TERM !== "dumb";
}

/** A count or a size as the language in use writes it: `1,234` / `1 234`, `5.0 MB` / `5,0 Mo`. */
function amount(value: number, unit: "count" | "bytes"): string {
  const lang = currentLanguage();
  if (unit === "count") return value.toLocaleString(lang);
  const decimals = (n: number, digits: number) =>
    n.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  if (value < 1e6) return t("cli.progress.kilobytes", { size: decimals(value / 1e3, 1) });
  if (value < 1e9) return t("cli.progress.megabytes", { size: decimals(value / 1e6, 1) });
  return t("cli.progress.gigabytes", { size: decimals(value / 1e9, 2) });
}

/** The bar's text for `done` of `total`, fitting `width` columns. */
export function progressText(
  options: { label: string; unit?: "count" | "bytes"; color: boolean },
  done: number,
  total: number | undefined,
  width: number,
): string {
  const unit = options.unit ?? "count";
  if (total === undefined || total <= 0) return `${options.label}… ${amount(done, unit)}`.slice(0, width);
  const share = Math.min(1, Math.max(0, done / total));
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  const numbers = `${amount(Math.min(done, total), unit).replace(/ .*/, "")}/${amount(total, unit)}`;
  const fixed = `${options.label} ${percent} ${numbers}`;
  const room = width - fixed.length - 3;
  if (room < 10) return fixed.slice(0, width);
  const cells = Math.min(room, 40);
  const filled = Math.round(share * cells);
  const bar = options.color
    ? `\x1b[32m${"█".repeat(filled)}\x1b[2m${"░".repeat(cells - filled)}\x1b[0m`
    : `${"█".repeat(filled)}${"░".repeat(cells - filled)}`;
  return `${options.label} ${bar} ${percent} ${numbers}`;
}

/**
 * A bar drawn with `options`, or one that draws nothing when standard error
 * is not a terminal or `TERM=dumb`.
 */
export function progressBar(options: ProgressOptions): ProgressBar {
  if (!progressShown(options)) return NOTHING;
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  const width = Math.max(20, (options.columns ?? 80) - 1);
  const color = options.env.NO_COLOR === undefined || options.env.NO_COLOR === "";
  let last = -Infinity;
  let shown = "";
  let over = false;
  return {
    update(done, total) {
      if (over || now() - last < interval) return;
      const text = progressText({ label: options.label, unit: options.unit, color }, done, total, width);
      last = now();
      if (text === shown) return;
      shown = text;
      options.write(`\r${text}`);
    },
    done() {
      if (over) return;
      over = true;
      if (shown !== "") options.write(`\r${" ".repeat(width)}\r`);
    },
  };
}
