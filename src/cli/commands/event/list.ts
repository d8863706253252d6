/**
 * `epic-events event list [--mine] [--unassigned] [--upcoming] [--contract ID]`: its filters are the contract's
 * (`listEvents`). `--format ics` prints the same events as an RFC 5545 calendar (one VEVENT each).
 * @module
 */
import { InvalidInputError } from "../../../domain/errors.ts";
import { t } from "../../../i18n/mod.ts";
import { EVENT } from "../../entities/event.ts";
import { listVerb, type ListVerbOptions } from "../../verbs/standard.ts";
import type { Deps, Verb, VerbInput } from "../../verbs/verb.ts";

/** Options of `event list`; `ics`: as a calendar. */
export type EventListOptions = ListVerbOptions<"listEvents"> & { ics?: boolean };

const list = listVerb(EVENT, "listEvents", {
  summary: "cli.event.list.summary",
  examples: "cli.event.list.examples",
});

/** The events as a calendar, written as they are read. */
async function printCalendar(options: EventListOptions, deps: Deps): Promise<void> {
  const { renderCalendar } = await import("../../../calendar/ics.ts");
  const entries = await deps.crm.call("calendarEvents", {
    ...options.query,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.offset !== undefined ? { offset: options.offset } : {}),
  });
  const labels = { client: t("dayone.calendar.client"), contact: t("dayone.calendar.contact") };
  for await (const chunk of renderCalendar(entries, { name: t("dayone.calendar.name"), labels })) {
    deps.io.writeOut(chunk);
  }
}

/** `event list`: its help (`spec`), its options' constructor (`parse`) and its `run`. */
export const { spec, parse, run }: Verb<EventListOptions> = {
  spec: list.spec,
  parse(input: VerbInput): EventListOptions {
    if (input.format?.trim().toLowerCase() !== "ics") return list.parse(input);
    if (input.json) {
      throw new InvalidInputError(t("dayone.event.ics_json"), "format");
    }
    return { ...list.parse({ ...input, format: undefined }), ics: true };
  },
  run: (options, deps) => options.ics ? printCalendar(options, deps) : list.run(options, deps),
};
