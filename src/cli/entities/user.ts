/** A collaborator's fields, declared once. @module */
import { ROLES } from "../../domain/roles.ts";
import type { UserRecord } from "../../port/crm.ts";
import { columns, type PortEntity, requiredText } from "../entity.ts";
import { checkUser, loadChecks } from "./checks.ts";

/** Collaborators. */
export const USER: PortEntity<UserRecord> = {
  noun: "user",
  fields: [
    { name: "id", title: "ID", show: "number" },
    requiredText("first_name", "FIRST NAME", {
      flag: "--first-name",
      arg: "name",
      help: "first name",
      prompt: "First name",
    }),
    requiredText("last_name", "LAST NAME", {
      flag: "--last-name",
      arg: "name",
      help: "last name",
      prompt: "Last name",
    }),
    requiredText("email", "EMAIL", { flag: "--email", arg: "email", help: "email (unique)", prompt: "Email" }),
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
  more: ["created_at", "updated_at"],
  port: { get: (crm, id) => crm.getUser(id) },
  check: checkUser,
  prepare: loadChecks,
};

/** Columns of `user list`. */
export const USER_LIST = columns(USER, "list");
/** Rows of `user show`. */
export const USER_DETAIL = columns(USER, "detail");
