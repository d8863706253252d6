/** `epic-events user create`. @module */
import {
  type Deps,
  isSet,
  outputFormat,
  PASSWORD_STDIN,
  TABLE_ENV,
  type VerbInput,
  type VerbSpec,
} from "../../verbs/verb.ts";
import { completeFields, fieldFlags, type FieldValues, readFields } from "../../entities/fields.ts";
import { checkPassword } from "../../input/password_check.ts";
import { USER, USER_DETAIL } from "../../entities/user.ts";
import type { Format } from "../../output/formats.ts";
import { showRecord } from "../../output/record.ts";
import type { InputOf, UserRecord } from "../../../port/crm.ts";

/** Options of `user create`. */
export interface UserCreateOptions {
  fields: FieldValues<Omit<InputOf<"createUser">, "password">>;
  passwordStdin: boolean;
  format?: Format;
}

/** What `user create --help` shows. */
export const spec: VerbSpec = {
  name: "create",
  summary: "cli.user.create.summary",
  flags: [...fieldFlags(USER, "create"), PASSWORD_STDIN],
  examples: "cli.user.create.examples",
  env: TABLE_ENV,
};

/** Reads the flags of `user create`. */
export function parse(input: VerbInput): UserCreateOptions {
  return {
    fields: readFields(USER, "create", input),
    passwordStdin: isSet(input, "--password-stdin"),
    format: outputFormat(input),
  };
}

/** Asks for what is missing (a too-short password is re-asked at once), creates and prints the collaborator. */
export async function run(options: UserCreateOptions, deps: Deps): Promise<void> {
  const input = await completeFields<UserRecord, Omit<InputOf<"createUser">, "password">>(USER, options.fields, deps);
  const password = await deps.prompter.password({
    fromStdin: options.passwordStdin,
    confirm: true,
    validate: checkPassword,
  });
  await showRecord(deps, USER_DETAIL, options.format, await deps.crm.call("createUser", { ...input, password }));
}
