/**
 * What `auth.ts` (`init`) still takes from the old `user` command until it is
 * ported to the port and to `commands/<noun>/<verb>.ts`; the `user` commands
 * themselves live in `user/`.
 * @module
 */
import type { UserRecord } from "../../port/crm.ts";
import { outputFormat } from "../command.ts";
import { USER, USER_DETAIL } from "../entities/user.ts";
import type { FieldSpec } from "../fields.ts";
import { showRecord } from "../record.ts";
import type { Runtime } from "../runtime.ts";

/** Prompts/flags for a new collaborator's identity (first name, last name, email). */
export const IDENTITY_FIELDS: readonly FieldSpec[] = USER.fields
  .filter((f) => ["first_name", "last_name", "email"].includes(f.name))
  .map((f) => ({ field: f.name, flag: f.input!.flag, label: f.input!.prompt }));

/** Prints one collaborator in the run's output format. */
export function printUser(rt: Runtime, user: UserRecord): Promise<void> {
  const format = outputFormat({ json: rt.json, format: rt.format });
  return showRecord({ io: rt.io, clock: { timeZone: rt.config().timeZone } }, USER_DETAIL, format, user);
}
