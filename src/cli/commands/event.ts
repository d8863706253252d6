/** `epic-events event list | show | create | update | assign | delete`. @module */
import type { Command } from "@commander-js/extra-typings";
import { listContracts } from "../../services/contracts.ts";
import {
  assignEvent,
  createEvent,
  deleteEvent,
  type Event,
  getEvent,
  listEvents,
  updateEvent,
} from "../../services/events.ts";
import { confirmDeletion } from "../confirm.ts";
import { parseId, requireFields } from "../fields.ts";
import { showList } from "../lists.ts";
import { type Column, printMessage, printRecord } from "../output.ts";
import type { Runtime } from "../runtime.ts";
import { EVENT_EXTRA, EVENT_TSV, eventColumns, eventJson } from "../views.ts";
import { userChoices } from "./client.ts";

function columns(rt: Runtime): readonly Column<Event>[] {
  return rt.io.stdoutIsTerminal ? eventColumns(rt.config().timeZone) : EVENT_TSV;
}

function printEvent(rt: Runtime, event: Event): Promise<void> {
  return printRecord(rt.io, rt, event, [...columns(rt), ...EVENT_EXTRA], { json: eventJson });
}

/** Registers `event`. */
export function registerEvent(program: Command, rt: Runtime): void {
  const event = program.command("event").description("manage events");

  event.command("list").description("list events (filters combine)")
    .option("--mine", "SUPPORT/MANAGEMENT: events I support; SALES: events of my clients")
    .option("--unassigned", "only events without a support contact")
    .option("--upcoming", "only events that have not ended yet")
    .option("--contract <id>", "only this contract's events")
    .option("--limit <n>", "at most N rows (a terminal shows 100 by default)")
    .option("--offset <n>", "skip N rows")
    .action(async (opts) => {
      const ctx = await rt.context();
      await showList(
        rt,
        opts,
        (page) =>
          listEvents(ctx, {
            mine: opts.mine,
            unassigned: opts.unassigned,
            upcoming: opts.upcoming,
            contract_id: opts.contract,
            ...page,
          }),
        columns(rt),
        eventJson,
      );
    });

  event.command("show").description("show one event").argument("<id>", "event id")
    .action(async (id) => {
      const ctx = await rt.context();
      await printEvent(rt, await getEvent(ctx, parseId(id)));
    });

  event.command("create").description("create an event for a signed contract")
    .option("--contract <id>", "the signed contract")
    .option("--contract-id <id>", "alias of --contract")
    .option("--name <name>", "event name")
    .option("--client-contact <text>", "who to contact at the client")
    .option("--start-date <date>", "start: ISO 8601 or 'YYYY-MM-DD HH:MM' (local time)")
    .option("--end-date <date>", "end, after the start")
    .option("--location <text>", "where")
    .option("--attendees <n>", "expected attendees")
    .option("--notes <text>", "notes")
    .option("--support-contact-id <user_id>", "SUPPORT collaborator (MANAGEMENT only)")
    .action(async (opts) => {
      const ctx = await rt.context();
      const values = await requireFields(rt, {
        contract_id: opts.contract ?? opts.contractId,
        name: opts.name,
        client_contact: opts.clientContact,
        start_date: opts.startDate,
        end_date: opts.endDate,
        location: opts.location,
        attendees: opts.attendees,
        notes: opts.notes,
        support_contact_id: opts.supportContactId,
      }, [
        {
          field: "contract_id",
          flag: "--contract",
          label: "Signed contract",
          choices: async () =>
            (await listContracts(ctx, { mine: ctx.actor!.role === "SALES" })).rows
              .filter((c) => c.signed_status)
              .map((c) => ({ name: `#${c.id} ${c.client_name}`, value: c.id })),
        },
        { field: "name", flag: "--name", label: "Event name" },
        { field: "client_contact", flag: "--client-contact", label: "Client contact" },
        { field: "start_date", flag: "--start-date", label: "Start (YYYY-MM-DD HH:MM)" },
        { field: "end_date", flag: "--end-date", label: "End (YYYY-MM-DD HH:MM)" },
        { field: "location", flag: "--location", label: "Location" },
        { field: "attendees", flag: "--attendees", label: "Attendees" },
      ]);
      await printEvent(rt, await createEvent(ctx, values));
    });

  event.command("update").description("update an event (only the given fields change)")
    .argument("<id>", "event id")
    .option("--name <name>", "event name")
    .option("--client-contact <text>", "who to contact at the client")
    .option("--start-date <date>", "start")
    .option("--end-date <date>", "end")
    .option("--location <text>", "where")
    .option("--attendees <n>", "expected attendees")
    .option("--notes <text>", "notes (empty clears them)")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const updated = await updateEvent(ctx, parseId(id), {
        name: opts.name,
        client_contact: opts.clientContact,
        start_date: opts.startDate,
        end_date: opts.endDate,
        location: opts.location,
        attendees: opts.attendees,
        notes: opts.notes,
      });
      await printEvent(rt, updated);
    });

  event.command("assign").description("assign or change the support contact (MANAGEMENT)")
    .argument("<id>", "event id")
    .option("--support <user_id>", "a SUPPORT collaborator")
    .option("--support-contact-id <user_id>", "alias of --support")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const values = await requireFields(rt, { support_contact_id: opts.support ?? opts.supportContactId }, [
        {
          field: "support_contact_id",
          flag: "--support",
          label: "Support contact",
          choices: userChoices(ctx, "SUPPORT"),
        },
      ]);
      await printEvent(rt, await assignEvent(ctx, parseId(id), values));
    });

  event.command("delete").description("delete an event (MANAGEMENT)")
    .argument("<id>", "event id")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (id, opts) => {
      const ctx = await rt.context();
      const eventId = parseId(id);
      if (!await confirmDeletion(rt, `event ${eventId}`, opts.yes)) return;
      const result = await deleteEvent(ctx, eventId);
      if (rt.json) await printRecord(rt.io, rt, { deleted: true, ...result }, []);
      else printMessage(rt.io, rt, `Deleted event ${eventId}.`);
    });
}
