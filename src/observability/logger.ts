/**
 * Local log files, routed by LogTape to two size-rotated files: `info.log`
 * (everything at or above the configured level) and `error.log` (errors only,
 * with their stack). The folder is created 0700 and every file, rotated ones
 * included, 0600. One record is one line:
 *
 * ```
 * 2026-11-26T15:00:00.000Z | INFO | command user_id=3 command="client create" outcome=ok exit_code=0 duration_ms=42
 * ```
 *
 * Every value is scrubbed of secrets and has its control characters escaped,
 * so a value can neither leak a password nor forge a line. Nothing is ever
 * written to stdout or stderr, and a log directory that cannot be created or
 * written (or that other users can write to and is not ours) degrades to no
 * logging rather than failing the command.
 * @module
 */
import type { LogLevel, LogRecord, Sink } from "@logtape/logtape";
import { join } from "node:path";
import { clearImmediate, setImmediate } from "node:timers";
import { ensurePrivateDir } from "../security/private_dir.ts";
import { CONTROL_CLASS, escapeControl, scrubSecrets, scrubString } from "./scrub.ts";

/** Levels accepted by `LOG_LEVEL`. */
export type LoggingLevel = "debug" | "info" | "warning" | "error";

/** Where and what to log. */
export interface LoggingOptions {
  /** Directory of the log files; created with mode 0700 when missing. */
  logDir: string;
  /** Lowest level written to `info.log`. */
  level: LoggingLevel;
  /** Size at which a file is rotated (default 10 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one (`info.log.1` … `info.log.N`; default 5). */
  maxFiles?: number;
}

/** The one line written for each command. */
export interface CommandLogEntry {
  /** The authenticated user, or `null` when none. */
  userId: number | null;
  /** The command name, e.g. `client create` (never its argument values). */
  command: string;
  /** `ok`, or the error code (`invalid_input`, `internal` …). */
  outcome: string;
  exitCode: number;
  durationMs: number;
}

/** The log files of one run. Methods never throw. */
export interface Logging {
  /** Directory of the log files, or `null` when logging is disabled. */
  readonly logDir: string | null;
  /**
   * Writes the line of one command: at INFO for exit 0 and for a cancelled
   * run (outcome `cancelled`, exit 130/143), ERROR for exit 1 (unexpected
   * failure), WARNING for the expected failures (exit 2–7).
   */
  commandLine(entry: CommandLogEntry): void;
  /** Writes an INFO line. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Writes an ERROR line; `error.log` gets the stack trace too (on the same line, escaped). */
  error(message: string, error?: unknown, fields?: Record<string, unknown>): void;
  /** Flushes and closes the files. Call it before the process exits. */
  dispose(): Promise<void>;
}

/** A {@link Logging} that writes nothing. */
export const NOOP_LOGGING: Logging = {
  logDir: null,
  commandLine: () => {},
  info: () => {},
  error: () => {},
  dispose: () => Promise.resolve(),
};

/** Default size at which a log file is rotated. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** Default number of rotated files kept. */
export const DEFAULT_MAX_FILES = 5;

const CATEGORY = ["epic-events"] as const;
const ERROR_PROPERTY = "error";
const MAX_CAUSES = 5;

const LEVEL_LABELS: Readonly<Record<LogLevel, string>> = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO",
  warning: "WARNING",
  error: "ERROR",
  fatal: "FATAL",
};

/**
 * Opens the two log files in `options.logDir` and routes this program's
 * records to them. Resolves to {@link NOOP_LOGGING} when the directory or the
 * files cannot be created (read-only disk, missing permission): logging never
 * fails a command. Only one `Logging` should be active at a time (LogTape's
 * configuration is global to the process).
 */
