/**
 * `epic-events import clients|contracts|events FILE`: one verb per entity,
 * made here. The file (`-`: standard input) is streamed to the port — to the
 * services in local mode, to the server's import endpoint in server mode —
 * never held whole; a progress bar shows on a terminal (stderr) for a file
 * whose size is known.
 *
 * Output: a line saying what was done (`--json`: the result object). A file
 * with bad lines writes nothing: every line's errors go to stderr as
 * `line 17: email: must be a valid email address` (`--json`: the array of
 * `{line, field, code, message}` on stdout), and the run ends with exit 2.
 * @module
 */
import { InvalidInputError } from "../../../domain/errors.ts";
import { t } from "../../../i18n/mod.ts";
import type { AnswerOf, InputOf } from "../../../port/crm.ts";
import { jsonText } from "../../output/formats.ts";
import { progressBar } from "../../output/progress.ts";
import { CRM_ENV, type Deps, isSet, text, type Verb, type VerbInput } from "../../verbs/verb.ts";

type Entity = InputOf<"importFile">["entity"];
type FileFormat = InputOf<"importFile">["format"];
type OnConflict = NonNullable<InputOf<"importFile">["on_conflict"]>;

const FILE_FORMATS: readonly FileFormat[] = ["csv", "jsonl"];
const ON_CONFLICT: readonly OnConflict[] = ["fail", "skip", "update"];

/** Options of `import <entity> FILE`. */
export interface ImportOptions {
  entity: Entity;
  /** The path, or `-` for standard input. */
  file: string;
  format: FileFormat;
  dryRun: boolean;
  onConflict: OnConflict;
  json: boolean;
}

/** `csv` for `*.csv`, `jsonl` for `*.jsonl` and `*.ndjson` (any case). */
function formatOfPath(path: string): FileFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  return undefined;
}

/** Reads FILE, `--format csv|jsonl` (else the extension), `--dry-run` and `--on-conflict`. */
export function parseImport(entity: Entity, input: VerbInput): ImportOptions {
  const file = input.args[0];
  const typed = input.format?.trim().toLowerCase();
  let format: FileFormat | undefined;
  if (typed !== undefined) {
    if (!(FILE_FORMATS as readonly string[]).includes(typed)) {
      throw new InvalidInputError(t("dayone.import.format_unknown", { format: input.format }), "format");
    }
    format = typed as FileFormat;
  } else {
    format = formatOfPath(file);
    if (format === undefined) {
      throw new InvalidInputError(
        file === "-" ? t("dayone.import.format_stdin") : t("dayone.import.format_guess", { file }),
        "format",
      );
    }
  }
  const conflict = text(input, "--on-conflict")?.trim().toLowerCase() ?? "fail";
  if (!(ON_CONFLICT as readonly string[]).includes(conflict)) {
    throw new InvalidInputError(t("dayone.import.on_conflict"), "on_conflict");
  }
  return {
    entity,
    file,
    format,
    dryRun: isSet(input, "--dry-run"),
    onConflict: conflict as OnConflict,
    json: input.json === true,
  };
}

/** `bytes`, telling `seen` the running total of bytes read. */
async function* counted(bytes: AsyncIterable<Uint8Array>, seen: (total: number) => void): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of bytes) {
    total += chunk.byteLength;
    seen(total);
    yield chunk;
  }
}

/** Standard input as bytes: streamed when the run can, else its text. */
async function* stdinOf(deps: Deps): AsyncGenerator<Uint8Array> {
  if (deps.io.stdinBytes) {
    yield* deps.io.stdinBytes();
    return;
  }
  yield new TextEncoder().encode(await deps.io.readStdin());
}

/** An open import file: its bytes as they are read, its size when known, and how to let it go. */
interface Source {
  bytes: AsyncIterable<Uint8Array>;
  size?: number;
  /** Closes the file if it was not read to its end (a refusal before the last line). */
  close(): void;
}

