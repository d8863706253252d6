/**
 * `epic-events init`: migrates the database and creates its first
 * MANAGEMENT collaborator; refused (exit 6) once any collaborator exists.
 * An operator command: no login, through the {@link Operator} port.
 * @module
 */
import type { Operator } from "../../../port/operator.ts";
import type { UserRecord } from "../../../port/crm.ts";
import { InvalidInputError } from "../../../domain/errors.ts";
import {
  isSet,
  missingOptions,
  outputFormat,
  PASSWORD_STDIN,
  type VerbInput,
  type VerbSpec,
} from "../../verbs/verb.ts";
import { fieldFlags, type FieldValues, readFields } from "../../entities/fields.ts";
import { t } from "../../../i18n/mod.ts";
import { checkPassword } from "../../input/password_check.ts";
import { USER, USER_DETAIL } from "../../entities/user.ts";
import type { Format } from "../../output/formats.ts";
import { OPERATOR_ENV, type OperatorDeps } from "../../operator/deps.ts";
import { showRecord, tell } from "../../output/record.ts";
import { LAZY_COMMAND_DESCRIPTIONS } from "../nouns.ts";

/** The fields `init` needs, in the order it asks for them (then the optional phone). */
const IDENTITY = ["first_name", "last_name", "email"] as const;
const PHONE = USER.fields.find((f) => f.name === "phone")!;

type Identity = Omit<Parameters<Operator["createFirstManager"]>[0], "password">;

/** Options of `init`. */
export interface InitOptions {
  fields: FieldValues<Identity>;
  passwordStdin: boolean;
  format?: Format;
}

/** What `init --help` shows. */
export const spec: VerbSpec = {
  name: "init",
  summary: LAZY_COMMAND_DESCRIPTIONS.init,
  flags: [
    ...fieldFlags(USER, IDENTITY),
    ...fieldFlags(USER, ["phone"]).map((flag) => ({ ...flag, required: undefined })),
    PASSWORD_STDIN,
  ],
  examples: "cli.auth.init.examples",
  env: [...OPERATOR_ENV, "BCRYPT_ROUNDS", "TZ", "NO_COLOR"],
};

/** Reads the identity flags, `--password-stdin` and the output format. */
export function parse(input: VerbInput): InitOptions {
  return {
    fields: readFields(USER, [...IDENTITY, "phone"], input),
    passwordStdin: isSet(input, "--password-stdin"),
    format: outputFormat(input),
  };
}

/**
 * Off a terminal, refuses at once when a flag is missing (naming every one);
 * then migrates, asks for what is missing (each answer checked as typed),
 * reads the password and creates the manager.
 */
export async function run(options: InitOptions, deps: OperatorDeps): Promise<void> {
  const values: Partial<Identity> = { ...options.fields.values };
  const missing = USER.fields.filter((f) => (IDENTITY as readonly string[]).includes(f.name))
    .filter((f) => values[f.name as keyof Identity] === undefined);
  if (missing.length > 0 && !deps.prompter.interactive) {
    throw new InvalidInputError(missingOptions(missing.map((f) => f.input!.flag)), missing[0].name);
  }
  await deps.operator.migrateUp({});
  for (const field of missing) {
    const answer = await deps.prompter.text(t(field.input!.prompt), {
      validate: (typed) => USER.check?.(field.name, typed) ?? true,
    });
    values[field.name as keyof Identity] = answer;
  }
  // Asking for the others, ask for the (optional) phone too; Enter leaves it out.
  if (missing.length > 0 && values.phone === undefined) {
    const phone = await deps.prompter.text(t("cli.init.optional", { prompt: t(PHONE.input!.prompt) }), {
      validate: (typed) => typed.trim() === "" || (USER.check?.("phone", typed) ?? true),
    });
    if (phone.trim() !== "") values.phone = phone;
  }
  const password = await deps.prompter.password({
    fromStdin: options.passwordStdin,
    confirm: true,
    validate: checkPassword,
  });
  const user: UserRecord = await deps.operator.createFirstManager({ ...values as Identity, password });
  if (options.format !== "json") {
    tell(deps, t("cli.init.done", { email: user.email }));
  }
  await showRecord(deps, USER_DETAIL, options.format, user);
}