export async function setupLogging(options: LoggingOptions): Promise<Logging> {
  const disposables: Disposable[] = [];
  try {
    const maxSize = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    // Without the permissions, Deno would prompt on a terminal: log nothing instead.
    if (!granted({ name: "write", path: options.logDir }) || !granted({ name: "read", path: options.logDir })) {
      return NOOP_LOGGING;
    }
    ensurePrivateDir(options.logDir, { variable: "EPIC_EVENTS_LOG_DIR" });
    const infoPath = join(options.logDir, "info.log");
    const errorPath = join(options.logDir, "error.log");

    const logtape = await import("@logtape/logtape");
    const sinkOptions = { maxSize, maxFiles };
    const infoSink = rotatingFileSink(infoPath, { ...sinkOptions, formatter: (r) => formatRecord(r, false) });
    disposables.push(infoSink);
    const errorSink = rotatingFileSink(errorPath, { ...sinkOptions, formatter: (r) => formatRecord(r, true) });
    disposables.push(errorSink);

    await logtape.configure({
      reset: true,
      sinks: { files: filesSink(infoSink, errorSink) },
      loggers: [
        // The level is checked once per record by LogTape (every level of
        // `LOG_LEVEL` is at most `error`: what error.log takes always passes).
        { category: [...CATEGORY], sinks: ["files"], lowestLevel: options.level },
        // LogTape's own diagnostics would go to the console: silence them.
        { category: ["logtape", "meta"], sinks: [], parentSinks: "override" },
      ],
    });
    return createLogging(options.logDir, logtape.getLogger([...CATEGORY]), logtape.reset);
  } catch {
    for (const sink of disposables) {
      try {
        sink[Symbol.dispose]();
      } catch {
        // already unusable
      }
    }
    return NOOP_LOGGING;
  }
}

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}

/** Opens `path` for appending, creating it with mode 0600. */
function openPrivateFile(path: string): Deno.FsFile {
  return Deno.openSync(path, { create: true, append: true, mode: 0o600 });
}

/**
 * LogTape's snapshot policy for a sink that reads each record before it
 * returns (its own symbol, `Symbol.for`): LogTape then hands the record as it
 * is instead of a copy of it and of its properties made for a sink that might
 * keep it. Without the mark (another LogTape), the same lines, a little slower.
 */
const IMMEDIATE_SINK = Symbol.for("LogTape.sinkSnapshotPolicy.immediate");

/**
 * The one sink LogTape calls per record (one call instead of two, each behind
 * its level filter): every record that passed the logger's level goes to
 * `info.log`, errors also to `error.log`, in that order. A failure of the
 * first does not keep a record from the second.
 */
function filesSink(info: Sink & Disposable, error: Sink & Disposable): Sink & Disposable {
  const sink = (record: LogRecord): void => {
    const isError = isErrorLevel(record.level);
    try {
      info(record);
    } catch (failure) {
      if (!isError) throw failure;
    }
    if (isError) error(record);
  };
  Object.defineProperty(sink, IMMEDIATE_SINK, { value: true });
  return Object.assign(sink, {
    [Symbol.dispose]() {
      try {
        info[Symbol.dispose]();
      } finally {
        error[Symbol.dispose]();
      }
    },
  });
}

/** Bytes of pending lines kept between turns; a larger buffer (a long stack) is let go once written. */
const KEPT_BUFFER_BYTES = 64 * 1024;

/**
 * A LogTape sink appending each record to `path` and rotating by size:
 * `path` → `path.1` → … → `path.<maxFiles>` (the oldest is dropped). Each
 * file, the new one after a rotation included, is created with mode 0600
 * (LogTape's own file sink creates it with the umask's mode). A file never
 * grows past `maxSize` unless one line does.
 *
 * Lines are gathered and written together once per turn of the event loop
 * (a server's access lines: one `write` for all the answers of a turn
 * instead of one each, ~13 µs of system call per line), each encoded
 * straight into one buffer reused from turn to turn. Nothing waits past
 * the turn, and nothing is lost: an error line is written at once with what
 * came before it, and what is pending is written when the sink is disposed,
 * when the process exits (`unload`, `Deno.exit` included) and before an
 * uncaught error or rejection ends it.
 */
