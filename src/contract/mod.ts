/**
 * The contract of the CRM: one zod schema per public record (the `--json`
 * output), each field with its description, flag, label and prompt
 * (`meta.ts`), the inputs of every use case, and the table of operations
 * (`operations.ts`) that the port, the server, the remote adapter and the
 * OpenAPI document are derived from.
 *
 * It imports zod: the parts of the program that must start fast (`--help`,
 * `whoami`) import its types only.
 * @module
 */
export * from "./meta.ts";
export * from "./users.ts";
export * from "./clients.ts";
export * from "./contracts.ts";
export * from "./events.ts";
export * from "./audit.ts";
export * from "./sessions.ts";
export * from "./operations.ts";
