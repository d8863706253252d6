/**
 * `deno doc --lint` over the public modules: the ones a contributor builds on
 * when adding a command, a use case, an adapter or a migration. Every export
 * there (and every field of an exported interface) has JSDoc, and every
 * exported symbol an explicit type. Run by `deno task check`:
 *
 *     deno run --allow-read --allow-run tools/check_docs.ts
 *
 * Not in the set, on purpose:
 * - `src/contract/**`, `src/domain/schemas/**` and `src/domain/money.ts`:
 *   their public types are zod's inferred schema types. Deno 2.9 reports every
 *   type of an npm package as a "private type" (denoland/deno#27364, fixed
 *   upstream by denoland/deno#34339), and an explicit annotation on each
 *   schema would restate every field the schema already declares once.
 * - For the same reason, the port (`src/port/crm.ts`), whose types are
 *   inferred from the contract, is linted apart: every rule holds there but
 *   `private-type-ref`, which only ever names zod's types or the contract's
 *   (see {@link ZOD_TYPED_MODULES}).
 * - the services other than their context, the repositories and the CLI: they
 *   are reached through the port, the `Database` interface and the context,
 *   which are in the set.
 * @module
 */

/** The public modules, linted together so that types they share count as public. */
export const PUBLIC_MODULES: readonly string[] = [
  // What a service function receives (and an adapter or the server builds).
  "src/services/context.ts",
  // The database every repository and adapter builds on, and what a migration exports.
  "src/db/database.ts",
  "src/db/migration.ts",
  // The vocabulary every layer shares.
  "src/domain/errors.ts",
  "src/domain/policy.ts",
  "src/domain/roles.ts",
  "src/domain/dates.ts",
];

/**
 * Public modules whose types are inferred from the contract's zod schemas:
 * linted with every rule but `private-type-ref` (the Deno 2.9 bug above).
 */
export const ZOD_TYPED_MODULES: readonly string[] = [
  // The use cases every command calls, and the records they return.
  "src/port/crm.ts",
];

/** The error lines of `deno doc --lint` (colours removed), each with the lines that follow it. */
function lintErrors(output: string): string[] {
  // deno-lint-ignore no-control-regex
  const text = output.replace(/\x1b\[[0-9;]*m/g, "");
  return text.split(/\n(?=error\[)/).filter((block) => block.startsWith("error["));
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--lint", ...PUBLIC_MODULES],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  const zodTyped = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--lint", ...ZOD_TYPED_MODULES, ...PUBLIC_MODULES],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const errors = lintErrors(decoder.decode(zodTyped.stdout) + decoder.decode(zodTyped.stderr))
    .filter((block) => !block.startsWith("error[private-type-ref]"));
  for (const block of errors) console.error(block);
  Deno.exit(code !== 0 || errors.length > 0 ? 1 : 0);
}
