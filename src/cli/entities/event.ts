/** An event's fields, declared once. @module */
import type { Choice } from "../command.ts";
import type { Crm, EventChanges, EventRecord, Me, NewEvent } from "../../port/crm.ts";
import { columns, type PortEntity, requiredText, userChoices } from "../entity.ts";
import { checkEvent, loadChecks } from "./checks.ts";

/** Signed contracts an event may be created for (a SALES collaborator's own). */
async function contractChoices(crm: Crm, me: Me): Promise<Choice<number>[]> {
  const choices: Choice<number>[] = [];
  for await (const c of crm.listContracts({ mine: me.role === "SALES" })) {
    if (c.signed_status) choices.push({ name: `#${c.id} ${c.display?.client_name ?? ""}`.trim(), value: c.id });
  }
  return choices;
}

const LOCAL_DATE = "ISO 8601, or 'YYYY-MM-DD HH:MM' in local time (TZ)";

/** Events. */
export const EVENT: PortEntity<EventRecord, NewEvent, EventChanges> = {
  noun: "event",
  fields: [
    { name: "id", title: "ID", show: "number" },
    {
      name: "contract_id",
      title: "CONTRACT",
      show: "number",
      input: {
        flag: "--contract",
        aliases: ["--contract-id"],
        arg: "id",
        help: "the signed contract",
        kind: "id",
        required: true,
        update: false,
        prompt: "Signed contract",
        choices: contractChoices,
      },
    },
    requiredText("name", "NAME", { flag: "--name", arg: "name", help: "event name", prompt: "Event name" }),
    requiredText("client_contact", "CLIENT CONTACT", {
      flag: "--client-contact",
      arg: "text",
      help: "who to contact at the client",
      prompt: "Client contact",
    }),
    {
      name: "start_date",
      title: "START",
      show: "date",
      input: {
        flag: "--start-date",
        arg: "date",
        help: `start: ${LOCAL_DATE}`,
        kind: "date",
        required: true,
        prompt: "Start (YYYY-MM-DD HH:MM)",
      },
    },
    {
      name: "end_date",
      title: "END",
      show: "date",
      input: {
        flag: "--end-date",
        arg: "date",
        help: `end, after the start: ${LOCAL_DATE}`,
        kind: "date",
        required: true,
        prompt: "End (YYYY-MM-DD HH:MM)",
      },
    },
    requiredText("location", "LOCATION", { flag: "--location", arg: "text", help: "where", prompt: "Location" }),
    {
      name: "attendees",
      title: "ATTENDEES",
      show: "number",
      input: {
        flag: "--attendees",
        arg: "n",
        help: "expected attendees",
        kind: "whole",
        required: true,
        prompt: "Attendees",
      },
    },
    {
      name: "notes",
      title: "NOTES",
      input: {
        flag: "--notes",
        arg: "text",
        help: "notes",
        update: "notes (empty clears them)",
        kind: "text",
        prompt: "Notes",
      },
    },
    {
      name: "support_contact_id",
      title: "SUPPORT CONTACT ID",
      show: "number",
      input: {
        flag: "--support",
        aliases: ["--support-contact-id"],
        arg: "user_id",
        help: "the SUPPORT collaborator (MANAGEMENT only)",
        kind: "id",
        update: false,
        prompt: "Support contact",
        choices: userChoices("SUPPORT"),
      },
    },
    { name: "client_name", title: "CLIENT" },
    { name: "support_contact_name", title: "SUPPORT", blank: "(unassigned)" },
  ],
  list: [
    "id",
    "name",
    "client_name",
    "contract_id",
    "start_date",
    "end_date",
    "support_contact_name",
    "location",
    "attendees",
  ],
  more: ["client_contact", "support_contact_id", "notes"],
  port: {
    get: (crm, id) => crm.getEvent(id),
    create: (crm, input) => crm.createEvent(input),
    update: (crm, id, changes) => crm.updateEvent(id, changes),
  },
  check: checkEvent,
  prepare: loadChecks,
};

/** Columns of `event list`. */
export const EVENT_LIST = columns(EVENT, "list");
/** Rows of `event show`. */
export const EVENT_DETAIL = columns(EVENT, "detail");