function rotatingFileSink(
  path: string,
  options: { maxSize: number; maxFiles: number; formatter: (record: LogRecord) => string },
): Sink & Disposable {
  const encoder = new TextEncoder();
  let file: Deno.FsFile | null = openPrivateFile(path);
  /** The file's size once what is pending is written. */
  let offset = file.statSync().size;
  /** Pending lines: the first `pending` bytes of `buffer`. */
  let buffer = new Uint8Array(KEPT_BUFFER_BYTES);
  let pending = 0;
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  /** Writes the first `end` pending bytes to the file; what follows stays pending. */
  const writeOut = (end: number) => {
    let bytes = buffer.subarray(0, end);
    try {
      while (bytes.length > 0) bytes = bytes.subarray(file!.writeSync(bytes));
    } catch {
      // A full disk or a file gone: these lines are dropped, as one written at once would be.
    }
    if (end < pending) buffer.copyWithin(0, end, pending);
    pending -= end;
  };
  const flush = () => {
    if (scheduled !== undefined) {
      clearImmediate(scheduled);
      scheduled = undefined;
    }
    if (pending === 0) return;
    if (file === null) pending = 0;
    else writeOut(pending);
    if (buffer.length > KEPT_BUFFER_BYTES) buffer = new Uint8Array(KEPT_BUFFER_BYTES);
  };
  const rotate = () => {
    file?.close();
    file = null;
    for (let i = options.maxFiles - 1; i > 0; i--) {
      try {
        Deno.renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      } catch {
        // Not there yet.
      }
    }
    if (options.maxFiles > 0) Deno.renameSync(path, `${path}.1`);
    else Deno.removeSync(path);
    file = openPrivateFile(path);
    offset = 0;
  };
  const sink = (record: LogRecord): void => {
    if (file === null) return;
    const line = options.formatter(record);
    // At most 3 bytes per UTF-16 code unit.
    if (buffer.length - pending < line.length * 3) {
      const grown = new Uint8Array(Math.max(2 * buffer.length, pending + line.length * 3));
      grown.set(buffer.subarray(0, pending));
      buffer = grown;
    }
    const start = pending;
    const length = encoder.encodeInto(line, start === 0 ? buffer : buffer.subarray(start)).written;
    pending += length;
    if (offset > 0 && offset + length > options.maxSize) {
      // The lines before this one end the current file; this one starts the next.
      writeOut(start);
      try {
        rotate();
      } catch (error) {
        pending = 0;
        throw error;
      }
    }
    offset += length;
    if (isErrorLevel(record.level)) flush();
    else if (scheduled === undefined) scheduled = setImmediate(flush);
  };
  const onEnd = () => flush();
  for (const event of END_EVENTS) globalThis.addEventListener(event, onEnd);
  return Object.assign(sink, {
    [Symbol.dispose]() {
      flush();
      for (const event of END_EVENTS) globalThis.removeEventListener(event, onEnd);
      file?.close();
      file = null;
    },
  });
}

/** Whether a record of `level` goes to error.log too (and is written at once). */
function isErrorLevel(level: LogLevel): boolean {
  return level === "error" || level === "fatal";
}

/** Events after which the process may end: pending lines are written first. */
const END_EVENTS = ["unload", "error", "unhandledrejection"] as const;

type LogtapeLogger = ReturnType<typeof import("@logtape/logtape").getLogger>;

function createLogging(logDir: string, logger: LogtapeLogger, reset: () => Promise<void>): Logging {
  let disposed = false;
  const emit = (level: LogLevel, message: string, properties: Record<string, unknown>): void => {
    if (disposed) return;
    try {
      // The message is text, not a template: `{` and `}` are doubled so that
      // LogTape prints them as they are.
      logger[level](message.replaceAll("{", "{{").replaceAll("}", "}}"), properties);
    } catch {
      // Logging never fails a command.
    }
  };
  return {
    logDir,
    commandLine(entry) {
      const level: LogLevel = entry.exitCode === 0 || entry.outcome === "cancelled"
        ? "info"
        : entry.exitCode === 1
        ? "error"
        : "warning";
      emit(
        level,
        "command",
        scrubFields({
          user_id: entry.userId ?? "-",
          command: entry.command,
          outcome: entry.outcome,
          exit_code: entry.exitCode,
          duration_ms: Math.round(entry.durationMs),
        }),
      );
    },
    info(message, fields) {
      emit("info", message, scrubFields(fields));
    },
    error(message, error, fields) {
      const properties = scrubFields(fields);
      if (error !== undefined) properties[ERROR_PROPERTY] = scrubSecrets(error);
      emit("error", message, properties);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      try {
        await reset();
      } catch {
        // nothing more to do
      }
    },
  };
}

function scrubFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (fields === undefined) return {};
  const scrubbed = scrubSecrets(fields);
  return typeof scrubbed === "object" && scrubbed !== null ? { ...scrubbed as Record<string, unknown> } : {};
}

