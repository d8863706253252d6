/**
 * Entry point of `epic-events`: runs the CLI with the process's streams and
 * exits with its code.
 * @module
 */
import { processIo } from "./src/cli/io.ts";
import { run } from "./src/cli/run.ts";

if (import.meta.main) {
  const code = await run(Deno.args, processIo());
  Deno.exit(code);
}
