/**
 * The program's private folders (the config folder of the token, the data
 * folder of the default database and its key): created with mode 0700 when
 * missing; an existing folder is used as it is and its mode is never changed,
 * but one that other users can write to and that is not ours is refused, as
 * is a file where the folder should be (exit 2, naming the variable).
 * @module
 */
import { dirname } from "node:path";
import { InvalidInputError, UnavailableError } from "../domain/errors.ts";
import { type ErrorKey, type Message, msg } from "../domain/messages.ts";

const isWindows = Deno.build.os === "windows";

/** Which setting names the folder, for messages (`EPIC_EVENTS_CONFIG_DIR` …). */
export interface PrivateDirOptions {
  variable: string;
}

/** An I/O failure on a path of `variable` as the error a user understands. */
export function pathError(
  error: unknown,
  variable: string,
  doing: Message,
): InvalidInputError | UnavailableError | unknown {
  const at = (why: ErrorKey) => msg("errors.path.cannot", { variable, doing, why: msg(why) });
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return new InvalidInputError(at("errors.path.permission_denied"), variable);
  }
  if (error instanceof Deno.errors.NotADirectory || error instanceof Deno.errors.AlreadyExists) {
    return new InvalidInputError(at("errors.path.part_is_file"), variable);
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new InvalidInputError(at("errors.path.is_folder"), variable);
  }
  const code = String((error as { code?: string })?.code ?? "");
  const io: Record<string, ErrorKey> = {
    EROFS: "errors.path.read_only",
    ENOSPC: "errors.path.no_space",
    EDQUOT: "errors.path.quota",
    EIO: "errors.path.io",
  };
  if (io[code]) return new UnavailableError(at(io[code]), { field: variable, cause: error });
  return error;
}

/**
 * Checks an existing folder: it must be a folder, and not be writable by
 * others unless it is ours. Returns false when it does not exist.
 *
 * @throws {InvalidInputError} naming `options.variable` (exit 2).
 */
export function checkPrivateDir(dir: string, options: PrivateDirOptions): boolean {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw pathError(error, options.variable, msg("errors.path.use_folder", { path: dir }));
  }
  if (!info.isDirectory) {
    throw new InvalidInputError(
      msg("errors.path.not_folder", { variable: options.variable, path: dir }),
      options.variable,
    );
  }
  if (!isWindows && info.mode !== null && (info.mode & 0o022) !== 0 && info.uid !== Deno.uid()) {
    throw new InvalidInputError(msg("errors.path.shared", { variable: options.variable, path: dir }), options.variable);
  }
  return true;
}

/**
 * Makes sure `dir` exists and may hold private files: checked by
 * {@link checkPrivateDir} when it exists, else created (with its missing
 * parents) with mode 0700.
 *
 * @throws {InvalidInputError} naming `options.variable` (exit 2); an
 * {@link UnavailableError} (exit 7) for a read-only or full disk.
 */
export function ensurePrivateDir(dir: string, options: PrivateDirOptions): void {
  if (checkPrivateDir(dir, options)) return;
  try {
    Deno.mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
    try {
      // Not recursive: AlreadyExists tells that someone else made it meanwhile.
      Deno.mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists && checkPrivateDir(dir, options)) return;
      throw error;
    }
    // Exactly 0700 whatever the umask: this folder is ours, we just made it.
    if (!isWindows) Deno.chmodSync(dir, 0o700);
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw pathError(error, options.variable, msg("errors.path.create_folder", { path: dir }));
  }
}
