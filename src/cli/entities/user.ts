/** A collaborator's fields, declared once. @module */
import { ROLES } from "../../domain/roles.ts";
import type { UserRecord } from "../../port/crm.ts";
import { columns, type Entity } from "../entity.ts";
import { checkUser } from "./checks.ts";

/** Collaborators. */
export const USER: Entity<UserRecord> = {
  noun: "user",
  fields: [
    { name: "id", title: "ID", show: "number" },
    {
      name: "first_name",
      title: "FIRST NAME",
      input: {
        flag: "--first-name",
        arg: "name",
        help: "first name",
        kind: "text",
        required: true,
        prompt: "First name",
      },
    },
    {
      name: "last_name",
      title: "LAST NAME",
      input: { flag: "--last-name", arg: "name", help: "last name", kind: "text", required: true, prompt: "Last name" },
    },
    {
      name: "email",
      title: "EMAIL",
      input: { flag: "--email", arg: "email", help: "email (unique)", kind: "text", required: true, prompt: "Email" },
    },
    {
      name: "phone",
      title: "PHONE",
      input: {
        flag: "--phone",
        arg: "phone",
        help: "phone number",
        update: "phone number (empty clears it)",
        kind: "text",
        prompt: "Phone",
      },
    },
    {
      name: "role",
      title: "ROLE",
      input: {
        flag: "--role",
        arg: "role",
        help: `${ROLES.join(", ")} (any case)`,
        kind: "role",
        required: true,
        prompt: "Role",
        choices: () => Promise.resolve(ROLES.map((role) => ({ name: role, value: role }))),
      },
    },
    { name: "created_at", title: "CREATED AT", show: "date" },
    { name: "updated_at", title: "UPDATED AT", show: "date" },
  ],
  list: ["id", "first_name", "last_name", "email", "phone", "role"],
  detail: ["id", "first_name", "last_name", "email", "phone", "role", "created_at", "updated_at"],
  check: checkUser,
};

/** Columns of `user list`. */
export const USER_LIST = columns(USER, "list");
/** Rows of `user show`. */
export const USER_DETAIL = columns(USER, "detail");
