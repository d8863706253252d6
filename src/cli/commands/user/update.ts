/** `epic-events user update ID`. @module */
import { type Deps, isSet, TABLE_ENV, type VerbInput, type VerbSpec } from "../../verbs/verb.ts";
import { fieldFlags, type FieldValues, readFields, updateValues } from "../../entities/fields.ts";
import { USER, USER_DETAIL } from "../../entities/user.ts";
import { parseRecord, type RecordOptions, showRecord } from "../../output/record.ts";
import type { InputOf } from "../../../port/crm.ts";
import { idArg } from "../../verbs/standard.ts";

/** Options of `user update`. */
export interface UserUpdateOptions extends RecordOptions {
  fields: FieldValues<Omit<InputOf<"updateUser">, "id" | "password">>;
  passwordStdin: boolean;
}

/** What `user update --help` shows. */
export const spec: VerbSpec = {
  name: "update",
  summary: "cli.user.update.summary",
  args: [idArg("user")],
  flags: [
    ...fieldFlags(USER, "update"),
    { flag: "--password-stdin", help: "cli.user.update.password_stdin" },
  ],
  examples: "cli.user.update.examples",
  env: TABLE_ENV,
};

/** Reads `<id>`, the fields to change and `--password-stdin`. */
export function parse(input: VerbInput): UserUpdateOptions {
  return {
    ...parseRecord(input),
    fields: readFields(USER, "update", input),
    passwordStdin: isSet(input, "--password-stdin"),
  };
}

/** Updates the collaborator and prints them. */
export async function run(options: UserUpdateOptions, deps: Deps): Promise<void> {
  const passwordOnly = options.passwordStdin && Object.keys(options.fields.values).length === 0;
  const changes: Omit<InputOf<"updateUser">, "id"> = passwordOnly ? {} : updateValues(USER, options.fields, deps);
  if (options.passwordStdin) changes.password = await deps.prompter.password({ fromStdin: true });
  await showRecord(
    deps,
    USER_DETAIL,
    options.format,
    await deps.crm.call("updateUser", { id: options.id, ...changes }),
  );
}
