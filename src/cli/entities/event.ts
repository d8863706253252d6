/** Events: their fields come from the contract's record. @module */
import { eventCreateSchema, type EventRecord, eventRecord } from "../../contract/events.ts";
import { fieldError } from "../../domain/schemas/mod.ts";
import type { InputOf } from "../../port/crm.ts";
import { columns, entityOf, type PortEntity } from "./fields.ts";

/** Events (dates typed at a prompt are read in `TZ`). */
export const EVENT: PortEntity<EventRecord, InputOf<"createEvent">, InputOf<"updateEvent">> = {
  ...entityOf(eventRecord, {
    check: (field, value, timeZone) => fieldError(eventCreateSchema(timeZone), field, value),
  }),
  port: {
    get: (crm, id) => crm.call("getEvent", { id }),
    create: (crm, input) => crm.call("createEvent", input),
    update: (crm, id, changes) => crm.call("updateEvent", { id, ...changes }),
  },
};

/** Rows of `event show`. */
export const EVENT_DETAIL = columns(EVENT, "detail");