/** The file's bytes as they are read, and its size; exit 2 naming FILE when it cannot be opened. */
async function openFile(deps: Deps, path: string): Promise<Source> {
  if (path === "-") return { bytes: stdinOf(deps), close() {} };
  const full = path.startsWith("/") ? path : `${deps.io.cwd}/${path}`;
  try {
    const file = await Deno.open(full, { read: true });
    const info = await file.stat();
    if (!info.isFile) {
      file.close();
      throw new InvalidInputError(t("dayone.import.not_a_file", { file: path }), "file");
    }
    return {
      bytes: file.readable,
      size: info.size,
      close() {
        try {
          file.close();
        } catch {
          // Read to its end: already closed.
        }
      },
    };
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const why = error instanceof Deno.errors.NotFound
      ? t("dayone.import.no_such_file")
      : error instanceof Deno.errors.PermissionDenied
      ? t("dayone.import.permission_denied")
      : (error as Error).message;
    throw new InvalidInputError(t("dayone.import.cannot_read", { file: path, why }), "file");
  }
}

/** The singular of each entity, as commands name it (`client list`). */
const SINGULAR: Readonly<Record<Entity, string>> = { clients: "client", contracts: "contract", events: "event" };

/** What an import did, in one line: `Imported clients: 3 created, 0 updated, 1 skipped.` */
export function importSummary(result: AnswerOf<"importFile">, entity: Entity): string {
  const values = {
    what: t(`dayone.entity.${entity}`),
    created: result.created,
    updated: result.updated,
    skipped: result.skipped,
  };
  return t(result.dry_run ? "dayone.import.dry_run" : "dayone.import.done", values);
}

/** Imports the file and says what was done, or lists every bad line and fails (exit 2, nothing written). */
export async function runImport(options: ImportOptions, deps: Deps): Promise<void> {
  const { io } = deps;
  const source = await openFile(deps, options.file);
  const bar = progressBar({
    write: (text) => io.writeErr(text),
    isTerminal: io.stderrIsTerminal ?? io.stdoutIsTerminal,
    env: io.env,
    label: t("dayone.import.progress", { what: t(`dayone.entity.${options.entity}`) }),
    unit: "bytes",
    columns: Number(io.env.COLUMNS) || 80,
  });
  let result: AnswerOf<"importFile">;
  try {
    result = await deps.crm.call("importFile", {
      entity: options.entity,
      format: options.format,
      ...(options.dryRun ? { dry_run: true } : {}),
      on_conflict: options.onConflict,
      file: counted(source.bytes, (done) => bar.update(done, source.size)),
    });
  } finally {
    bar.done();
    source.close();
  }
  if (result.error_count === 0) {
    io.writeOut(options.json ? jsonText(result) : `${importSummary(result, options.entity)}\n`);
    return;
  }
  if (options.json) io.writeOut(jsonText(result.errors));
  else {
    for (const error of result.errors) {
      io.writeErr(`${t("dayone.import.line", { line: error.line, message: error.message.replace(/\r?\n/g, " ") })}\n`);
    }
    const more = result.error_count - result.errors.length;
    if (more > 0) io.writeErr(`${t("dayone.import.more_errors", { count: more })}\n`);
  }
  throw new InvalidInputError(
    t("dayone.import.failed", { file: options.file === "-" ? "stdin" : options.file, count: result.error_count }),
    "file",
  );
}

/** The verb `import <entity> FILE`. */
export function importVerb(entity: Entity): Verb<ImportOptions> {
  const one = SINGULAR[entity];
  return {
    spec: {
      name: entity,
      summary: t("dayone.import.summary", { what: t(`dayone.entity.${entity}`) }),
      args: [{ name: "file", help: t("dayone.import.arg_file") }],
      flags: [
        { flag: "--dry-run", help: t("dayone.import.flag_dry_run") },
        { flag: "--on-conflict", arg: "fail|skip|update", help: t("dayone.import.flag_on_conflict") },
      ],
      // i18n-ignore: command lines
      examples: [
        `import ${entity} ${entity}.csv --dry-run`,
        `import ${entity} ${entity}.jsonl --on-conflict skip`, // i18n-ignore: command lines
        `${one} list --format csv | epic-events import ${entity} - --format csv --on-conflict update`, // i18n-ignore: command lines
      ],
      env: CRM_ENV,
    },
    parse: (input) => parseImport(entity, input),
    run: runImport,
  };
}