/**
 * Formats one record as one line (exported for tests). With `withStack`, an
 * `error` property also contributes its stack trace and causes, escaped so
 * that they stay on the line.
 */
export function formatRecord(record: LogRecord, withStack: boolean): string {
  const message = record.message.length === 1
    ? String(record.message[0])
    : record.message.map((part, i) => i % 2 === 0 ? String(part) : renderValue(scrubSecrets(part))).join("");
  let line = timeText(record.timestamp) + (LEVEL_SEPARATORS[record.level] ?? ` | ${record.level.toUpperCase()} | `) +
    escapeControl(scrubString(message));
  const properties = record.properties;
  for (const key of Object.keys(properties)) {
    if (key === ERROR_PROPERTY) continue;
    line += renderKey(key) + renderValue(properties[key]);
  }
  if (ERROR_PROPERTY in properties) {
    const error = properties[ERROR_PROPERTY];
    line += ` error=${renderValue(describeError(error))}`;
    if (withStack) {
      const stack = stackOf(error);
      if (stack) line += ` stack=${renderValue(stack)}`;
    }
  }
  return `${line}\n`;
}

/** ` | LEVEL | `, by level. */
const LEVEL_SEPARATORS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LEVEL_LABELS).map(([level, label]) => [level, ` | ${label} | `]),
);

/** `000` to `999`. */
const MILLISECONDS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, "0"));
/** The instants of the years 1970 to 9999, whose ISO text is `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;
/** The second of the last line's instant, and its ISO text up to the milliseconds (`…T15:00:00.`). */
let lastSecond = -1;
let lastSecondText = "";

/**
 * `new Date(timestamp).toISOString()`, the date and time of day made once a
 * second: lines of the same second differ in their milliseconds only.
 */
function timeText(timestamp: number): string {
  if (!Number.isInteger(timestamp) || timestamp < 0 || timestamp >= LAST_FOUR_DIGIT_YEAR_MS) {
    return new Date(timestamp).toISOString();
  }
  const ms = timestamp % 1000;
  const second = timestamp - ms;
  if (second !== lastSecond) {
    lastSecondText = new Date(second).toISOString().slice(0, 20);
    lastSecond = second;
  }
  return lastSecondText + MILLISECONDS[ms] + "Z";
}

/** ` key=` as rendered, by key: lines repeat the same few keys (bounded, for odd ones). */
const renderedKeys = new Map<string, string>();

function renderKey(key: string): string {
  let rendered = renderedKeys.get(key);
  if (rendered === undefined) {
    rendered = ` ${escapeControl(key).replace(/[\s="|]/g, "_") || "_"}=`;
    if (renderedKeys.size < 256) renderedKeys.set(key, rendered);
  }
  return rendered;
}

/**
 * What makes a value quoted: a space, a quote, a separator, or a control
 * character that {@link escapeControl} escapes (its class, whole).
 */
const QUOTED = new RegExp(`[\\s"=|${CONTROL_CLASS}]`);

/** A value as `bare` or `"quoted"`, always on one line. */
function renderValue(value: unknown): string {
  // The common values at once: a number's text never needs quotes, nor a plain word.
  if (typeof value === "number") return String(value);
  if (typeof value === "string" && value !== "" && !QUOTED.test(value)) return value;
  const text = toText(value);
  const escaped = escapeControl(text);
  // Quoted when it holds a space, a control character or a separator.
  if (text !== "" && escaped === text && !/[\s"=|]/.test(text)) return text;
  return `"${escaped.replaceAll('"', '\\"')}"`;
}

function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  cause?: unknown;
}

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === "object" && value !== null && "message" in value;
}

function describeError(error: unknown): string {
  if (!isErrorLike(error)) return toText(error);
  const name = typeof error.name === "string" && error.name ? error.name : "Error";
  return `${name}: ${String(error.message)}`;
}

function stackOf(error: unknown): string | undefined {
  const parts: string[] = [];
  let current: unknown = error;
  for (let i = 0; i <= MAX_CAUSES && current !== undefined; i++) {
    const text = isErrorLike(current) && typeof current.stack === "string" ? current.stack : describeError(current);
    parts.push(i === 0 ? text : `Caused by: ${text}`);
    current = isErrorLike(current) ? current.cause : undefined;
  }
  return parts.length > 0 ? parts.join("\n") : undefined;
}
