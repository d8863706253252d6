/** Clients: their fields come from the contract's record. @module */
import { clientCreateSchema, type ClientRecord, clientRecord } from "../../contract/clients.ts";
import { fieldError } from "../../domain/schemas/mod.ts";
import type { InputOf } from "../../port/crm.ts";
import { entityOf, type PortEntity } from "./fields.ts";

/** Clients. */
export const CLIENT: PortEntity<ClientRecord, InputOf<"createClient">, InputOf<"createClient">> = {
  ...entityOf(clientRecord, { check: (field, value) => fieldError(clientCreateSchema, field, value) }),
  port: {
    get: (crm, id) => crm.call("getClient", { id }),
    create: (crm, input) => crm.call("createClient", input),
    update: (crm, id, changes) => crm.call("updateClient", { id, ...changes }),
  },
};
