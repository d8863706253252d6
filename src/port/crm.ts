/**
 * The one port between the command line and the use cases: every command
 * reaches the CRM through {@link Crm}, never through the services or the
 * repositories. It has two adapters: the local one (`local.ts`, on this
 * machine's database) and the remote one (`remote.ts`, on the JSON API of
 * `epic-events serve`).
 *
 * Its types are the contract's (`src/contract/`), imported as types only, so
 * that the commands that must start fast load no zod:
 *
 * - every operation of the contract's table runs through one call path,
 *   `call(name, input)`: one input object (path parameters, query and body
 *   alike, keyed as the contract spells them), and the operation's answer —
 *   for a list, its rows as an {@link AsyncIterable}, read as they come from
 *   a database cursor or an HTTP body;
 * - inputs and outputs are plain, serialisable data (no `Date`, no class, no
 *   function): ids are numbers, money is a `"1500.00"` string, instants are
 *   ISO 8601 strings with `Z`; a record carries the public JSON shape of
 *   PRODUCT.md §1 plus, under `display`, optional names that tables show and
 *   `--json` never prints;
 * - paging is `limit`/`offset`: a caller that wants to know whether more rows
 *   exist asks for one row more than it shows;
 * - a delete takes `dry_run`: every check of the real delete runs and
 *   nothing changes, so a terminal can ask for confirmation only when the
 *   delete would succeed;
 * - the session (login, logout, who is logged in) has methods of its own:
 *   where its token is kept is the adapter's business.
 * @module
 */
import type { AnswerOf, InputOf, OutputOf, PortOperation } from "../contract/operations.ts";
import type { UserRecord } from "../contract/users.ts";

export type { AuditRecord } from "../contract/audit.ts";
export type { ClientRecord } from "../contract/clients.ts";
export type { ContractRecord } from "../contract/contracts.ts";
export type { EventRecord } from "../contract/events.ts";
export type { AnswerOf, InputOf, OperationName, OutputOf, PortOperation } from "../contract/operations.ts";
export type { Me } from "../contract/sessions.ts";
export type { UserRecord } from "../contract/users.ts";

/** A page of a list, and whether its rows carry their `display` names. */
export interface Paging {
  /** At most this many rows (1 or more). */
  limit?: number;
  /** Rows to skip first (0 or more). */
  offset?: number;
  /** Whether the records carry their `display` names (the default), or not (`false`: they are not looked up). */
  display?: boolean;
}

/** The lists whose rows an adapter may give as the text of their JSON elements (see {@link Crm.listJson}). */
export type JsonListOperation = "listEvents" | "listContracts" | "listClients";

/** A successful login (the token itself stays with the adapter). */
export interface LoginResult {
  /** Who logged in. */
  user: UserRecord;
  /** When the session expires (ISO 8601, `Z`). */
  expires_at: string;
}

/** A logout. */
export interface LogoutResult {
  /** Whether there was a session token at all (false: "Not logged in."). */
  found: boolean;
  /** Whether a live session was ended (false: there was none, or it had already ended). */
  revoked: boolean;
}

/** The use cases of the CRM, as the command line calls them. */
export interface Crm {
  /**
   * Checks that a login can be tried — the configuration is valid, the
   * database (or server) answers — before the credentials are asked for.
   */
  prepareLogin(): Promise<void>;
  /** Logs in and keeps the session's token. */
  login(credentials: { email: string; password: string }): Promise<LoginResult>;
  /** Ends the current session; the local token is removed whatever happens. */
  logout(): Promise<LogoutResult>;
  /** Ends every session of the logged-in collaborator, on every machine (exit 3 without a valid session). */
  logoutAll(): Promise<LogoutResult>;
  /** The logged-in collaborator (exit 3 when there is none); the same as `call("whoami", {})`. */
  whoami(): Promise<OutputOf<"whoami">>;
  /**
   * Runs operation `name` of the contract's table with `input`; a list
   * answers once the query is under way (its caller and filters checked),
   * with its rows to read as they come.
   */
  call<K extends PortOperation>(name: K, input: InputOf<K>): Promise<OutputOf<K>>;
  /**
   * The rows of list `name` (the same caller, filters and rows as `call`)
   * for a JSON array, where the adapter's database builds their text: each
   * row is the text of its element (its UTF-8 bytes) exactly as the CLI's
   * JSON writer prints its record without `display`, or its record where the database could not
   * build that text. Undefined (or absent: the remote adapter) when it
   * builds none (SQLite): print the records of `call`.
   */
  listJson?<K extends JsonListOperation>(
    name: K,
    input: InputOf<K>,
  ): Promise<AsyncIterable<Uint8Array | AnswerOf<K>> | undefined>;
}
