/** Collaborators: their fields come from the contract's record. @module */
import { userCreateSchema, type UserRecord, userRecord } from "../../contract/users.ts";
import { fieldError } from "../../domain/schemas/mod.ts";
import { columns, entityOf, type PortEntity } from "./fields.ts";

/** Collaborators. */
export const USER: PortEntity<UserRecord> = {
  ...entityOf(userRecord, { check: (field, value) => fieldError(userCreateSchema, field, value) }),
  port: { get: (crm, id) => crm.call("getUser", { id }) },
};

/** Rows of `user show`, `user create`, `user update` and `init`. */
export const USER_DETAIL = columns(USER, "detail");
