/** `epic-events user list | show | create | update | delete`. @module */
import { type Command, Option } from "@commander-js/extra-typings";
import { ROLES } from "../../domain/roles.ts";
import { userCreateSchema } from "../../domain/schemas/mod.ts";
import { createUser, deleteUser, getUser, listUsers, updateUser, type User } from "../../services/users.ts";
import { type FieldSpec, parseCount, parseId, readPassword, requireFields } from "../fields.ts";
import { type Column, printList, printMessage, printRecord } from "../output.ts";
import { confirmDeletion } from "../confirm.ts";
import type { Runtime } from "../runtime.ts";

/** Columns of a collaborator. */
export const USER_COLUMNS: readonly Column<User>[] = [
  { header: "ID", value: (u) => u.id },
  { header: "FIRST NAME", value: (u) => u.first_name },
  { header: "LAST NAME", value: (u) => u.last_name },
  { header: "EMAIL", value: (u) => u.email },
  { header: "PHONE", value: (u) => u.phone },
  { header: "ROLE", value: (u) => u.role },
];

const DETAIL_COLUMNS: readonly Column<User>[] = [
  ...USER_COLUMNS,
  { header: "CREATED AT", value: (u) => u.created_at },
  { header: "UPDATED AT", value: (u) => u.updated_at },
];

/** Prompts/flags for a new collaborator's identity. */
export const IDENTITY_FIELDS: readonly FieldSpec[] = [
  { field: "first_name", flag: "--first-name", label: "First name" },
  { field: "last_name", flag: "--last-name", label: "Last name" },
  { field: "email", flag: "--email", label: "Email" },
];

const ROLE_FIELD: FieldSpec = {
  field: "role",
  flag: "--role",
  label: "Role",
  choices: () => Promise.resolve(ROLES.map((r) => ({ name: r, value: r }))),
};

/** Prints one collaborator. */
export function printUser(rt: Runtime, user: User): Promise<void> {
  return printRecord(rt.io, rt, user, DETAIL_COLUMNS);
}

/** Registers `user`. */
export function registerUser(program: Command, rt: Runtime): void {
  const user = program.command("user").description("manage collaborators (writes: MANAGEMENT)");

  user.command("list").description("list collaborators")
    .addOption(new Option("--role <role>", "only this role").choices(ROLES))
    .option("--limit <n>", "at most N rows")
    .option("--offset <n>", "skip N rows")
    .action(async (opts) => {
      const ctx = await rt.context();
      const rows = await listUsers(ctx, {
        role: opts.role,
        limit: parseCount(opts.limit, "limit"),
        offset: parseCount(opts.offset, "offset"),
      });
      await printList(rt.io, rt, rows, USER_COLUMNS);
    });

  user.command("show").description("show one collaborator").argument("<id>", "user id")
    .action(async (id) => {
      const ctx = await rt.context();
      await printUser(rt, await getUser(ctx, parseId(id)));
    });

  user.command("create").description("create a collaborator (MANAGEMENT)")
    .option("--first-name <name>", "first name")
    .option("--last-name <name>", "last name")
    .option("--email <email>", "email (unique)")
    .option("--phone <phone>", "phone number")
    .option("--role <role>", "MANAGEMENT, SALES or SUPPORT")
    .option("--password-stdin", "read the password from standard input")
    .action(async (opts) => {
      const ctx = await rt.context();
      const values = await requireFields(
        rt,
        {
          first_name: opts.firstName,
          last_name: opts.lastName,
          email: opts.email,
          phone: opts.phone,
          role: opts.role,
        },
        [...IDENTITY_FIELDS, ROLE_FIELD],
        userCreateSchema,
      );
      const password = await readPassword(rt, { fromStdin: opts.passwordStdin, confirm: true });
      const created = await createUser(ctx, values, password);
      await printUser(rt, created);
    });

  user.command("update").description("update a collaborator (MANAGEMENT)")
    .argument("<id>", "user id")
    .option("--first-name <name>", "first name")
    .option("--last-name <name>", "last name")
    .option("--email <email>", "email (unique)")
    .option("--phone <phone>", "phone number")
    .option("--role <role>", "MANAGEMENT, SALES or SUPPORT")
    .option("--password-stdin", "read a new password from standard input")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const userId = parseId(id);
      const password = opts.passwordStdin ? await readPassword(rt, { fromStdin: true }) : undefined;
      const updated = await updateUser(ctx, userId, {
        first_name: opts.firstName,
        last_name: opts.lastName,
        email: opts.email,
        phone: opts.phone,
        role: opts.role,
      }, password);
      await printUser(rt, updated);
    });

  user.command("delete").description("delete a collaborator (MANAGEMENT)")
    .argument("<id>", "user id")
    .option("--reassign-to <user_id>", "move their clients, contracts and events to this user (same role)")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const userId = parseId(id);
      const reassignTo = opts.reassignTo === undefined ? undefined : parseId(opts.reassignTo, "reassign_to");
      if (!await confirmDeletion(rt, `user ${userId}`, opts.yes)) return;
      const result = await deleteUser(ctx, userId, { reassignTo });
      if (rt.json) {
        await printRecord(rt.io, rt, result, [], {
          json: (r) => ({ deleted: true, id: r.deleted.id, reassigned_to: r.reassigned_to, reassigned: r.reassigned }),
        });
      } else {
        printMessage(
          rt.io,
          rt,
          `Deleted user ${userId}` +
            (result.reassigned_to
              ? `; moved ${result.reassigned.clients} client(s), ${result.reassigned.contracts} contract(s) and ${result.reassigned.events} event(s) to user ${result.reassigned_to}.`
              : "."),
        );
      }
    });
}
