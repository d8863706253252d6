/** Contracts: their fields come from the contract's record. @module */
import { contractCreateSchema, type ContractRecord, contractRecord } from "../../contract/contracts.ts";
import { fieldError } from "../../domain/schemas/mod.ts";
import type { InputOf } from "../../port/crm.ts";
import { columns, entityOf, type PortEntity } from "./fields.ts";

/** Contracts. */
export const CONTRACT: PortEntity<ContractRecord, InputOf<"createContract">, InputOf<"updateContract">> = {
  ...entityOf(contractRecord, { check: (field, value) => fieldError(contractCreateSchema, field, value) }),
  port: {
    get: (crm, id) => crm.call("getContract", { id }),
    create: (crm, input) => crm.call("createContract", input),
    update: (crm, id, changes) => crm.call("updateContract", { id, ...changes }),
  },
};

/** Rows of `contract show`. */
export const CONTRACT_DETAIL = columns(CONTRACT, "detail");
