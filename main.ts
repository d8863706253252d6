/**
 * Entry point of `epic-events`: runs the CLI with the process's streams and
 * exits with its code.
 * @module
 */
import { processIo } from "./src/cli/app/io.ts";
import { run } from "./src/cli/app/run.ts";

/**
 * postgres.js 3.4.9 may write to the socket of a connection the server has
 * just closed, from a timer, after the query concerned was already rejected
 * (porsager/postgres#1154, #1208): nothing is lost by ignoring that throw.
 */
function isPostgresWriteAfterClose(error: unknown): boolean {
  return error instanceof TypeError && /reading 'write'/.test(error.message) &&
    /postgres[\\/].*connection\.js/.test(error.stack ?? "");
}

/**
 * The last resort for a throw no `await` could catch: never a Deno stack trace
 * ("Uncaught (in promise)") on the user's terminal, one line and exit 1 instead.
 */
function guardUncaught(debug: boolean): void {
  const handle = (event: Event, error: unknown) => {
    event.preventDefault();
    if (isPostgresWriteAfterClose(error)) return;
    const detail = debug ? `\n${(error as Error)?.stack ?? String(error)}` : "";
    console.error(`error: Something went wrong; run again with --debug to see the details.${detail}`);
    Deno.exit(1);
  };
  globalThis.addEventListener("error", (event) => handle(event, event.error));
  globalThis.addEventListener("unhandledrejection", (event) => handle(event, event.reason));
}

if (import.meta.main) {
  guardUncaught(Deno.args.includes("--debug"));
  const code = await run(Deno.args, processIo());
  Deno.exit(code);
}
